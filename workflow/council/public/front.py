"""What the portal's front page tells a citizen: the latest decisions, and the drafts open for public
discussion with the working days left of the legal period (the next session is `sessions.next_session`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.calendar import working_days_between
from workflow.council.access import may_read
from workflow.council.law import LAW
from workflow.council.sittings.models import Decision
from workflow.engine.models import AuditEntry, Document
from workflow.i18n import local_date


@dataclass(frozen=True)
class OpenDraft:
    document: Document
    published_at: datetime
    #: working days of the legal period of discussion still to come (0 on its last day and after)
    working_days_left: int


def latest_decisions(session: Session, limit: int = 5) -> list[tuple[Decision, Document]]:
    """The decisions most recently numbered that the public may read, newest first."""
    rows = session.execute(
        select(Decision, Document)
        .join(Document, Document.id == Decision.draft_id)
        .order_by(Decision.adopted_on.desc(), Decision.number.desc())
        .limit(limit * 4)  # a few spare, should some not be public
    ).all()
    return [(decision, draft) for decision, draft in rows if may_read(session, draft, None)][:limit]


def open_for_discussion(session: Session, now: datetime) -> list[OpenDraft]:
    """The drafts in public discussion, the soonest to close first, with the working days left of the period
    the law gives the public before a draft is considered (`LAW.publication_working_days`)."""
    drafts = list(
        session.scalars(
            select(Document)
            .where(Document.kind == "decision_draft", Document.state == "public_discussion")
            .order_by(Document.id)
        )
    )
    if not drafts:
        return []
    # the latest publication by the log's order (published again after a return, the period starts anew)
    published: dict[int, datetime] = {}
    for document_id, at in session.execute(
        select(AuditEntry.document_id, AuditEntry.at)
        .where(AuditEntry.document_id.in_([d.id for d in drafts]), AuditEntry.trigger == "publish_for_discussion")
        .order_by(AuditEntry.document_id, AuditEntry.version)
    ):
        published[document_id] = at
    today = local_date(now)
    out = []
    for draft in drafts:
        if not may_read(session, draft, None):
            continue
        at = published.get(draft.id, draft.state_entered_at)
        passed = working_days_between(local_date(at), today)
        out.append(OpenDraft(draft, at, max(0, LAW.publication_working_days - passed)))
    return sorted(out, key=lambda d: (d.working_days_left, d.document.id))
