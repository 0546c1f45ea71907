"""The effects and e-mails that failed for good (after their last attempt) and wait for an administrator: listed
with what failed, summarised so that nothing secret shows, and put back in line, one or all, in one transaction.
Putting one back is the outbox's own `put_back` (what `radaflow effects retry` and `radaflow mail retry` do):
pending, due now, attempts anew, its idempotency key kept, so an effect that did happen is not done twice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.council.administration.admin import require_admin
from workflow.engine.models import Document, OutboxRow
from workflow.engine.outbox import put_back
from workflow.engine.writes import row_locks
from workflow.notifications.models import OutgoingMail
from workflow.people import Actor

Queued = TypeVar("Queued", OutboxRow, OutgoingMail)

#: the failures listed on a page (the newest first); the counts say how many there are in all
LISTED = 200

#: the longest summary of an error shown
SUMMARY_LENGTH = 300

#: what an error's text may carry that nobody should read off a page: credentials in a URL (an SMTP or a database
#: address), a password or a token named as such, a long run of base64 or hex (a key, a signature, a signed link)
_SECRETS = (
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@]*@", re.IGNORECASE), r"\1…@"),
    (re.compile(r"\b(password|passwd|pwd|token|secret|key)(\s*[=:]\s*)\S+", re.IGNORECASE), r"\1\2…"),
    (re.compile(r"[A-Za-z0-9+/_-]{32,}={0,2}"), "…"),
)


def summarise(error: str | None) -> str:
    """An error's first line, without secrets, at most SUMMARY_LENGTH characters."""
    if not error:
        return ""
    line = error.strip().splitlines()[0] if error.strip() else ""
    for pattern, replacement in _SECRETS:
        line = pattern.sub(replacement, line)
    return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1] + "…"


@dataclass(frozen=True)
class FailedEffect:
    id: int
    effect: str
    document_id: int
    document_kind: str
    document_title: str
    attempts: int
    error: str
    created_at: datetime


@dataclass(frozen=True)
class FailedMail:
    id: int
    to_address: str
    subject: str
    attempts: int
    error: str
    created_at: datetime


def counts(session: Session) -> dict[str, dict[str, int]]:
    """How many effects and e-mails there are by status: {"effects": {"failed": 2, ...}, "mail": {...}}."""
    return {
        "effects": dict(session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status)).all()),
        "mail": dict(session.execute(select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status)).all()),
    }


def failed_effects(session: Session, *, limit: int = LISTED) -> list[FailedEffect]:
    rows = session.execute(
        select(OutboxRow, Document.kind, Document.title)
        .join(Document, Document.id == OutboxRow.document_id)
        .where(OutboxRow.status == "failed")
        .order_by(OutboxRow.id.desc())
        .limit(limit)
    )
    return [
        FailedEffect(
            row.id, row.effect, row.document_id, kind, title, row.attempts, summarise(row.last_error), row.created_at
        )
        for row, kind, title in rows
    ]


def failed_mails(session: Session, *, limit: int = LISTED) -> list[FailedMail]:
    rows = session.scalars(
        select(OutgoingMail).where(OutgoingMail.status == "failed").order_by(OutgoingMail.id.desc()).limit(limit)
    )
    return [
        FailedMail(row.id, row.to_address, row.subject, row.attempts, summarise(row.last_error), row.created_at)
        for row in rows
    ]


def retry_effects(session: Session, actor: Actor, ids: list[int] | None = None, *, now: datetime) -> int:
    """Put failed effects back in line: those of `ids` (each must be failed, or nothing is done), or every failed
    one. How many were put back; the caller commits."""
    require_admin(actor)
    if ids is None:
        ids = list(session.scalars(select(OutboxRow.id).where(OutboxRow.status == "failed").order_by(OutboxRow.id)))
    for row_id in ids:
        put_back(session, _locked(session, OutboxRow, row_id), "effect", row_id, "the outbox", now=now)
    return len(ids)


def retry_mails(session: Session, actor: Actor, ids: list[int] | None = None, *, now: datetime) -> int:
    """Put failed e-mails back in the queue: those of `ids`, or every failed one. The caller commits."""
    require_admin(actor)
    if ids is None:
        ids = list(
            session.scalars(select(OutgoingMail.id).where(OutgoingMail.status == "failed").order_by(OutgoingMail.id))
        )
    for mail_id in ids:
        put_back(session, _locked(session, OutgoingMail, mail_id), "e-mail", mail_id, "the queue", now=now)
    return len(ids)


def _locked(session: Session, model: type[Queued], row_id: int) -> Queued | None:
    """The row, read afresh and locked on PostgreSQL: two administrators putting one back at once do it once (the
    second is told it is pending, not failed)."""
    query = select(model).where(model.id == row_id).execution_options(populate_existing=True)
    if row_locks(session):
        query = query.with_for_update()
    return session.scalar(query)
