"""Domain errors: each says in words why an action was refused, and maps to one HTTP status in the web."""

from __future__ import annotations

from collections.abc import Sequence


class WorkflowError(Exception):
    """Base of every refusal; `code` is stable for translation and for the API."""

    code = "workflow_error"

    def __init__(self, message: str, *, reasons: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.reasons = tuple(reasons)


class NotFound(WorkflowError):
    code = "not_found"


class WrongState(WorkflowError):
    """The trigger does not exist from the document's current state."""

    code = "wrong_state"


class NotAllowed(WorkflowError):
    """The actor holds none of the roles the move asks for, for this document."""

    code = "not_allowed"


class GuardFailed(WorkflowError):
    """A rule of the council (a guard) does not allow the move now."""

    code = "guard_failed"


class InvalidInput(WorkflowError):
    """What was sent with the move is not acceptable (a missing comment, a bad mapping, ...)."""

    code = "invalid_input"


class Conflict(WorkflowError):
    """Someone else changed the document meanwhile; reload it and try again."""

    code = "conflict"


class Busy(WorkflowError):
    """The database could not take the change now (too many writers at once); trying again will work."""

    code = "busy"
