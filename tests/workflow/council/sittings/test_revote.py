"""The council votes once on a question: a second vote is refused and changes nothing, unless the council decided
by a procedural vote to vote again, and then both votes stay on record; recording a vote takes its session's row
lock, so two secretaries' clicks at once record one vote."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import build_world, run_in_threads
from tests.workflow.council.sittings.test_votes import DAY, revote, sitting, vote, votes_and_ballots
from workflow.council.sittings import sessions
from workflow.council.sittings.models import Vote
from workflow.council.sittings.votes import hold_vote, latest_vote
from workflow.db import make_engine, make_sessionmaker
from workflow.engine.audit import verify_log
from workflow.engine.models import Document
from workflow.errors import Conflict, GuardFailed, WrongState
from workflow.people import load_actor

TIMEOUT = 30
only_postgresql = pytest.mark.parametrize("committed_db", ["postgresql"], indirect=True)


def test_a_second_vote_on_the_same_question_is_refused_and_changes_nothing(session, world, unchanged):
    plenary, item = sitting(world)
    first = vote(world, plenary, item, world.ballots(for_=4, against=5))
    before = votes_and_ballots(session)

    with unchanged(), pytest.raises(GuardFailed, match="the council has already voted on this question"):
        vote(world, plenary, item, world.ballots(for_=9))

    assert votes_and_ballots(session) == before
    assert latest_vote(session, item.id, "decision") == first


def test_after_the_council_decides_to_vote_again_the_second_vote_counts_and_both_stay(session, world):
    plenary, item = sitting(world)
    first = vote(world, plenary, item, world.ballots(for_=4, against=5))
    decided = revote(world, plenary, item)
    second = vote(world, plenary, item, world.ballots(for_=6, against=3))

    assert (first.result, decided.purpose, decided.result, second.result) == (
        "rejected",
        "revote",
        "adopted",
        "adopted",
    )
    on_record = session.scalars(select(Vote).where(Vote.subject_id == item.id).order_by(Vote.id)).all()
    assert [(v.purpose, v.result) for v in on_record] == [
        ("decision", "rejected"),
        ("revote", "adopted"),
        ("decision", "adopted"),
    ]
    assert latest_vote(session, item.id, "decision") == second
    assert first.audit_version < decided.audit_version < second.audit_version  # in the session's log, in order
    assert verify_log(session)[2] is None


def test_one_decision_to_vote_again_allows_one_more_vote(session, world, unchanged):
    plenary, item = sitting(world)
    vote(world, plenary, item, world.ballots(for_=4, against=5))
    revote(world, plenary, item)
    vote(world, plenary, item, world.ballots(for_=4, against=5))

    with unchanged(), pytest.raises(GuardFailed, match="already voted on this question"):
        vote(world, plenary, item, world.ballots(for_=9))


def test_a_decision_to_vote_again_that_fails_allows_no_second_vote(session, world, unchanged):
    plenary, item = sitting(world)
    vote(world, plenary, item, world.ballots(for_=4, against=5))
    assert revote(world, plenary, item, world.ballots(for_=3, against=6)).result == "rejected"

    with unchanged(), pytest.raises(GuardFailed, match="already voted on this question"):
        vote(world, plenary, item, world.ballots(for_=9))


def test_a_vote_again_on_what_was_never_voted_is_refused(session, world, unchanged):
    plenary, item = sitting(world)
    with unchanged(), pytest.raises(GuardFailed, match="nothing to vote on again"):
        revote(world, plenary, item)


def test_an_item_that_has_its_outcome_is_not_voted_on_again(session, world, unchanged):
    plenary, item = sitting(world)
    secretary = world.actor(world.secretary, DAY)
    sessions.vote_on_item(session, plenary, secretary, item, world.ballots(for_=6, against=3), now=world.at(DAY))
    assert item.state == "adopted"
    before = votes_and_ballots(session)

    with unchanged(), pytest.raises(WrongState, match="is not under consideration"):
        sessions.vote_on_item(session, plenary, secretary, item, world.ballots(for_=2, against=7), now=world.at(DAY))
    assert votes_and_ballots(session) == before


@only_postgresql
def test_two_votes_recorded_at_once_on_one_question_record_one(committed_db):
    engine = make_engine(committed_db.url, pool_size=6)
    sessions_ = make_sessionmaker(engine, committed_db.registry)
    try:
        with sessions_() as session, session.begin():
            committed_db.registry.sync(session)
            world = build_world(session)
            plenary, item = sitting(world)
            ids = (plenary.id, item.id, world.secretary.id)
            everyone = world.ballots(for_=len(world.members))
        start = threading.Barrier(2, timeout=TIMEOUT)

        def record() -> int:
            with sessions_() as session:
                plenary, item = session.get(Document, ids[0]), session.get(Document, ids[1])
                secretary = load_actor(session, ids[2], world.at(DAY))
                start.wait()  # both have loaded the session: both record at once
                cast = hold_vote(
                    session,
                    plenary,
                    secretary,
                    purpose="decision",
                    subject=item,
                    ballots=everyone,
                    question="Про прийняття рішення в цілому",
                    now=world.at(DAY),
                )
                session.commit()
                return cast.id

        outcomes = run_in_threads([record, record], timeout=TIMEOUT)
        won = [o for o in outcomes if isinstance(o, int)]
        lost = [o for o in outcomes if not isinstance(o, int)]
        assert len(won) == 1, outcomes
        assert len(lost) == 1
        assert isinstance(lost[0], Conflict | GuardFailed), lost
        with sessions_() as session:
            decisions = select(func.count()).select_from(Vote).where(Vote.subject_id == ids[1])
            assert session.scalar(decisions) == 1
            assert verify_log(session)[2] is None
    finally:
        engine.dispose()
