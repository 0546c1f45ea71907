"""One database session per request, committed once when the view has answered, inside the request's own
error handling: a commit that fails (SQLite busy, a PostgreSQL serialization failure or unique violation) is
rolled back and answered by the error handlers of `web.errors` like any refusal, never as a bare 500.

After a commit that may have recorded effects (any request that changes something) they are set going, never
carried out in the request's thread: in the embedded mode (no Redis) the background ticker (`tasks.ticker`) is
woken to carry them out in transactions of its own; with Redis a worker is kicked (and if Redis is down, beat's
sweep does it later — the commit stands either way).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tasks.celery_app import create_celery, kick
from tasks.ticker import Ticker
from web.extension import radaflow
from workflow.db import begin_reading

#: requests that may change something (and so record effects)
_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: the session's info key of a request whose transaction began as a read (deferred, on SQLite)
_READER = "radaflow.web.reader"


class TransactionalFlask(Flask):
    """A Flask whose every view runs as one unit of work, as Indico's `RH.process` does: the view answers, the
    request's session commits if the answer is a success (and rolls back otherwise), and any error on the way,
    the commit's included, rolls back and goes to the application's error handlers.

    Overriding `dispatch_request` wraps every view of every blueprint, present and future, without a decorator
    anyone could forget; an error raised here goes through Flask's own `handle_user_exception`, which an
    `after_request` hook cannot reach.

    A read that turns out to write (a page marking what it shows as read) began deferred on SQLite; if another
    writer committed after it began, SQLite refuses its write at once ("database is locked"). Such a request is
    run once more from the start as a writer, as Indico retries a transaction that lost a race.
    """

    def dispatch_request(self) -> ResponseReturnValue:
        while True:
            try:
                response = self.make_response(super().dispatch_request())
                _finish(response)
            except OperationalError as error:
                _rollback()
                if not _write_after_all(error):
                    raise
                continue  # once more, as a writer
            except BaseException:
                _rollback()
                raise
            return response


def db() -> Session:
    """The request's session, opened on first use; a request that changes something takes SQLite's write lock
    when its transaction begins, a read never waits for writers."""
    if "db" not in g:
        session = radaflow().sessions()
        if has_request_context() and request.method not in _CHANGING:
            begin_reading(session)
            session.info[_READER] = True
        g.db = session
    session_: Session = g.db
    return session_


def init_app(app: Flask) -> None:
    settings = app.extensions["radaflow"].settings
    if settings.redis_url is not None:
        app.extensions["radaflow.celery"] = create_celery(settings)
    else:
        app.extensions["radaflow.ticker"] = Ticker(app.extensions["radaflow"])

    @app.teardown_appcontext
    def _close(_error: BaseException | None) -> None:
        session: Session | None = g.pop("db", None)
        if session is not None:
            session.rollback()
            session.close()


def _finish(response: Response) -> None:
    """Commit the request's work if it succeeded, and set its effects going; roll it back otherwise."""
    session: Session | None = g.get("db")
    if session is None:
        return
    if response.status_code >= 400:
        session.rollback()
        return
    session.commit()
    if request.method in _CHANGING:
        set_effects_going()


def _write_after_all(error: OperationalError) -> bool:
    """Whether a request that began as a read lost SQLite's race to write: then its session begins again as a
    writer (the request's objects stay in it, expired) and True; False for anything else."""
    session: Session | None = g.get("db")
    if session is None or not session.info.get(_READER) or "database is locked" not in str(error.orig):
        return False
    del session.info[_READER]  # its next transaction begins as every unit does unless told: with the write lock
    return True


def _rollback() -> None:
    session: Session | None = g.get("db")
    if session is not None:
        session.rollback()


def set_effects_going() -> None:
    """After a commit: wake the embedded mode's ticker, or kick a worker (with Redis). The request never waits for
    them; a failing effect stays in the outbox with its error and a later attempt."""
    celery = current_app.extensions.get("radaflow.celery")
    if celery is None:
        ticker: Ticker = current_app.extensions["radaflow.ticker"]
        ticker.nudge()
    else:
        kick(celery)
