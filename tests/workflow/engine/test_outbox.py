"""The dispatcher: every outbox row carried out once, in transactions of its own; failures retried with backoff
and given up on after the last attempt; a row whose worker keeps dying counted like one that keeps failing; a
failed row put back by hand."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import CommittedDB, run_in_threads
from workflow.engine import create_document
from workflow.engine.models import Document, OutboxRow
from workflow.engine.outbox import CLAIM_LEASE, MAX_ATTEMPTS, backoff, retry, run_due
from workflow.errors import NotFound, WrongState
from workflow.people import Person, RoleGrant, load_actor
from workflow.timeutil import as_utc

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class WorkerDied(BaseException):
    """What a SIGKILL looks like from inside: the handler never returns and nothing after it runs."""


def queue(sessions: sessionmaker[Session], effect: str, count: int) -> list[int]:
    """A draft with `count` recorded effects named `effect`; their row ids."""
    with sessions.begin() as session:
        author = Person(full_name="Оксана Мельник")
        session.add(author)
        session.flush()
        session.add(RoleGrant(person_id=author.id, role="staff"))
        session.flush()
        document = create_document(
            session, "decision_draft", load_actor(session, author.id), title="Про бюджет", now=T0
        )
        rows = [
            OutboxRow(
                document_id=document.id,
                audit_version=1,
                effect=effect,
                params={"n": i},
                idempotency_key=f"{document.id}:1:{effect}:{i}",
                available_at=T0,
                created_at=T0,
            )
            for i in range(count)
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def rows(sessions: sessionmaker[Session]) -> dict[int, OutboxRow]:
    with sessions() as session:
        return {row.id: row for row in session.scalars(select(OutboxRow))}


def test_each_due_row_is_carried_out_and_committed_on_its_own(committed_db: CommittedDB) -> None:
    sessions = committed_db.sessions()
    ids = queue(sessions, "stamp", 3)
    seen: list[int] = []

    def stamp(session: Session, row: OutboxRow, now: datetime) -> None:
        seen.append(row.id)
        document = session.get(Document, row.document_id)
        assert document is not None
        document.fields = {**document.fields, f"stamp{row.params['n']}": now.isoformat()}

    assert run_due(sessions, {"stamp": stamp}, now=T0) == (3, 0)

    assert seen == ids
    after = rows(sessions)
    assert [after[i].status for i in ids] == ["done"] * 3
    assert [after[i].attempts for i in ids] == [1, 1, 1]
    with sessions() as session:
        document = session.scalars(select(Document)).one()
        assert document.fields == {f"stamp{n}": T0.isoformat() for n in range(3)}
    # nothing left: a second round runs nothing
    assert run_due(sessions, {"stamp": stamp}, now=T0) == (0, 0)
    assert seen == ids


def test_rows_not_yet_due_or_of_effects_this_dispatcher_does_not_know_are_left(committed_db: CommittedDB) -> None:
    sessions = committed_db.sessions()
    later, other = queue(sessions, "stamp", 1)[0], queue(sessions, "other", 1)[0]
    with sessions.begin() as session:
        row = session.get(OutboxRow, later)
        assert row is not None
        row.available_at = T0 + timedelta(minutes=5)

    assert run_due(sessions, {"stamp": lambda s, r, n: None}, now=T0) == (0, 0)
    assert run_due(sessions, {"stamp": lambda s, r, n: None}, now=T0 + timedelta(minutes=5)) == (1, 0)

    assert rows(sessions)[other].status == "pending"


def test_a_failing_effect_is_undone_retried_with_backoff_and_failed_after_the_last_attempt(
    committed_db: CommittedDB,
) -> None:
    sessions = committed_db.sessions()
    (row_id,) = queue(sessions, "flaky", 1)

    def flaky(session: Session, row: OutboxRow, now: datetime) -> None:
        document = session.get(Document, row.document_id)
        assert document is not None
        document.title = "written before the failure"
        raise ConnectionRefusedError("the mail server refused the connection")

    now = T0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert run_due(sessions, {"flaky": flaky}, now=now, retry_seconds=10) == (0, 1)
        row = rows(sessions)[row_id]
        assert row.attempts == attempt
        assert row.last_error == "ConnectionRefusedError: the mail server refused the connection"
        if attempt < MAX_ATTEMPTS:
            assert row.status == "pending"
            assert as_utc(row.available_at) == now + backoff(attempt, 10)
            # not before its time
            assert run_due(sessions, {"flaky": flaky}, now=as_utc(row.available_at) - timedelta(seconds=1)) == (0, 0)
            now = as_utc(row.available_at)
    assert row.status == "failed"
    assert backoff(1, 10) == timedelta(seconds=10)
    assert backoff(3, 10) == timedelta(seconds=40)
    assert backoff(30, 10) == timedelta(hours=1)
    # the handler's own write was undone every time
    with sessions() as session:
        assert session.scalars(select(Document.title)).one() == "Про бюджет"
    # a failed row is not run again by the dispatcher
    assert run_due(sessions, {"flaky": flaky}, now=now + timedelta(days=1)) == (0, 0)


def test_a_row_whose_worker_dies_every_time_runs_out_of_attempts(committed_db: CommittedDB) -> None:
    sessions = committed_db.sessions()
    (row_id,) = queue(sessions, "poison", 1)

    def poison(session: Session, row: OutboxRow, now: datetime) -> None:
        raise WorkerDied

    now = T0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with pytest.raises(WorkerDied):
            run_due(sessions, {"poison": poison}, now=now)
        row = rows(sessions)[row_id]
        assert (row.status, row.attempts) == ("pending", attempt), "the attempt was counted before it ran"
        # the lease keeps other dispatchers off it for a moment, then it is anybody's again
        assert run_due(sessions, {"poison": poison}, now=now + CLAIM_LEASE - timedelta(seconds=1)) == (0, 0)
        now += CLAIM_LEASE

    assert run_due(sessions, {"poison": poison}, now=now) == (0, 1)
    row = rows(sessions)[row_id]
    assert row.status == "failed"
    assert "its worker stopped while running it every time" in (row.last_error or "")


def test_a_failed_effect_is_put_back_in_line_by_hand(committed_db: CommittedDB) -> None:
    sessions = committed_db.sessions()
    failed_id, done_id = queue(sessions, "once", 2)
    with sessions.begin() as session:
        failed, done = session.get(OutboxRow, failed_id), session.get(OutboxRow, done_id)
        assert failed is not None
        assert done is not None
        failed.status, failed.attempts, failed.last_error = "failed", MAX_ATTEMPTS, "SMTPDataError: 554"
        done.status = "done"

    with sessions.begin() as session:
        retry(session, failed_id, now=T0 + timedelta(days=1))
    row = rows(sessions)[failed_id]
    assert (row.status, row.attempts, as_utc(row.available_at)) == ("pending", 0, T0 + timedelta(days=1))
    assert run_due(sessions, {"once": lambda s, r, n: None}, now=T0 + timedelta(days=1)) == (1, 0)


@pytest.mark.parametrize(
    ("which", "error", "message"),
    [
        ("done", WrongState, "effect {id} is done, not failed: only a failed effect is retried by hand"),
        ("missing", NotFound, "there is no effect {id} in the outbox"),
    ],
)
def test_retrying_an_effect_that_did_not_fail_is_refused_and_changes_nothing(
    committed_db: CommittedDB, which: str, error: type[Exception], message: str
) -> None:
    sessions = committed_db.sessions()
    (row_id,) = queue(sessions, "once", 1)
    run_due(sessions, {"once": lambda s, r, n: None}, now=T0)
    target = row_id if which == "done" else row_id + 1000
    before = rows(sessions)[row_id]

    with sessions.begin() as session, pytest.raises(error) as refused:
        retry(session, target)

    assert str(refused.value) == message.format(id=target)
    after = rows(sessions)[row_id]
    assert (after.status, after.attempts, after.done_at) == (before.status, before.attempts, before.done_at)


@pytest.mark.postgresql_only
def test_two_dispatchers_at_once_carry_out_each_row_exactly_once(committed_db: CommittedDB) -> None:
    if committed_db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race is PostgreSQL's")
    sessions = committed_db.sessions()
    ids = queue(sessions, "slow", 40)
    ran: list[tuple[str, int]] = []
    lock = threading.Lock()
    # each dispatcher's first row waits, locked, until the other holds a row too: the other must skip the locked
    # row, not wait for it (waiting would time the barrier out)
    both_holding = threading.Barrier(2, timeout=20)

    def slow(session: Session, row: OutboxRow, now: datetime) -> None:
        mine = threading.current_thread().name
        with lock:
            first = all(name != mine for name, _ in ran)
            ran.append((mine, row.id))
        if first:
            both_holding.wait()
        time.sleep(0.005)

    outcomes = run_in_threads([lambda: run_due(sessions, {"slow": slow}, now=T0)] * 2, timeout=60)

    assert sorted(row_id for _, row_id in ran) == ids, "every row ran once, none twice"
    assert sum(done for done, _ in outcomes) == 40  # type: ignore[misc]
    assert {name for name, _ in ran} == {"racer-0", "racer-1"}, "both dispatchers took a share"
    assert {(row.status, row.attempts) for row in rows(sessions).values()} == {("done", 1)}, (
        "neither dispatcher counted an attempt on a row the other had claimed"
    )
