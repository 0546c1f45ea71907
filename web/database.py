"""One database session per request, committed once at the end if the request succeeded; then, in the
embedded mode (no Redis), the effects that commit recorded are carried out in-process, in a transaction of
their own."""

from __future__ import annotations

from flask import Flask, Response, g
from sqlalchemy.orm import Session

from web.extension import radaflow
from workflow.council.effects import HANDLERS
from workflow.engine.outbox import carry_out


def db() -> Session:
    """The request's session, opened on first use."""
    if "db" not in g:
        g.db = radaflow().sessions()
    session: Session = g.db
    return session


def init_app(app: Flask) -> None:
    @app.after_request
    def _commit(response: Response) -> Response:
        session: Session | None = g.get("db")
        if session is not None:
            if response.status_code < 400:
                session.commit()
                if radaflow().settings.redis_url is None:
                    _carry_out_effects()
            else:
                session.rollback()
        return response

    @app.teardown_appcontext
    def _close(_error: BaseException | None) -> None:
        session: Session | None = g.pop("db", None)
        if session is not None:
            session.rollback()
            session.close()


def _carry_out_effects() -> None:
    """The embedded mode's dispatcher: what the request's moves recorded, run after their commit.

    A failing effect stays in the outbox with its error and a later attempt; the response is not affected.
    """
    with radaflow().sessions.begin() as session:
        carry_out(session, HANDLERS)
