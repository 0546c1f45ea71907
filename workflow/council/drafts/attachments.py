"""Files attached to a draft (its annexes, a map, a budget table): checked by their content, stored with their
SHA-256 among the document's files, and replaced by a new version that keeps the old one. A file attached or
replaced changes the draft the reviewers signed off: the visas given to it lose their force, as after an edit of
its text."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.council.drafts.drafts import void_visas
from workflow.definitions.registry import registry_of
from workflow.engine.firing import holds_any_role
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotAllowed
from workflow.files import DocumentFile, get_file, store_file
from workflow.i18n import N_
from workflow.people import Actor
from workflow.timeutil import utcnow
from workflow.uploads import check_upload

#: the names attachments are stored under among a document's files: "attachment-1", "attachment-2", ...
PREFIX = "attachment-"


@dataclass(frozen=True, slots=True)
class Attached:
    file: DocumentFile
    #: how many visas given to the draft before the file came no longer stand
    voided: int


def may_attach(session: Session, draft: Document, actor: Actor) -> bool:
    """Whoever may edit the draft in its state may attach files to it (they are part of what it says)."""
    compiled = registry_of(session).get(draft.kind, draft.definition_version, session)
    editors = compiled.state(draft.state).edit
    return draft.kind == "decision_draft" and holds_any_role(registry_of(session).catalog, editors, draft, actor)


def attach_file(
    session: Session,
    draft: Document,
    actor: Actor,
    filename: str,
    content: bytes,
    *,
    replaces: str | None = None,
    now: datetime | None = None,
) -> Attached:
    """Attach a file to the draft, or a new version of the attachment `replaces`, voiding the visas given to the
    draft as it stood; refused, storing and voiding nothing, when the actor may not change the draft now or the
    file is not what is accepted."""
    _check_may_attach(session, draft, actor)
    checked = check_upload(filename, content)
    if replaces is None:
        name = f"{PREFIX}{_next_number(session, draft)}"
    else:
        if not replaces.startswith(PREFIX) or get_file(session, draft.id, replaces) is None:
            raise InvalidInput("attachments.no_such_file", N_("the draft has no such attached file"))
        name = replaces
    now = utcnow() if now is None else now
    stored = store_file(
        session,
        draft,
        name,
        content,
        key=f"upload:{uuid.uuid4().hex}",
        now=now,
        by=actor,
        filename=checked.filename,
        media_type=checked.kind.media_type,
    )
    why = "a file of the draft was replaced" if replaces else "a file was attached to the draft"
    return Attached(stored, void_visas(session, draft, why, now=now))


def attachments(session: Session, draft: Document) -> list[list[DocumentFile]]:
    """The draft's attachments, each as its versions (the latest last), in the order they were attached."""
    rows = session.scalars(
        select(DocumentFile)
        .where(DocumentFile.document_id == draft.id, DocumentFile.name.startswith(PREFIX))
        .order_by(DocumentFile.id)
    ).all()
    grouped: dict[str, list[DocumentFile]] = {}
    for row in rows:
        grouped.setdefault(row.name, []).append(row)
    return list(grouped.values())


def _next_number(session: Session, draft: Document) -> int:
    count = session.scalar(
        select(func.count(func.distinct(DocumentFile.name))).where(
            DocumentFile.document_id == draft.id, DocumentFile.name.startswith(PREFIX)
        )
    )
    return (count or 0) + 1


def _check_may_attach(session: Session, draft: Document, actor: Actor) -> None:
    if draft.kind != "decision_draft":
        raise InvalidInput("attachments.not_a_draft", N_("files are attached here to draft decisions only"))
    if not may_attach(session, draft, actor):
        compiled = registry_of(session).get(draft.kind, draft.definition_version, session)
        state = compiled.state(draft.state)
        if state.edit:
            raise NotAllowed(
                "attachments.not_allowed",
                N_("files are attached to a draft in the state '{state}' by: {roles}"),
                state=state.title,
                roles=registry_of(session).catalog.roles_named(state.edit),
            )
        raise NotAllowed(
            "attachments.not_editable",
            N_("a draft in the state '{state}' cannot be changed, nor its files"),
            state=state.title,
        )
