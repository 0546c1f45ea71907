"""Carrying out the effects recorded in the outbox: claimed, run once each, retried with backoff, and marked
done or failed. The same code serves the embedded mode (its ticker thread, after the commit) and the Celery tasks.

A handler gets the session, the row and the time, does its work in the caller's transaction and raises on failure;
it must be idempotent (the row's idempotency key says which effect of which move it is), since a crash after
the work and before the commit runs it again.

Two ways to run them:
- `carry_out(session, ...)` inside the caller's transaction (the tests and the demo, which commit themselves);
- `run_due(sessions, ...)` as the dispatchers do: every row in transactions of its own, so one slow or failing
  effect holds up no other, a worker that dies loses only the row it was running, and a row whose worker keeps
  dying is counted and given up on like one that keeps failing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from workflow.engine.models import OutboxRow
from workflow.engine.writes import row_locks
from workflow.errors import NotFound, WrongState
from workflow.i18n import N_
from workflow.timeutil import as_utc, utcnow

#: a handler gets the session, the row and the moment it runs at (what it writes is stamped with it)
Handler = Callable[[Session, OutboxRow, datetime], None]

#: attempts before an effect is marked failed and left for an administrator
MAX_ATTEMPTS = 8

#: how long a row claimed by a dispatcher is left alone by the others between counting its attempt and locking it
#: to run; a dispatcher that dies in that moment (or while running, which releases its lock) leaves the row to
#: another one after this
CLAIM_LEASE = timedelta(seconds=5)


def backoff(attempts: int, base: float = 10.0) -> timedelta:
    """`base` seconds, then twice, four times as long, ... capped at an hour (10 s, 20 s, 40 s by default)."""
    return timedelta(seconds=min(3600.0, base * 2 ** max(0, attempts - 1)))


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
    session: Session,
    handlers: Mapping[str, Handler],
    *,
    limit: int = 100,
    now: datetime | None = None,
    retry_seconds: float = 10.0,
) -> tuple[int, int]:
    """Run the due rows these handlers know; returns (done, failed this time). The caller commits."""
    now = utcnow() if now is None else as_utc(now)
    done = failed = 0
    for row in claim(session, handlers, limit=limit, now=now):
        row.attempts += 1
        if _run(session, row, handlers[row.effect], now, retry_seconds):
            done += 1
        else:
            failed += 1
    session.flush()
    return done, failed


def run_due(
    sessions: sessionmaker[Session],
    handlers: Mapping[str, Handler],
    *,
    limit: int = 1000,
    now: datetime | None = None,
    retry_seconds: float = 10.0,
) -> tuple[int, int]:
    """Run the due rows one by one, each committed on its own; returns (done, failed this time).

    Each row takes two steps. First its attempt is counted and the row leased for a moment (`CLAIM_LEASE`: other
    dispatchers skip it), committed, so that a row whose worker is killed every time (a poison effect) still runs
    out of attempts. Then, with the row locked (others skip it however long it runs), the handler runs, and its
    work and the row's outcome commit together: the effect happens once or not at all.
    Stops after `limit` rows or when none is due (`now` fixed for tests; otherwise the clock, read per row).
    """
    done = failed = 0
    for _ in range(limit):
        moment = utcnow() if now is None else as_utc(now)
        with sessions.begin() as session:
            started = _start(session, handlers, moment)
        if started is None:
            break
        row_id, attempt = started
        with sessions.begin() as session:
            query = select(OutboxRow).where(OutboxRow.id == row_id, OutboxRow.status == "pending")
            if row_locks(session):
                # Wait for the lock rather than skip: a competing dispatcher's claim may hold this row for a moment
                # (PostgreSQL keeps a row locked that its SKIP LOCKED scan took just as this lease was written);
                # skipping would leave the row leased and unrun.
                query = query.with_for_update()
            row = session.scalar(query)
            if row is None or row.attempts != attempt:
                continue  # done meanwhile, or claimed again by another dispatcher after this lease ran out
            if row.attempts > MAX_ATTEMPTS:
                row.status = "failed"
                row.last_error = (row.last_error or "") + " (its worker stopped while running it every time)"
                failed += 1
            elif _run(session, row, handlers[row.effect], moment, retry_seconds):
                done += 1
            else:
                failed += 1
    return done, failed


def _start(session: Session, handlers: Mapping[str, Handler], now: datetime) -> tuple[int, int] | None:
    """Count an attempt on the first due row nobody holds; its id and the attempt's number, or None when nothing
    is due."""
    rows = claim(session, handlers, limit=1, now=now)
    if not rows:
        return None
    attempt = rows[0].attempts + 1
    session.execute(
        update(OutboxRow).where(OutboxRow.id == rows[0].id).values(attempts=attempt, available_at=now + CLAIM_LEASE)
    )
    return rows[0].id, attempt


def _run(session: Session, row: OutboxRow, handler: Handler, now: datetime, retry_seconds: float) -> bool:
    """Run one row's handler in a SAVEPOINT and record the outcome on the row (its attempt already counted):
    a failing handler's writes are undone, its row gets the error and a later attempt, or fails for good."""
    try:
        with session.begin_nested():
            handler(session, row, now)
    except Exception as error:  # a handler's failure is recorded on its row, never lost
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = "failed"
        else:
            row.available_at = now + backoff(row.attempts, retry_seconds)
        return False
    row.status = "done"
    row.done_at = now
    row.last_error = None
    return True


class Queued(Protocol):
    """A row of a queue worked off with attempts: the outbox's effects, the e-mails."""

    status: str
    attempts: int
    available_at: datetime


def put_back(
    session: Session, row: Queued | None, noun: str, ident: int, place: str, *, now: datetime | None = None
) -> None:
    """Put a failed row back in line by hand (after the cause was fixed): pending, due now, attempts anew. The
    refusals name it: "there is no effect 12 in the outbox", "e-mail 7 is sent, not failed: ..."."""
    if row is None:
        raise NotFound(
            "engine.outbox.there_no_noun_ident",
            N_("there is no {noun} {ident} in {place}"),
            noun=noun,
            ident=ident,
            place=place,
        )
    if row.status != "failed":
        raise WrongState(
            "engine.outbox.noun_ident_status_not",
            N_("{noun} {ident} is {status}, not failed: only a failed {noun} is retried by hand"),
            noun=noun,
            ident=ident,
            status=row.status,
        )
    row.status = "pending"
    row.attempts = 0
    row.available_at = utcnow() if now is None else as_utc(now)
    session.flush()


def retry(session: Session, row_id: int, *, now: datetime | None = None) -> OutboxRow:
    """Put a failed effect back in line by hand (after the cause was fixed): pending, due now, attempts anew."""
    row = session.get(OutboxRow, row_id)
    put_back(session, row, "effect", row_id, "the outbox", now=now)
    assert row is not None
    return row
