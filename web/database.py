"""One database session per request, committed once at the end if the request succeeded."""

from __future__ import annotations

from flask import Flask, Response, g
from sqlalchemy.orm import Session

from web.extension import radaflow


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
            else:
                session.rollback()
        return response

    @app.teardown_appcontext
    def _close(_error: BaseException | None) -> None:
        session: Session | None = g.pop("db", None)
        if session is not None:
            session.rollback()
            session.close()
