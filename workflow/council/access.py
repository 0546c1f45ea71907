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
#: fields by which a document names the one person it is addressed to
ADDRESSED_BY = ("deputy_id", "person_id")


def may_read(session: Session, document: Document, actor: Actor | None) -> bool:
    compiled = registry_of(session).get(document.kind, document.definition_version, session)
    if compiled.state(document.state).public:
        return True
    if actor is None or actor.id is None:
        return False
    if actor.id == document.author_id or any(document.fields.get(name) == actor.id for name in ADDRESSED_BY):
        return True
    if document.kind in PRIVATE_KINDS:
        return bool(actor.roles & PRIVATE_KINDS[document.kind])
    return bool(actor.roles - OUTSIDE_ROLES)
