"""Refusals at the sitting that must leave everything as it was, and moves that must not happen twice."""

import pytest
from sqlalchemy import func, select

from workflow.council.drafts import drafts
from workflow.council.effects import HANDLERS
from workflow.council.sittings import sessions
from workflow.council.sittings.models import Attendance, Vote
from workflow.engine import fire
from workflow.engine.models import AuditEntry
from workflow.engine.outbox import carry_out
from workflow.errors import GuardFailed, InvalidInput, NotAllowed, WrongState


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

    item, vote = sessions.add_item_by_vote(
        session, plenary, secretary, late, world.ballots(for_=4, against=5), now=world.at(16.1)
    )
    # not added: the item is taken off and the draft waits for a later session
    assert (vote.purpose, vote.result, item.state, late.state) == ("add_item", "rejected", "removed", "postponed")

    again, vote = sessions.add_item_by_vote(
        session, plenary, secretary, late, world.ballots(for_=7), now=world.at(16.3)
    )
    assert (vote.result, again.state, late.state) == ("adopted", "included", "on_agenda")


def test_a_cancelled_session_lets_its_drafts_wait_for_another(session, world):
    plenary = world.planned_session(number=12, days=16)
    draft = world.reviewed_draft()
    secretary = world.actor(world.secretary, 5)
    item = sessions.add_to_agenda(session, plenary, secretary, draft, now=world.at(5))

    sessions.cancel_session(session, plenary, secretary, "Воєнний стан: засідання перенесено", now=world.at(6))

    assert (plenary.state, item.state, draft.state) == ("cancelled", "removed", "postponed")
    later = world.planned_session(number=13, days=30)
    sessions.add_to_agenda(session, later, world.actor(world.secretary, 19), draft, now=world.at(19))
    assert draft.state == "on_agenda"


def test_when_both_reviewers_return_a_draft_it_is_sent_back_once(session, world, unchanged):
    author = world.actor(world.staff)
    draft = drafts.write_draft(session, author, "Про сквер", "Облаштувати сквер.", now=world.at(0))
    legal, finance = drafts.submit_draft(session, draft, author, now=world.at(0))
    fire(session, legal, "return", world.actor(world.lawyer), comment="Немає правової підстави", now=world.at(1))
    # the first return sent the draft back at once and asked the finance department no more
    with unchanged(), pytest.raises(WrongState):
        fire(session, finance, "return", world.actor(world.accountant), comment="Немає коштів", now=world.at(1))

    assert carry_out(session, HANDLERS, now=world.at(1.1)) == (0, 0)
    assert (draft.state, finance.state) == ("drafting", "cancelled")
    returns = session.scalars(
        select(AuditEntry.comment).where(
            AuditEntry.document_id == draft.id, AuditEntry.trigger == "return_for_revision"
        )
    ).all()
    assert returns == ["Юридичний відділ: Немає правової підстави"]


def test_a_visa_of_an_earlier_round_does_not_send_back_the_new_submission(session, world):
    author = world.actor(world.staff)
    draft = drafts.write_draft(session, author, "Про сквер", "Облаштувати сквер.", now=world.at(0))
    old_legal, old_finance = drafts.submit_draft(session, draft, author, now=world.at(0))
    fire(session, old_legal, "return", world.actor(world.lawyer), comment="Уточніть площу", now=world.at(1))
    carry_out(session, HANDLERS, now=world.at(1))
    # the text went back: the finance department is asked no more for its visa of it
    assert (draft.state, old_finance.state) == ("drafting", "cancelled")

    new_visas = drafts.submit_draft(session, draft, author, now=world.at(2))  # resubmitted unchanged
    assert [v.state for v in new_visas] == ["requested", "requested"]
    with pytest.raises(WrongState):
        fire(session, old_finance, "return", world.actor(world.accountant), comment="Запізно", now=world.at(3))
    assert draft.state == "visas"


def test_an_item_of_another_session_is_not_voted_here(session, world, unchanged):
    twelve = world.planned_session(number=12, days=16)
    thirteen = world.planned_session(number=13, days=30)
    sessions.add_to_agenda(session, twelve, world.actor(world.secretary, 5), world.reviewed_draft(), now=world.at(5))
    later = world.reviewed_draft("Про облаштування зупинки", days=0.5)
    item = sessions.add_to_agenda(session, thirteen, world.actor(world.secretary, 19), later, now=world.at(19))
    world.open(twelve, days=16)
    with unchanged(), pytest.raises(InvalidInput, match="is not on the agenda of this session"):
        sessions.vote_on_item(
            session, twelve, world.actor(world.secretary, 16), item, world.ballots(for_=9), now=world.at(16)
        )
