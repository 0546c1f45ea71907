"""Official numbers of decisions: written by the council's pattern, running, given once per decision, and never
given twice, even when decisions are signed at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import build_world, run_in_threads
from workflow.council.effects import HANDLERS
from workflow.council.organisation import setup
from workflow.council.organisation.models import Council
from workflow.council.organisation.queries import the_council
from workflow.council.sittings import sessions
from workflow.council.sittings.models import Decision
from workflow.council.sittings.numbering import assign_number, roman
from workflow.db import make_engine, make_sessionmaker
from workflow.engine import fire
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.engine.outbox import carry_out
from workflow.errors import InvalidInput, WrongState
from workflow.people import load_actor

DAY = 16  # the sitting's day: Wednesday 18 March 2026
TIMEOUT = 30

only_postgresql = pytest.mark.parametrize("committed_db", ["postgresql"], indirect=True)


def adopted_drafts(world, count, *, session_number=12):
    """`count` reviewed drafts adopted at one sitting on day 16, not signed yet."""
    drafts = [world.reviewed_draft(f"Про ремонт даху ліцею № {i + 1}") for i in range(count)]
    plenary = world.planned_session(number=session_number, days=DAY)
    secretary = world.actor(world.secretary, DAY)
    items = [
        sessions.add_to_agenda(world.session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
        for draft in drafts
    ]
    world.open(plenary, days=DAY)
    sessions.approve_agenda(world.session, plenary, secretary, world.ballots(for_=9), now=world.at(DAY))
    for item in items:
        sessions.vote_on_item(world.session, plenary, secretary, item, world.ballots(for_=9), now=world.at(DAY))
    return drafts


def signed_drafts(world, count, order=None):
    """`count` drafts adopted and signed (which numbers them), in the order `order` gives by index if given."""
    drafts = adopted_drafts(world, count)
    for index in range(count) if order is None else order:
        fire(world.session, drafts[index], "sign", world.actor(world.mayor, DAY + 1), now=world.at(DAY + 1))
    return drafts


def decisions(session):
    return session.scalar(select(func.count()).select_from(Decision))


# --- the pattern ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("number", "letters"),
    [(1, "I"), (4, "IV"), (8, "VIII"), (9, "IX"), (14, "XIV"), (40, "XL"), (49, "XLIX"), (1990, "MCMXC")],
)
def test_convocations_are_written_in_roman_numerals(number, letters):
    assert roman(number) == letters


def test_a_signed_decision_gets_number_session_and_roman_convocation_and_the_session_date(session, world):
    (draft,) = signed_drafts(world, 1)
    decision = assign_number(session, draft, now=world.at(DAY + 1))
    assert (decision.number, decision.session_number, decision.convocation) == (1, 12, 8)
    assert decision.official_number == "№ 1-12-VIII"
    assert decision.adopted_on == date(2026, 3, 18)


def test_the_council_s_own_pattern_is_used(session, world):
    world.council.number_pattern = "Рішення № {number} ({session} сесія {convocation} скликання)"
    session.flush()
    (draft,) = signed_drafts(world, 1)
    assert assign_number(session, draft).official_number == "Рішення № 1 (12 сесія VIII скликання)"


def test_a_pattern_with_an_unknown_field_is_refused_when_the_council_is_set_up(session):
    with pytest.raises(InvalidInput, match=r"the number pattern may use \{number\}, \{session\} and \{convocation\}"):
        setup.create_council(session, name="Рада", convocation=8, total_composition=9, number_pattern="№ {num}")


# --- running numbers, given once ------------------------------------------------------------------------------
def test_numbers_run_in_the_order_decisions_are_signed(session, world):
    first, second, third = signed_drafts(world, 3, order=(2, 0, 1))
    numbers = [assign_number(session, draft).official_number for draft in (third, first, second)]
    assert numbers == ["№ 1-12-VIII", "№ 2-12-VIII", "№ 3-12-VIII"]
    assert world.council.next_decision_number == 4


def test_a_decision_numbered_again_keeps_its_number_and_takes_no_new_one(session, world):
    first, second = signed_drafts(world, 2)
    numbered = assign_number(session, first)
    assert assign_number(session, first) is numbered
    assert assign_number(session, second).number == 2
    assert assign_number(session, first).number == 1
    assert (decisions(session), world.council.next_decision_number) == (2, 3)


def test_the_signing_s_effect_numbers_the_decision_once_even_if_carried_out_again(session, world):
    (draft,) = signed_drafts(world, 1)  # numbered at the signing
    # a numbering still waiting in the outbox from before numbers were given at the signing: carried out once,
    # it finds the number given
    signing = session.scalar(
        select(AuditEntry.version).where(AuditEntry.document_id == draft.id, AuditEntry.trigger == "sign")
    )
    session.add(
        OutboxRow(
            document_id=draft.id,
            audit_version=signing,
            effect="assign_number",
            params={},
            idempotency_key=f"{draft.id}:{signing}:legacy",
            status="pending",
            attempts=0,
            available_at=world.at(DAY + 1),
            created_at=world.at(DAY + 1),
        )
    )
    session.flush()
    assert carry_out(session, HANDLERS, now=world.at(DAY + 1)) == (1, 0)
    assert carry_out(session, HANDLERS, now=world.at(DAY + 2)) == (0, 0)
    # a redelivered effect runs the handler again: the same decision, no new number
    assert assign_number(session, draft).number == 1
    assert (decisions(session), world.council.next_decision_number) == (1, 2)


def test_a_decision_not_signed_gets_no_number_and_takes_none(session, world, unchanged):
    (draft,) = adopted_drafts(world, 1)
    with unchanged(), pytest.raises(WrongState, match="a number is given to a signed decision"):
        assign_number(session, draft)
    assert (decisions(session), world.council.next_decision_number) == (0, 1)


def test_a_session_that_loaded_the_council_earlier_still_takes_the_next_number(committed_db):
    """Sessions keep loaded objects across commits (expire_on_commit=False): the counter must be read afresh."""
    sessions_ = committed_db.sessions()
    with sessions_() as session, session.begin():
        committed_db.registry.sync(session)
        world = build_world(session)
        first, second = (draft.id for draft in adopted_drafts(world, 2))
        mayor = world.mayor.id

    def sign(session, draft_id):  # the signing numbers the decision
        draft = session.get(Document, draft_id)
        fire(session, draft, "sign", load_actor(session, mayor, world.at(DAY + 1)), now=world.at(DAY + 1))
        return assign_number(session, draft)

    with sessions_() as early:
        with early.begin():
            council = the_council(early)  # loaded, and kept (with its counter) after the commit
            assert council.next_decision_number == 1
        with sessions_() as other, other.begin():
            assert sign(other, first).number == 1
        with early.begin():
            assert sign(early, second).official_number == "№ 2-12-VIII"
            assert council.next_decision_number == 3


# --- concurrent signings ----------------------------------------------------------------------------------------
@only_postgresql
def test_decisions_numbered_at_the_same_moment_get_distinct_consecutive_numbers(committed_db):
    racers = 8
    engine = make_engine(committed_db.url, pool_size=racers + 2)
    sessions_ = make_sessionmaker(engine, committed_db.registry)
    try:
        with sessions_() as session, session.begin():
            committed_db.registry.sync(session)
            world = build_world(session)
            draft_ids = [draft.id for draft in adopted_drafts(world, racers)]
            mayor = world.mayor.id

        start = threading.Barrier(racers, timeout=TIMEOUT)

        def signer(draft_id: int) -> Callable[[], int]:
            def run() -> int:
                with sessions_() as session:
                    draft = session.get(Document, draft_id)
                    actor = load_actor(session, mayor, world.at(DAY + 1))
                    start.wait()  # everyone has loaded the draft (and begun a transaction): all sign at once
                    fire(session, draft, "sign", actor, now=world.at(DAY + 1))  # which numbers the decision
                    number = assign_number(session, draft).number
                    session.commit()
                return number

            return run

        outcomes = run_in_threads([signer(d) for d in draft_ids], timeout=TIMEOUT)
        assert all(isinstance(o, int) for o in outcomes), outcomes
        assert sorted(outcomes) == list(range(1, racers + 1))

        with sessions_() as session:
            stored = session.execute(select(Decision.draft_id, Decision.number, Decision.official_number)).all()
            assert {row.draft_id: row.number for row in stored} == dict(zip(draft_ids, outcomes, strict=True))
            assert sorted(row.official_number for row in stored) == sorted(
                f"№ {n}-12-VIII" for n in range(1, racers + 1)
            )
            assert session.scalar(select(Council.next_decision_number)) == racers + 1
    finally:
        engine.dispose()
