"""What the portal's feeds announce: decisions as they are numbered, drafts as they are opened for public
discussion. Only documents whose current state is public appear (the definitions say which states are)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.sittings.models import Decision
from workflow.definitions.registry import registry_of
from workflow.engine.models import AuditEntry, Document
from workflow.timeutil import as_utc

DRAFT_KIND = "decision_draft"
OPEN_FOR_DISCUSSION = "publish_for_discussion"
FEED_SIZE = 50


@dataclass(frozen=True, slots=True)
class Announced:
    document_id: int
    #: the audit entry's version that announced it: one opening of a draft, one numbering of a decision
    version: int
    title: str
    #: the decision's official number ("" for a draft)
    number: str
    text: str
    created_at: datetime
    at: datetime


def public_states(session: Session, kind: str) -> list[str]:
    """The states of `kind` that are public in any version of its definition the registry holds now."""
    compiled = registry_of(session).current(kind)
    return [name for name, state in compiled.definition.states.items() if state.public]


def new_decisions(session: Session, *, limit: int = FEED_SIZE) -> list[Announced]:
    """The latest numbered decisions, newest first (one query)."""
    rows = session.execute(
        select(Document, Decision.official_number, Decision.numbered_at, Decision.audit_version)
        .join(Decision, Decision.draft_id == Document.id)
        .where(Document.state.in_(public_states(session, DRAFT_KIND)))
        .order_by(Decision.numbered_at.desc(), Decision.id.desc())
        .limit(limit)
    ).all()
    return [
        Announced(
            document.id,
            version or 0,
            document.title,
            number,
            str(document.fields.get("body", "")),
            as_utc(document.created_at),
            as_utc(at),
        )
        for document, number, at, version in rows
    ]


def drafts_opened(session: Session, *, limit: int = FEED_SIZE) -> list[Announced]:
    """Drafts as they were opened for public discussion, newest first; a draft still public now (one query)."""
    rows = session.execute(
        select(Document, AuditEntry.version, AuditEntry.at)
        .join(AuditEntry, AuditEntry.document_id == Document.id)
        .where(
            Document.kind == DRAFT_KIND,
            Document.state.in_(public_states(session, DRAFT_KIND)),
            AuditEntry.trigger == OPEN_FOR_DISCUSSION,
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ).all()
    return [
        Announced(
            document.id,
            version,
            document.title,
            "",
            str(document.fields.get("body", "")),
            as_utc(document.created_at),
            as_utc(at),
        )
        for document, version, at in rows
    ]
