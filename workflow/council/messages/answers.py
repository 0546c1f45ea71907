"""How a deputy answers the citizens who write: the answers given publicly, and the counts anyone may see —
how quickly the deputy answers, how many messages wait and for how long. Nothing here names a citizen or shows
a message's words unless its answer was made public."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.council.messages.messages import KIND, OPEN_STATES
from workflow.engine.models import AuditEntry, Document
from workflow.timeutil import as_utc, utcnow

#: the moves that answer a message, and the one that makes its answer public
ANSWERS = ("answer_publicly", "answer_privately")
PUBLIC_ANSWER = "answer_publicly"
#: the state in which a message and its answer are public (workflow/council/access.py: the definition says so)
PUBLIC_STATE = "answered_publicly"


@dataclass(frozen=True, slots=True)
class PublicAnswer:
    message_id: int
    subject: str
    #: the citizen's words, public with the answer (never the citizen's name or address)
    question: str
    answer: str
    asked_at: datetime
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class Responsiveness:
    #: messages answered (publicly or privately)
    answered: int
    #: median days from the citizen writing to the answer; None before the first answer
    median_days: float | None
    #: messages waiting for an answer now
    unanswered: int
    #: whole days the oldest waiting message has waited; None when none waits
    oldest_unanswered_days: int | None


def public_answers(session: Session, deputy_id: int, *, limit: int | None = None) -> list[PublicAnswer]:
    """The deputy's answers made public, newest first (one query)."""
    query = (
        select(Document.id, Document.title, Document.fields, Document.created_at, func.max(AuditEntry.at))
        .join(AuditEntry, AuditEntry.document_id == Document.id)
        .where(
            Document.kind == KIND,
            Document.state == PUBLIC_STATE,
            Document.fields["deputy_id"].as_integer() == deputy_id,
            AuditEntry.trigger == PUBLIC_ANSWER,
        )
        .group_by(Document.id, Document.title, Document.fields, Document.created_at)
        .order_by(func.max(AuditEntry.at).desc(), Document.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        PublicAnswer(
            message_id=row[0],
            subject=row[1],
            question=str(row[2].get("text", "")),
            answer=str(row[2].get("answer", "")),
            asked_at=as_utc(row[3]),
            answered_at=as_utc(row[4]),
        )
        for row in session.execute(query)
    ]


def responsiveness(session: Session, deputy_id: int, *, now: datetime | None = None) -> Responsiveness:
    """The deputy's counts (two queries: the waiting messages, the answered ones with their answers' moments)."""
    now = utcnow() if now is None else as_utc(now)
    addressed = (Document.kind == KIND, Document.fields["deputy_id"].as_integer() == deputy_id)
    waiting, oldest = session.execute(
        select(func.count(), func.min(Document.created_at)).where(*addressed, Document.state.in_(OPEN_STATES))
    ).one()
    answered = session.execute(
        select(Document.created_at, func.min(AuditEntry.at))
        .join(AuditEntry, AuditEntry.document_id == Document.id)
        .where(*addressed, AuditEntry.trigger.in_(ANSWERS))
        .group_by(Document.id, Document.created_at)
    ).all()
    days = [(as_utc(at) - as_utc(asked)).total_seconds() / 86400 for asked, at in answered]
    return Responsiveness(
        answered=len(days),
        median_days=None if not days else statistics.median(days),
        unanswered=int(waiting),
        oldest_unanswered_days=None if oldest is None else (now - as_utc(oldest)).days,
    )
