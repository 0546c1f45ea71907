"""What a notice says about a document of one kind besides what every notice says (a decision's number, a
session's date and place, the role a delegation gives), as each feature registers it; and the `notify`
effect's parameters: who is told, with which message."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from workflow.engine.models import Document

#: what a notice about the document says of it, by name (`number`, `session`, `role_title`): plain values, a
#: datetime (written in the reader's time), or a title in both languages ({"uk": ..., "en": ...})
Facts = Callable[[Session, Document], Mapping[str, Any]]


class NotifyParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: who is told: roles as in transitions (global or relative to the document)
    roles: list[str] = Field(min_length=1)
    #: the message template (e-mail and in-app), by name
    template: str = Field(min_length=1)


class Notices:
    """Per kind of document, what its notices say of it."""

    def __init__(self) -> None:
        self._facts: dict[str, Facts] = {}

    def kind(self, kind: str, facts: Facts) -> None:
        if kind in self._facts:
            raise ValueError(f"the notices of {kind!r} are registered twice")
        self._facts[kind] = facts

    def facts(self, session: Session, document: Document) -> dict[str, Any]:
        """What notices say of `document`: nothing more than every notice says for a kind that registered none."""
        facts = self._facts.get(document.kind)
        return {} if facts is None else dict(facts(session, document))
