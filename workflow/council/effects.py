"""Outbox rows for the council's own data that moves recorded before consequences ran in the move's transaction.

`assign_number` and `fire_parent` are consequences now (`workflow.council.sittings.numbering`,
`workflow.council.drafts.consequences`): the engine runs them itself and writes no outbox row for them. A
database upgraded with such rows still pending carries them out here, once, as before. Notifications and
documents are the tasks'."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.drafts import drafts
from workflow.council.sittings.numbering import assign_number
from workflow.definitions.registry import registry_of
from workflow.engine import fire
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.engine.outbox import Handler
from workflow.errors import NotFound
from workflow.i18n import N_
from workflow.people import Actor
from workflow.timeutil import as_utc


def _document(session: Session, row: OutboxRow) -> Document:
    document = session.get(Document, row.document_id)
    if document is None:
        raise NotFound(
            "effects.document_document_id_gone",
            N_("document {document_id} is gone"),
            document_id=row.document_id,
        )
    return document


def number_decision(session: Session, row: OutboxRow, now: datetime) -> None:
    assign_number(session, _document(session, row), now=now)


def fire_parent(session: Session, row: OutboxRow, now: datetime) -> None:
    """Fire `params.trigger` on the document's parent, as the system, unless it already went past it."""
    child = _document(session, row)
    parent = session.get(Document, child.parent_id) if child.parent_id is not None else None
    if parent is None:
        raise NotFound("effects.document_id_no_parent", N_("document {id} has no parent to move"), id=child.id)
    trigger = str(row.params["trigger"])
    compiled = registry_of(session).get(parent.kind, parent.definition_version, session)
    if compiled.move(parent.state, trigger) is None or as_utc(parent.state_entered_at) > as_utc(row.created_at):
        # the parent went past it since the child asked (the other reviewer returned it first, it was withdrawn,
        # or it was submitted again and this is an earlier round's visa): nothing left to do
        return
    # the child's move that asked for this carries the reason (a reviewer's remarks): pass it on
    reason = session.scalar(
        select(AuditEntry.comment).where(AuditEntry.document_id == child.id, AuditEntry.version == row.audit_version)
    )
    comment = f"{child.title}: {reason}" if reason else None
    if parent.kind == "decision_draft" and trigger == "return_for_revision":
        # a reviewer's returned visa: what else was asked for that text is asked no more
        drafts.return_for_revision(
            session, parent, Actor.system(), comment or "returned by a reviewer", data={"because_of": child.id}, now=now
        )
        return
    fire(session, parent, trigger, Actor.system(), comment=comment, data={"because_of": child.id}, now=now)


HANDLERS: dict[str, Handler] = {"assign_number": number_decision, "fire_parent": fire_parent}
