"""Who may read a document: anyone while its state is public; otherwise the people of the council's work
(anyone holding a council role), its author and the person it is addressed to. A citizen's message is private
to the citizen, the deputy written to, the secretary (who answers for the deadline) and the administrator."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workflow.definitions.registry import registry_of
from workflow.engine.models import Document
from workflow.people import Actor

#: roles that read nothing but what is public, their own documents and those addressed to them
OUTSIDE_ROLES = frozenset({"citizen"})
#: kinds private to their author and addressee, and who else may read them
PRIVATE_KINDS = {"citizen_message": frozenset({"secretary", "admin"})}


def names_its_author_publicly(document: Document) -> bool:
    """A citizen who wrote to a deputy is not named to the public, even when the answer is published."""
    return document.kind not in PRIVATE_KINDS


#: fields by which a document names the one person it is addressed to
ADDRESSED_BY = ("deputy_id", "person_id")


def may_read(session: Session, document: Document, actor: Actor | None) -> bool:
    return state_is_public(session, document.kind, document.definition_version, document.state) or reads_in_full(
        document, actor
    )


def state_is_public(session: Session, kind: str, version: int, state: str) -> bool:
    """Whether anyone may read a document of `kind` on `version` of its definition while it is in `state`."""
    return registry_of(session).get(kind, version, session).state(state).public


def reads_in_full(document: Document, actor: Actor | None) -> bool:
    """Whether the reader may read the document whatever its state: then what was said on its way (comments,
    remarks) and who wrote a private kind are theirs to see too, not only what is published."""
    if actor is None or actor.id is None:
        return False
    if actor.id == document.author_id or any(document.fields.get(name) == actor.id for name in ADDRESSED_BY):
        return True
    if document.kind in PRIVATE_KINDS:
        return bool(actor.roles & PRIVATE_KINDS[document.kind])
    return bool(actor.roles - OUTSIDE_ROLES)
