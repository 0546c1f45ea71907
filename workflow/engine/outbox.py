"""Carrying out the effects recorded in the outbox: claimed, run once each, retried with backoff, and marked
done or failed. The same code serves the embedded mode (in-process after the commit) and the Celery tasks.

A handler gets the session, the row and the time, does its work in the caller's transaction and raises on failure;
it must be idempotent (the row's idempotency key says which effect of which move it is), since a crash after
the work and before the commit runs it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.engine.models import OutboxRow
from workflow.engine.writes import row_locks
from workflow.timeutil import as_utc, utcnow

#: a handler gets the session, the row and the moment it runs at (what it writes is stamped with it)
Handler = Callable[[Session, OutboxRow, datetime], None]

#: attempts before an effect is marked failed and left for an administrator
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s, ... capped at an hour."""
    return timedelta(seconds=min(3600, 10 * 2 ** max(0, attempts - 1)))


def claim(
    session: Session, effects: Iterable[str], *, limit: int = 100, now: datetime | None = None
) -> list[OutboxRow]:
    """Pending rows of these effects that are due, locked for this transaction (others skip them)."""
    now = utcnow() if now is None else as_utc(now)
    query = (
        select(OutboxRow)
        .where(OutboxRow.status == "pending", OutboxRow.effect.in_(list(effects)), OutboxRow.available_at <= now)
        .order_by(OutboxRow.id)
        .limit(limit)
    )
    if row_locks(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def carry_out(
    session: Session, handlers: Mapping[str, Handler], *, limit: int = 100, now: datetime | None = None
) -> tuple[int, int]:
    """Run the due rows these handlers know; returns (done, failed this time). The caller commits.

    Each row runs in a SAVEPOINT: a failing handler's writes are undone, its row gets the error and a later
    attempt, and the others go on.
    """
    now = utcnow() if now is None else as_utc(now)
    done = failed = 0
    for row in claim(session, handlers, limit=limit, now=now):
        try:
            with session.begin_nested():
                handlers[row.effect](session, row, now)
        except Exception as error:  # a handler's failure is recorded on its row, never lost
            failed += 1
            row.attempts += 1
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
            else:
                row.available_at = now + backoff(row.attempts)
        else:
            done += 1
            row.attempts += 1
            row.status = "done"
            row.done_at = now
            row.last_error = None
    session.flush()
    return done, failed
