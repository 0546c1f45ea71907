"""One place that turns domain errors into HTTP answers a person understands."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue

from workflow.errors import (
    Conflict,
    GuardFailed,
    InvalidInput,
    NotAllowed,
    NotFound,
    WorkflowError,
    WrongState,
)

STATUS = {NotAllowed: 403, NotFound: 404, Conflict: 409, WrongState: 409, GuardFailed: 409, InvalidInput: 422}


def status_of(error: WorkflowError) -> int:
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 400


def init_app(app: Flask) -> None:
    @app.errorhandler(WorkflowError)
    def _workflow_error(error: WorkflowError) -> ResponseReturnValue:
        status = status_of(error)
        body = {"error": error.code, "message": error.message, "reasons": list(error.reasons)}
        if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
            return body, status
        return render_template("error.html", error=error, status=status), status
