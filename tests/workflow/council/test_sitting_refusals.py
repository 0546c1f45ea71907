"""Refusals at the sitting that must leave everything as it was."""

import pytest
from sqlalchemy import func, select

from workflow.council import sessions
from workflow.council.models import Attendance, Vote
from workflow.council.votes import hold_vote
from workflow.engine import fire
from workflow.errors import GuardFailed, NotAllowed


def test_only_the_secretary_registers_attendance(session, world, unchanged):
    plenary = world.planned_session(number=12, days=16)
    draft = world.reviewed_draft()
    sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    world.open(plenary, days=16, present=0)

    with unchanged(), pytest.raises(NotAllowed, match="registered by the secretary"):
        sessions.register(session, plenary, world.actor(world.mayor, 16), world.deputies[0], now=world.at(16))
    assert session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_a_vote_on_an_item_without_quorum_leaves_the_item_where_it_was(session, world, unchanged):
    plenary = world.planned_session(number=12, days=16)
    draft = world.reviewed_draft()
    secretary = world.actor(world.secretary, 16)
    item = sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    world.open(plenary, days=16)
    sessions.approve_agenda(session, plenary, secretary, world.ballots(for_=9), now=world.at(16))
    for member in world.members[:5]:  # five leave: four of nine remain, five are needed
        sessions.register(session, plenary, secretary, member, present=False, now=world.at(16.1))
    votes_before = session.scalar(select(func.count()).select_from(Vote))

    with unchanged(), pytest.raises(GuardFailed, match="no quorum: 4 of 9 members are registered"):
        sessions.vote_on_item(session, plenary, secretary, item, world.ballots(), now=world.at(16.2))
    assert item.state == "included"
    assert session.scalar(select(func.count()).select_from(Vote)) == votes_before


def test_an_item_added_during_the_sitting_is_included_only_by_the_councils_vote(session, world):
    plenary = world.planned_session(number=12, days=16)
    first = world.reviewed_draft("Про ремонт даху ліцею № 2")
    late = world.reviewed_draft("Про облаштування зупинки", days=0.5)
    secretary = world.actor(world.secretary, 16)
    sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), first, now=world.at(5))
    world.open(plenary, days=16)
    sessions.approve_agenda(session, plenary, secretary, world.ballots(for_=9), now=world.at(16))

    item, vote = sessions.add_item_by_vote(session, plenary, secretary, late, world.ballots(for_=4, against=5),
                                           now=world.at(16.1))
    assert (vote.purpose, vote.result, item.state, late.state) == ("add_item", "rejected", "proposed", "on_agenda")
    with pytest.raises(GuardFailed, match="the vote was rejected"):
        fire(session, item, "include", secretary, now=world.at(16.2))

    vote = hold_vote(session, plenary, secretary, purpose="add_item", subject=item,
                              question="Повторне голосування", ballots=world.ballots(for_=7), now=world.at(16.3))
    fire(session, item, "include", secretary, now=world.at(16.3))
    assert (vote.result, item.state) == ("adopted", "included")
