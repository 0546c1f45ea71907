"""One place that turns domain errors into HTTP answers a person understands."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from workflow.errors import (
    Busy,
    Conflict,
    GuardFailed,
    InvalidInput,
    NotAllowed,
    NotFound,
    WorkflowError,
    WrongState,
)
from workflow.i18n import N_, message

STATUS = {
    NotAllowed: 403,
    NotFound: 404,
    Conflict: 409,
    WrongState: 409,
    GuardFailed: 409,
    InvalidInput: 422,
    Busy: 503,
}


def status_of(error: WorkflowError) -> int:
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 400


def init_app(app: Flask) -> None:
    @app.errorhandler(WorkflowError)
    def _workflow_error(error: WorkflowError) -> ResponseReturnValue:
        status = status_of(error)
        # an API client reads the refusal's kind and its English words (stable, as logs and the tests have them)
        body = {"error": error.kind, "message": error.message, "reasons": list(error.reasons)}
        if _wants_json():
            return body, status
        return render_template("error.html", error=error, status=status), status

    @app.errorhandler(OperationalError)
    def _database_busy(error: OperationalError) -> ResponseReturnValue:
        """SQLite (the embedded default) lets one writer at a time: one who waited too long is told to retry. On
        PostgreSQL a transaction that lost a race (serialization failure, deadlock) is a conflict."""
        if "database is locked" in str(error.orig):
            return _workflow_error(Busy(BUSY))
        if _sqlstate(error) in _LOST_RACE:
            return _workflow_error(Conflict(CHANGED_MEANWHILE))
        raise error

    @app.errorhandler(IntegrityError)
    def _stored_meanwhile(error: IntegrityError) -> ResponseReturnValue:
        """A unique key taken by a request that committed first (found by the flush or the commit)."""
        if _sqlstate(error) == "23505" or "UNIQUE constraint failed" in str(error.orig):
            return _workflow_error(Conflict(CHANGED_MEANWHILE))
        raise error

    @app.errorhandler(404)
    def _not_found(_error: Exception) -> ResponseReturnValue:
        if _wants_json():
            return {"error": "not_found", "message": "there is no such page", "reasons": []}, 404
        missing = NotFound("web.no_such_page", N_("There is no such page."))
        return render_template("error.html", error=missing, status=404, title=_("Page not found")), 404

    @app.errorhandler(HTTPException)
    def _other_http_error(error: HTTPException) -> ResponseReturnValue:
        """Any other answer Werkzeug gives by itself (405 to a link followed to a form's address, 400, ...) on
        the site's own page, in the reader's language, instead of Werkzeug's bare English one."""
        status = error.code or 500
        if isinstance(error, MethodNotAllowed):
            said = WorkflowError("web.method_not_allowed", N_("This address is for sending a form, not for reading."))
        elif isinstance(error, InternalServerError):
            said = WorkflowError(
                "web.internal_error", N_("Something went wrong on our side; nothing was changed. Try again later.")
            )
        else:
            said = WorkflowError(
                "web.request_not_handled", N_("The request could not be handled ({status})."), status=status
            )
        if _wants_json():
            return {"error": said.code, "message": said.message, "reasons": []}, status
        return render_template("error.html", error=said, status=status), status


#: what a person is told when the database could not take their change
BUSY = message("web.busy", N_("the database is busy with other changes; try again in a moment"))
CHANGED_MEANWHILE = message(
    "web.changed_meanwhile",
    N_("someone else changed the same thing at the same moment; reload the page and try again"),
)

#: PostgreSQL's SQLSTATEs of a transaction that lost a race: serialization failure, deadlock
_LOST_RACE = frozenset({"40001", "40P01"})


def _sqlstate(error: OperationalError | IntegrityError) -> str | None:
    """The SQLSTATE the driver reports (psycopg does; SQLite has none)."""
    state = getattr(error.orig, "sqlstate", None)
    return state if isinstance(state, str) else None


def _wants_json() -> bool:
    """API clients: the /api/ paths, and anyone who prefers JSON to HTML."""
    if request.path.startswith("/api/"):
        return True
    accept = request.accept_mimetypes
    return accept.quality("application/json") > accept.quality("text/html")
