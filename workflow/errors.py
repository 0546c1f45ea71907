"""Domain errors: each says why an action was refused, as a message code with parameters that the edges put
into words in the reader's language (`workflow.i18n.render`), and maps to one HTTP status in the web."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workflow.i18n import Message


class WorkflowError(Exception):
    """Base of every refusal.

    `WorkflowError(code, template, **params)`: `code` names the refusal for the API and for tests (e.g.
    "engine.stale_document"), `template` is its English text marked with `N_` (the catalog's msgid), `params`
    fill its {placeholders} and are written in the reader's language (moments, dates, titles, plurals).
    `str(error)` and `error.message` give the English rendering; `reasons` are Messages (or texts) too. A
    `Message` may stand for the code and the template.
    """

    #: the kind of refusal, stable for the API (its HTTP status follows from it)
    kind = "workflow_error"

    def __init__(
        self, code: str, template: str | None = None, /, *, reasons: Sequence[Message | str] = (), **params: Any
    ) -> None:
        if isinstance(code, Message):  # a message said elsewhere too (e.g. a reason that is also a refusal)
            said: Message = code
            code, template, params = said.code, said.template, {**said.params, **params}
        elif template is None:  # a text said as it is, not through the catalog: shown untranslated
            code, template = self.kind, code.replace("{", "{{").replace("}", "}}")
        self.code = code
        self.detail = Message(code, template, params)
        self.params = params
        self.reasons = tuple(reasons)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The refusal in English: for logs, the command line's default and tests."""
        return str.__str__(self.detail)


class NotFound(WorkflowError):
    kind = "not_found"


class WrongState(WorkflowError):
    """The trigger does not exist from the document's current state."""

    kind = "wrong_state"


class NotAllowed(WorkflowError):
    """The actor holds none of the roles the move asks for, for this document."""

    kind = "not_allowed"


class GuardFailed(WorkflowError):
    """A rule of the council (a guard) does not allow the move now."""

    kind = "guard_failed"


class InvalidInput(WorkflowError):
    """What was sent with the move is not acceptable (a missing comment, a bad mapping, ...)."""

    kind = "invalid_input"


class Conflict(WorkflowError):
    """Someone else changed the document meanwhile; reload it and try again."""

    kind = "conflict"


class Busy(WorkflowError):
    """The database could not take the change now (too many writers at once); trying again will work."""

    kind = "busy"
