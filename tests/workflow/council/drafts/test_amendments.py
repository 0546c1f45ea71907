"""Amendments: a deputy proposes a change to a draft, the draft's lead committee gives its opinion, and the
council votes on it at the sitting that considers the draft."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workflow.council.drafts.amendments import committee_opinion, opinion_of, propose_amendment, vote_on_amendment
from workflow.council.sittings import sessions
from workflow.council.sittings.models import Vote
from workflow.engine import fire
from workflow.engine.models import AuditEntry
from workflow.errors import GuardFailed, InvalidInput, NotAllowed, WrongState
from workflow.timeutil import as_utc

DAY = 16  # the sitting's day: Wednesday 18 March 2026
CHANGE = "У пункті 1 слова «1,2 млн грн» замінити словами «1,5 млн грн»."


@pytest.fixture
def draft(world):
    """A draft published on day 0, reviewed by the budget committee (its lead) on day 1."""
    return world.reviewed_draft()


@pytest.fixture
def proposer(world):
    return world.deputies[5]


def propose(world, draft, proposer, days=2, text=CHANGE):
    return propose_amendment(world.session, world.actor(proposer, days), draft, text, now=world.at(days))


def support(world, amendment, days=3, opinion="support"):
    chair = world.actor(world.deputies[0], days)  # chairs the budget committee, the draft's lead
    return committee_opinion(
        world.session, amendment, chair, opinion, reasoning="Кошторис це дозволяє", now=world.at(days)
    )


def sitting(world, draft, present=None):
    """Session № 12 on day 16 with the draft on its approved agenda and under consideration; then the members after
    the first `present` leave the hall. Returns (plenary, item)."""
    plenary = world.planned_session(number=12, days=DAY)
    secretary = world.actor(world.secretary, DAY)
    item = sessions.add_to_agenda(world.session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    world.open(plenary, days=DAY)
    sessions.approve_agenda(world.session, plenary, secretary, world.ballots(for_=9), now=world.at(DAY))
    fire(world.session, item, "consider", secretary, now=world.at(DAY))
    for person in world.members[len(world.members) if present is None else present :]:
        sessions.register(world.session, plenary, secretary, person, present=False, now=world.at(DAY))
    return plenary, item


def vote(world, plenary, amendment, ballots):
    return vote_on_amendment(
        world.session, plenary, world.actor(world.secretary, DAY), amendment, ballots, now=world.at(DAY)
    )


def votes(session):
    return session.scalar(select(func.count()).select_from(Vote))


# --- the whole path ---------------------------------------------------------------------------------------------
def test_an_amendment_goes_to_the_lead_committee_and_is_adopted_by_the_council(session, world, draft, proposer):
    amendment = propose(world, draft, proposer)
    assert (amendment.kind, amendment.state, amendment.parent_id, amendment.author_id) == (
        "amendment",
        "submitted",
        draft.id,
        proposer.id,
    )
    assert amendment.fields == {"body": CHANGE, "lead_committee_id": world.budget.id}
    assert as_utc(amendment.due_at) == world.at(9)  # five working days after Wednesday 4 March

    support(world, amendment)
    assert (amendment.state, opinion_of(session, amendment)) == ("committee_opinion", "support")
    given = session.scalar(
        select(AuditEntry).where(AuditEntry.document_id == amendment.id, AuditEntry.trigger == "give_opinion")
    )
    assert (given.actor_id, given.data, given.comment) == (
        world.deputies[0].id,
        {"opinion": "support"},
        "Кошторис це дозволяє",
    )

    plenary, item = sitting(world, draft)
    cast = vote(world, plenary, amendment, world.ballots(for_=5, against=3, abstain=1))
    assert (cast.purpose, cast.subject_id, cast.threshold, cast.required, cast.result) == (
        "amendment",
        amendment.id,
        "majority",
        5,
        "adopted",
    )
    assert cast.question.endswith(CHANGE)
    assert amendment.state == "adopted"
    # then the draft as a whole
    sessions.vote_on_item(
        session, plenary, world.actor(world.secretary, DAY), item, world.ballots(for_=9), now=world.at(DAY)
    )
    assert draft.state == "adopted"


def test_an_amendment_without_a_majority_of_the_composition_is_rejected(session, world, draft, proposer):
    amendment = propose(world, draft, proposer)
    support(world, amendment, opinion="reject")
    plenary, _item = sitting(world, draft)
    cast = vote(world, plenary, amendment, world.ballots(for_=4, against=2, not_voted=3))
    assert (cast.result, amendment.state, opinion_of(session, amendment)) == ("rejected", "rejected", "reject")


def test_an_amendment_may_be_proposed_while_the_draft_is_on_the_agenda(session, world, draft, proposer):
    plenary, _item = sitting(world, draft)
    amendment = propose(world, draft, proposer, days=DAY)
    support(world, amendment, days=DAY)
    assert vote(world, plenary, amendment, world.ballots(for_=9)).result == "adopted"


def test_the_proposer_may_withdraw_the_amendment_saying_why(session, world, draft, proposer):
    amendment = propose(world, draft, proposer)
    fire(
        session,
        amendment,
        "withdraw",
        world.actor(proposer, 3),
        comment="Погоджено з ініціатором проєкту",
        now=world.at(3),
    )
    assert amendment.state == "withdrawn"


# --- refusals ---------------------------------------------------------------------------------------------------
def test_an_amendment_without_text_is_refused(session, world, draft, proposer, unchanged):
    with unchanged(), pytest.raises(InvalidInput, match="the amendment has no text"):
        propose(world, draft, proposer, text="  ")


def test_only_a_deputy_proposes_an_amendment(session, world, draft, unchanged):
    with unchanged(), pytest.raises(NotAllowed, match="takes one of the roles: deputy"):
        propose(world, draft, world.staff)


def test_a_draft_not_yet_with_its_committees_takes_no_amendment(session, world, proposer, unchanged):
    published = world.published_draft()
    with unchanged(), pytest.raises(WrongState) as refused:
        propose(world, published, proposer, days=1)
    assert refused.value.message == (
        "amendments are proposed to a draft under committee review or on the agenda; this one is 'Public discussion'"
    )


def test_only_the_lead_committee_s_chair_gives_its_opinion(session, world, draft, proposer, unchanged):
    amendment = propose(world, draft, proposer)
    other_chair = world.actor(world.deputies[4], 3)  # chairs the education committee
    with (
        unchanged(),
        pytest.raises(NotAllowed, match="'Record the committee's opinion' can be done only by: lead_committee_chair"),
    ):
        committee_opinion(session, amendment, other_chair, "support", now=world.at(3))
    with unchanged(), pytest.raises(InvalidInput, match="the committee's opinion is one of: support, reject"):
        committee_opinion(session, amendment, world.actor(world.deputies[0], 3), "maybe", now=world.at(3))
    assert amendment.state == "submitted"


def test_the_council_does_not_vote_before_the_committee_s_opinion(session, world, draft, proposer, unchanged):
    amendment = propose(world, draft, proposer)
    plenary, _item = sitting(world, draft)
    before = votes(session)
    with unchanged(), pytest.raises(WrongState, match="once the lead committee gave its opinion"):
        vote(world, plenary, amendment, world.ballots(for_=9))
    assert votes(session) == before


def test_the_council_votes_on_an_amendment_only_while_its_draft_is_before_it(
    session, world, draft, proposer, unchanged
):
    amendment = propose(world, draft, proposer)
    support(world, amendment)
    other = world.reviewed_draft("Про сквер на вулиці Героїв")
    plenary, _item = sitting(world, other)
    before = votes(session)
    with unchanged(), pytest.raises(InvalidInput, match="the amended draft is not on this session's agenda"):
        vote(world, plenary, amendment, world.ballots(for_=9))
    assert votes(session) == before


def test_no_quorum_no_vote_on_the_amendment(session, world, draft, proposer, unchanged):
    amendment = propose(world, draft, proposer)
    support(world, amendment)
    plenary, _item = sitting(world, draft, present=4)
    before = votes(session)
    with unchanged(), pytest.raises(GuardFailed, match="no quorum: 4 of 9 members are registered"):
        vote(world, plenary, amendment, world.ballots(for_=4))
    assert (votes(session), amendment.state) == (before, "committee_opinion")


def test_an_amendment_is_not_declared_adopted_without_the_council_s_vote(session, world, draft, proposer, unchanged):
    amendment = propose(world, draft, proposer)
    support(world, amendment)
    with unchanged(), pytest.raises(GuardFailed, match="the council has not voted on the amendment yet"):
        fire(session, amendment, "adopt", world.actor(world.secretary, 4), now=world.at(4))
