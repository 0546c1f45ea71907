"""People firing at one document at the same time: exactly one wins, the others get a conflict, nothing is lost.

These tests commit for real, from several threads, each with its own session and connection, on a database of
their own (`committed_db`). On PostgreSQL everyone loads the document, then all fire at once: the row lock lets
one through and the version check turns the others away. SQLite takes its write lock when a transaction begins
(see workflow/db.py), so there the racers' transactions queue up: the first moves the draft and the others find
it already moved.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import run_in_threads
from workflow.db import make_engine, make_sessionmaker
from workflow.engine import create_document, fire
from workflow.engine.audit import verify_log
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.errors import Conflict, WrongState
from workflow.people import Actor, Person, RoleGrant, load_actor

#: how long a thread waits for the others at the start line, and the test for a thread to finish
TIMEOUT = 30

only_postgresql = pytest.mark.parametrize("committed_db", ["postgresql"], indirect=True)


@pytest.fixture
def sessions(committed_db) -> Iterator[sessionmaker[Session]]:
    """Sessions on an engine whose pool lets every racing thread hold a connection of its own."""
    engine = make_engine(committed_db.url, pool_size=25)
    try:
        yield make_sessionmaker(engine, committed_db.registry)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Seeded:
    author: Actor
    draft_id: int


@pytest.fixture
def seeded(sessions) -> Seeded:
    """An author (staff) and their draft decision in drafting, committed before anyone races."""
    with sessions() as session, session.begin():
        person = Person(full_name="Оксана Мельник", email="oksana@rada.example")
        session.add(person)
        session.flush()
        session.add(RoleGrant(person_id=person.id, role="staff"))
        session.flush()
        author = load_actor(session, person.id)
        draft = create_document(
            session,
            "decision_draft",
            author,
            title="Про ремонт шкільного стадіону",
            fields={"body": "Виділити кошти на ремонт стадіону школи № 3."},
        )
    return Seeded(author, draft.id)


# --- racing -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Move:
    actor: Actor
    trigger: str
    comment: str | None = None


WON = "won"


def race(sessions: sessionmaker[Session], document_id: int, moves: list[Move]) -> list[object]:
    """Each move in a thread of its own: load the document, fire and commit, all starting together.

    On PostgreSQL the racers load the document before the start, so they all hold the same version when they
    fire. Returns each thread's outcome in order: `WON`, or the exception it raised.
    """
    start = threading.Barrier(len(moves), timeout=TIMEOUT)
    load_first = sessions.kw["bind"].dialect.name == "postgresql"

    def racer(move: Move) -> Callable[[], str]:
        def run() -> str:
            if not load_first:
                start.wait()
            with sessions() as session:
                document = session.get(Document, document_id)
                assert document is not None
                if load_first:
                    start.wait()
                fire(session, document, move.trigger, move.actor, comment=move.comment)
                session.commit()
            return WON

        return run

    return run_in_threads([racer(move) for move in moves], timeout=TIMEOUT)


def one_winner(outcomes: list[object], *, others: tuple[type[Exception], ...] = (Conflict,)) -> int:
    """Exactly one thread won and every other one was refused as `others`; returns the winner's index."""
    unexpected = [o for o in outcomes if o != WON and not isinstance(o, others)]
    assert not unexpected, f"threads failed with something other than {others}: {unexpected!r}"
    winners = [i for i, o in enumerate(outcomes) if o == WON]
    assert len(winners) == 1, f"{len(winners)} of {len(outcomes)} threads won"
    return winners[0]


# --- reading what was committed -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Stored:
    state: str
    version: int
    #: the document's audit triggers, oldest first
    triggers: tuple[str, ...]
    #: the document's outbox rows as (effect, its template, idempotency key)
    effects: tuple[tuple[str, str, str], ...]


def stored(sessions: sessionmaker[Session], document_id: int) -> Stored:
    with sessions() as session:
        document = session.get(Document, document_id)
        assert document is not None
        return Stored(
            state=document.state,
            version=document.version,
            triggers=tuple(
                session.scalars(
                    select(AuditEntry.trigger).where(AuditEntry.document_id == document_id).order_by(AuditEntry.version)
                )
            ),
            effects=tuple(
                (row.effect, row.params.get("template"), row.idempotency_key)
                for row in session.scalars(
                    select(OutboxRow).where(OutboxRow.document_id == document_id).order_by(OutboxRow.id)
                )
            ),
        )


def counts(sessions: sessionmaker[Session]) -> tuple[int, int]:
    """(audit entries, outbox rows) in the whole database."""
    with sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            session.scalar(select(func.count()).select_from(OutboxRow)) or 0,
        )


def log_verified(sessions: sessionmaker[Session]) -> tuple[int, int, object]:
    with sessions() as session:
        return verify_log(session)


# --- the tests ----------------------------------------------------------------------------------------------
def submitted_once(sessions: sessionmaker[Session], draft_id: int) -> None:
    assert stored(sessions, draft_id) == Stored(
        state="visas",
        version=2,
        triggers=("create", "submit"),
        effects=(("notify", "visa_requested", f"{draft_id}:2:0"),),
    )
    assert log_verified(sessions) == (1, 2, None)


@only_postgresql
def test_twenty_simultaneous_submits_on_postgresql_move_the_draft_once(sessions, seeded):
    outcomes = race(sessions, seeded.draft_id, [Move(seeded.author, "submit")] * 20)

    one_winner(outcomes, others=(Conflict,))
    submitted_once(sessions, seeded.draft_id)


@pytest.mark.parametrize("committed_db", ["sqlite"], indirect=True)
def test_eight_simultaneous_submits_on_sqlite_move_the_draft_once(sessions, seeded):
    outcomes = race(sessions, seeded.draft_id, [Move(seeded.author, "submit")] * 8)

    # the racers queue on the write lock; those after the winner find the draft already submitted
    one_winner(outcomes, others=(WrongState,))
    submitted_once(sessions, seeded.draft_id)


@only_postgresql  # on SQLite the two queue up, and a submitted draft may then be withdrawn: both happen
def test_withdrawing_while_submitting_lets_exactly_one_of_them_happen(sessions, seeded):
    withdraw = Move(seeded.author, "withdraw", comment="Питання вирішено іншим рішенням")
    submit = Move(seeded.author, "submit")

    outcomes = race(sessions, seeded.draft_id, [withdraw, submit])

    winner = [withdraw, submit][one_winner(outcomes, others=(Conflict,))]
    state, template = {"withdraw": ("withdrawn", "draft_withdrawn"), "submit": ("visas", "visa_requested")}[
        winner.trigger
    ]
    assert stored(sessions, seeded.draft_id) == Stored(
        state=state,
        version=2,
        triggers=("create", winner.trigger),
        effects=(("notify", template, f"{seeded.draft_id}:2:0"),),
    )
    assert log_verified(sessions) == (1, 2, None)


@pytest.mark.parametrize(
    ("committed_db", "a_commits_after_loading"),
    [
        ("postgresql", False),
        ("postgresql", True),
        # on SQLite, A's open transaction would hold the write lock and B would wait for it: not a race
        ("sqlite", True),
    ],
    ids=["postgresql-loaded-in-the-same-transaction", "postgresql-loaded-earlier", "sqlite-loaded-earlier"],
    indirect=["committed_db"],
)
def test_firing_on_a_stale_copy_is_a_conflict_and_writes_nothing(sessions, seeded, a_commits_after_loading):
    with sessions() as session_a:
        stale = session_a.get(Document, seeded.draft_id)
        assert (stale.state, stale.version) == ("drafting", 1)
        if a_commits_after_loading:
            session_a.commit()  # the sessions keep loaded objects across commits (expire_on_commit=False)

        with sessions() as session_b, session_b.begin():
            fire(session_b, session_b.get(Document, seeded.draft_id), "submit", seeded.author)
        after_b = counts(sessions)

        with pytest.raises(Conflict, match="someone else changed the document meanwhile"):
            fire(session_a, stale, "withdraw", seeded.author, comment="Більше не актуально")
        session_a.rollback()

    assert counts(sessions) == after_b == (2, 1)
    submitted_once(sessions, seeded.draft_id)
