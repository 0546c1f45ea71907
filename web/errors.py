"""One place that turns domain errors into HTTP answers a person understands."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError

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
from workflow.i18n import N_

STATUS = {
    NotAllowed: 403, NotFound: 404, Conflict: 409, WrongState: 409, GuardFailed: 409, InvalidInput: 422, Busy: 503,
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
        """SQLite (the embedded default) lets one writer at a time; one who waited too long is told to retry."""
        if "database is locked" not in str(error.orig):
            raise error
        return _workflow_error(Busy("web.busy", N_("the database is busy with other changes; try again in a moment")))

    @app.errorhandler(404)
    def _not_found(_error: Exception) -> ResponseReturnValue:
        if _wants_json():
            return {"error": "not_found", "message": "there is no such page", "reasons": []}, 404
        missing = NotFound("web.no_such_page", N_("There is no such page."))
        return render_template("error.html", error=missing, status=404, title=_("Page not found")), 404


def _wants_json() -> bool:
    """API clients: the /api/ paths, and anyone who prefers JSON to HTML."""
    if request.path.startswith("/api/"):
        return True
    accept = request.accept_mimetypes
    return accept.quality("application/json") > accept.quality("text/html")
