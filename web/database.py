"""One database session per request, committed once at the end if the request succeeded. After a commit that
may have recorded effects (any request that changes something), they are set going: in the embedded mode (no
Redis) carried out in-process, in transactions of their own, by the same code the workers run; with Redis, a
worker is kicked (and if Redis is down, beat's sweep does it later — the commit stands either way)."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request
from sqlalchemy.orm import Session

from tasks import runner
from tasks.celery_app import create_celery, kick
from web.extension import radaflow

#: requests that may change something (and so record effects)
_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def db() -> Session:
    """The request's session, opened on first use."""
    if "db" not in g:
        g.db = radaflow().sessions()
    session: Session = g.db
    return session


def init_app(app: Flask) -> None:
    if app.extensions["radaflow"].settings.redis_url is not None:
        app.extensions["radaflow.celery"] = create_celery(app.extensions["radaflow"].settings)

    @app.after_request
    def _commit(response: Response) -> Response:
        session: Session | None = g.get("db")
        if session is not None:
            if response.status_code < 400:
                session.commit()
                if request.method in _CHANGING:
                    set_effects_going()
            else:
                session.rollback()
        return response

    @app.teardown_appcontext
    def _close(_error: BaseException | None) -> None:
        session: Session | None = g.pop("db", None)
        if session is not None:
            session.rollback()
            session.close()


def set_effects_going() -> None:
    """After a commit: carry out its effects now (embedded mode) or kick a worker (with Redis). A failing effect
    stays in the outbox with its error and a later attempt; the response is not affected."""
    celery = current_app.extensions.get("radaflow.celery")
    if celery is None:
        runner.run_pending(radaflow())
    else:
        kick(celery)
