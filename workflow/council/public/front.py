"""What the portal's front page tells a citizen: the latest decisions, and the drafts open for public
discussion with the working days left of the legal period (the next session is `sessions.next_session`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.calendar import working_days_between
from workflow.council.access import may_read, state_is_public
from workflow.council.discussion.discussion import DRAFT, OPEN_STATE
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


def open_for_discussion(session: Session, now: datetime, limit: int | None = None) -> list[OpenDraft]:
    """The drafts in public discussion, the soonest to close first (the first `limit` of them), with the working
    days left of the period the law gives the public before a draft is considered (`LAW.publication_working_days`).

    Every draft's latest publication is read as two columns (one query) and ranked; only the drafts shown are read
    whole (one more): the front page costs the same however many drafts are open."""
    # the latest publication by the log's order (published again after a return, the period starts anew)
    published = (
        select(AuditEntry.at)
        .where(AuditEntry.document_id == Document.id, AuditEntry.trigger == "publish_for_discussion")
        .order_by(AuditEntry.version.desc())
        .limit(1)
        .correlate(Document)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Document.id, Document.definition_version, Document.state_entered_at, published).where(
            Document.kind == DRAFT, Document.state == OPEN_STATE
        )
    ).all()
    today = local_date(now)
    period = LAW.publication_working_days
    left_after: dict[date, int] = {}
    ranked: list[tuple[int, int, datetime]] = []
    for document_id, version, entered_at, at in rows:
        if not state_is_public(session, DRAFT, version, OPEN_STATE):
            continue
        at = entered_at if at is None else at
        day = local_date(at)
        if day not in left_after:
            left_after[day] = max(0, period - working_days_between(day, today, at_most=period))
        ranked.append((left_after[day], document_id, at))
    ranked.sort(key=lambda row: (row[0], row[1]))
    shown = ranked if limit is None else ranked[:limit]
    documents = (
        {d.id: d for d in session.scalars(select(Document).where(Document.id.in_([row[1] for row in shown])))}
        if shown
        else {}
    )
    return [OpenDraft(documents[document_id], at, left) for left, document_id, at in shown]
