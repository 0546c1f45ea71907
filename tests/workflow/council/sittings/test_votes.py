"""Roll-call votes of the council: the quorum first, one ballot per member, the result by rule, and every refusal
leaving nothing behind."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workflow.council.drafts import drafts
from workflow.council.sittings import sessions
from workflow.council.sittings.models import Ballot, Vote
from workflow.council.sittings.votes import ballots_of, hold_committee_vote, hold_vote, quorum_for, required_for
from workflow.engine import edit_document, fire
from workflow.errors import GuardFailed, InvalidInput, NotAllowed, WrongState
from workflow.timeutil import as_utc

DAY = 16  # the sitting's day in the scenario clock (Wednesday 18 March 2026)


def sitting(world, present=None):
    """A session in progress on day 16 with a reviewed draft on its agenda, approved by everyone, and the item
    under consideration; then every member after the first `present` (all by default) leaves the hall.
    Returns (plenary, item)."""
    draft = world.reviewed_draft()
    plenary = world.planned_session(number=12, days=DAY)
    secretary = world.actor(world.secretary, DAY)
    item = sessions.add_to_agenda(world.session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    world.open(plenary, days=DAY)
    sessions.approve_agenda(
        world.session, plenary, secretary, world.ballots(for_=len(world.members)), now=world.at(DAY)
    )
    fire(world.session, item, "consider", secretary, now=world.at(DAY))
    for person in world.members[len(world.members) if present is None else present :]:
        sessions.register(world.session, plenary, secretary, person, present=False, now=world.at(DAY))
    return plenary, item


def vote(world, plenary, item, ballots, threshold="majority"):
    return hold_vote(
        world.session,
        plenary,
        world.actor(world.secretary, DAY),
        purpose="decision",
        subject=item,
        question="Про прийняття рішення в цілому",
        ballots=ballots,
        threshold=threshold,
        now=world.at(DAY),
    )


def revote(world, plenary, subject, ballots=None):
    """The council's procedural decision to vote again on the question last voted about `subject`."""
    return hold_vote(
        world.session,
        plenary,
        world.actor(world.secretary, DAY),
        purpose="revote",
        subject=subject,
        question="Про переголосування",
        ballots=ballots or world.ballots(for_=len(world.members)),
        now=world.at(DAY),
    )


def votes_and_ballots(session):
    return (
        session.scalar(select(func.count()).select_from(Vote)),
        session.scalar(select(func.count()).select_from(Ballot)),
    )


# --- the arithmetic -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("total", "majority", "two_thirds", "quorum"),
    [(27, 14, 18, 14), (9, 5, 6, 5), (28, 15, 19, 15), (30, 16, 20, 16), (1, 1, 1, 1)],
)
def test_votes_needed_are_counted_from_the_total_composition(total, majority, two_thirds, quorum):
    assert required_for("majority", total) == majority
    assert required_for("two_thirds", total) == two_thirds
    assert quorum_for(total) == quorum


def test_an_unknown_threshold_is_refused():
    with pytest.raises(InvalidInput, match="unknown threshold 'three_quarters': majority or two_thirds"):
        required_for("three_quarters", 9)


@pytest.mark.parametrize(
    ("threshold", "votes_for", "result"),
    [
        ("majority", 14, "adopted"),
        ("majority", 13, "rejected"),
        ("two_thirds", 18, "adopted"),
        ("two_thirds", 17, "rejected"),
    ],
)
def test_a_council_of_27_adopts_by_14_and_overrides_by_18(big_world, threshold, votes_for, result):
    plenary, item = sitting(big_world)
    cast = vote(big_world, plenary, item, big_world.ballots(for_=votes_for, against=27 - votes_for), threshold)
    assert (cast.total_composition, cast.registered) == (27, 27)
    assert (cast.threshold, cast.required, cast.votes_for, cast.result) == (
        threshold,
        {"majority": 14, "two_thirds": 18}[threshold],
        votes_for,
        result,
    )


@pytest.mark.parametrize(
    ("threshold", "votes_for", "result"),
    [
        ("majority", 5, "adopted"),
        ("majority", 4, "rejected"),
        ("two_thirds", 6, "adopted"),
        ("two_thirds", 5, "rejected"),
    ],
)
def test_a_council_of_9_adopts_by_5_and_overrides_by_6(session, world, threshold, votes_for, result):
    plenary, item = sitting(world)
    cast = vote(world, plenary, item, world.ballots(for_=votes_for, abstain=9 - votes_for), threshold)
    assert (cast.required, cast.votes_for, cast.abstained, cast.result) == (
        {"majority": 5, "two_thirds": 6}[threshold],
        votes_for,
        9 - votes_for,
        result,
    )


def test_a_majority_of_those_present_is_not_enough_when_it_is_not_a_majority_of_the_composition(session, world):
    plenary, item = sitting(world, present=6)
    cast = vote(world, plenary, item, world.ballots(for_=4, against=2))
    assert (cast.registered, cast.votes_for, cast.votes_against, cast.absent, cast.result) == (
        6,
        4,
        2,
        3,
        "rejected",
    )


def test_the_mayor_counts_in_the_composition_and_his_vote_decides(session, world):
    plenary, item = sitting(world)
    four_deputies = {p.id: "for" for p in world.deputies[:4]}
    others = {p.id: "against" for p in world.deputies[4:]}
    assert vote(world, plenary, item, {**four_deputies, **others}).result == "rejected"
    revote(world, plenary, item)  # the mayor had not voted: the council decides to vote again
    cast = vote(world, plenary, item, {**four_deputies, **others, world.mayor.id: "for"})
    assert (cast.total_composition, cast.votes_for, cast.result) == (9, 5, "adopted")


def test_every_ballot_kind_is_recorded_for_every_member(session, world):
    plenary, item = sitting(world, present=7)  # deputies 0-6 registered; deputy 7 and the mayor are not
    d = world.deputies
    cast = vote(
        world,
        plenary,
        item,
        {
            d[0].id: "for",
            d[1].id: "for",
            d[6].id: "for",
            d[2].id: "against",
            d[3].id: "abstain",
            d[4].id: "not_voted",  # d[5] registered and gave no ballot: did not vote
            d[7].id: "absent",  # the mayor, not registered and with no ballot: absent
        },
    )
    assert (cast.votes_for, cast.votes_against, cast.abstained, cast.not_voted, cast.absent, cast.registered) == (
        3,
        1,
        1,
        2,
        2,
        7,
    )
    assert cast.result == "rejected"
    roll_call = {person.id: choice for person, choice in ballots_of(session, cast)}
    assert roll_call == {
        d[0].id: "for",
        d[1].id: "for",
        d[2].id: "against",
        d[3].id: "abstain",
        d[4].id: "not_voted",
        d[5].id: "not_voted",
        d[6].id: "for",
        d[7].id: "absent",
        world.mayor.id: "absent",
    }


def test_the_threshold_the_arithmetic_and_the_reason_are_stored_with_the_result(session, world):
    plenary, item = sitting(world)
    vote_id = vote(world, plenary, item, world.ballots(for_=6, against=1, abstain=1, not_voted=1), "two_thirds").id
    session.expire_all()
    stored = session.get(Vote, vote_id)
    assert (stored.purpose, stored.threshold, stored.total_composition, stored.required, stored.registered) == (
        "decision",
        "two_thirds",
        9,
        6,
        9,
    )
    assert (stored.votes_for, stored.votes_against, stored.abstained, stored.not_voted, stored.absent) == (
        6,
        1,
        1,
        1,
        0,
    )
    assert stored.result == "adopted"
    assert stored.reason == (
        "adopted: 6 for, 1 against, 1 abstained, 1 did not vote, 0 absent; "
        "two thirds of the total composition of 9 is 6 votes for"
    )
    assert stored.recorded_by_id == world.secretary.id


# --- refusals -----------------------------------------------------------------------------------------------
def test_no_quorum_refuses_the_vote_before_any_ballot_and_writes_nothing(session, world, unchanged):
    plenary, item = sitting(world, present=4)
    counts = votes_and_ballots(session)
    # a stranger's ballot too: the quorum is what is checked first
    ballots = {**world.ballots(for_=4), world.secretary.id: "for"}
    with unchanged(), pytest.raises(GuardFailed) as refused:
        vote(world, plenary, item, ballots)
    assert refused.value.message == "no quorum: 4 of 9 members are registered, at least 5 are needed"
    assert votes_and_ballots(session) == counts


def test_a_member_who_left_the_hall_does_not_count_for_the_quorum(session, world, unchanged):
    plenary, item = sitting(world, present=5)
    sessions.register(
        session, plenary, world.actor(world.secretary, DAY), world.deputies[0], present=False, now=world.at(DAY)
    )
    with unchanged(), pytest.raises(GuardFailed, match="no quorum: 4 of 9 members are registered"):
        vote(world, plenary, item, {p.id: "for" for p in world.deputies[1:5]})


def test_a_ballot_of_someone_who_is_not_a_member_is_refused_by_name_and_nothing_is_written(session, world, unchanged):
    plenary, item = sitting(world)
    counts = votes_and_ballots(session)
    ballots = {**world.ballots(for_=9), world.secretary.id: "for", world.staff.id: "against"}
    with unchanged(), pytest.raises(InvalidInput) as refused:
        vote(world, plenary, item, ballots)
    assert refused.value.message == "not members with a vote here: Тарас Коваль, Оксана Мельник"
    assert votes_and_ballots(session) == counts


def test_a_ballot_of_a_member_who_is_not_registered_is_refused_by_name_and_nothing_is_written(
    session, world, unchanged
):
    plenary, item = sitting(world, present=7)
    counts = votes_and_ballots(session)
    with unchanged(), pytest.raises(InvalidInput) as refused:
        vote(world, plenary, item, world.ballots(for_=8))
    assert refused.value.message == "members who are not registered cannot vote: Юлія Поліщук"
    assert votes_and_ballots(session) == counts


def test_an_unknown_choice_is_refused_and_nothing_is_written(session, world, unchanged):
    plenary, item = sitting(world)
    counts = votes_and_ballots(session)
    with unchanged(), pytest.raises(InvalidInput, match=r"unknown choices \['maybe'\]"):
        vote(world, plenary, item, {**world.ballots(for_=8), world.mayor.id: "maybe"})
    assert votes_and_ballots(session) == counts


def test_only_the_secretary_or_the_chair_records_a_vote(session, world, unchanged):
    plenary, item = sitting(world)
    with unchanged(), pytest.raises(NotAllowed, match="votes are recorded by the secretary or the chair"):
        hold_vote(
            session,
            plenary,
            world.actor(world.deputies[3], DAY),
            purpose="decision",
            subject=item,
            question="?",
            ballots=world.ballots(for_=9),
            now=world.at(DAY),
        )
    assert votes_and_ballots(session) == (2, 13)  # the agenda's and the committee's votes, nothing more


def test_no_vote_is_held_before_the_sitting_opens(session, world, unchanged):
    draft = world.reviewed_draft()
    plenary = world.planned_session(number=12, days=DAY)
    sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    with unchanged(), pytest.raises(WrongState, match="only while the sitting is in progress"):
        hold_vote(
            session,
            plenary,
            world.actor(world.secretary, 5),
            purpose="approve_agenda",
            subject=plenary,
            question="Про затвердження порядку денного",
            ballots=world.ballots(for_=9),
            now=world.at(5),
        )


# --- two thirds where the decision needs it: overriding the mayor's veto --------------------------------------
def vetoed(world):
    plenary, item = sitting(world)
    secretary = world.actor(world.secretary, DAY)
    sessions.vote_on_item(world.session, plenary, secretary, item, world.ballots(for_=7, against=2), now=world.at(DAY))
    draft = world.session.get(type(item), item.fields["draft_id"])
    fire(world.session, draft, "veto", world.actor(world.mayor, DAY), comment="Суперечить бюджету", now=world.at(DAY))
    return plenary, draft


def override(world, plenary, draft, ballots, threshold="two_thirds"):
    return hold_vote(
        world.session,
        plenary,
        world.actor(world.secretary, DAY),
        purpose="veto_override",
        subject=draft,
        question="Про подолання вето",
        ballots=ballots,
        threshold=threshold,
        now=world.at(DAY),
    )


def test_a_veto_is_overridden_by_two_thirds_of_the_composition(session, world):
    plenary, draft = vetoed(world)
    override(world, plenary, draft, world.ballots(for_=6, against=3))
    fire(session, draft, "override_veto", world.actor(world.secretary, DAY), now=world.at(DAY))
    assert draft.state == "signed"


def test_a_majority_short_of_two_thirds_does_not_override_a_veto(session, world, unchanged):
    plenary, draft = vetoed(world)
    override(world, plenary, draft, world.ballots(for_=5, against=4))
    with unchanged(), pytest.raises(GuardFailed) as refused:
        fire(session, draft, "override_veto", world.actor(world.secretary, DAY), now=world.at(DAY))
    assert refused.value.reasons == (
        "the vote was rejected: not adopted: 5 for, 4 against, 0 abstained, 0 did not vote, 0 absent; "
        "two thirds of the total composition of 9 is 6 votes for",
    )


def test_a_veto_override_voted_by_a_simple_majority_rule_does_not_count(session, world, unchanged):
    plenary, draft = vetoed(world)
    override(world, plenary, draft, world.ballots(for_=9), threshold="majority")
    with unchanged(), pytest.raises(GuardFailed) as refused:
        fire(session, draft, "override_veto", world.actor(world.secretary, DAY), now=world.at(DAY))
    assert refused.value.reasons == ("a veto is overridden only by two thirds of the total composition",)


def test_a_roll_call_is_to_be_published_within_five_working_days(session, world):
    """Held on Wednesday 18 March: published by Wednesday 25 March (the weekend does not count)."""
    plenary = world.planned_session(number=12, days=16)
    draft = world.reviewed_draft()
    sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    world.open(plenary, days=16)
    vote = sessions.approve_agenda(
        session, plenary, world.actor(world.secretary, 16), world.ballots(for_=9), now=world.at(16)
    )
    assert as_utc(vote.publish_by) == world.at(23)


def test_a_conclusion_changed_after_the_committees_vote_needs_a_new_vote(session, world, unchanged):
    draft = world.published_draft()
    (conclusion,) = drafts.send_to_committees(
        session, draft, world.actor(world.secretary, 1), world.budget, now=world.at(1)
    )
    chair = world.actor(world.deputies[0], 1)
    edit_document(
        session, conclusion, chair, fields={"recommendation": "support", "body": "Підтримати."}, now=world.at(1)
    )
    hold_committee_vote(
        session,
        conclusion,
        chair,
        question="Підтримати",
        now=world.at(1.1),
        ballots={p.id: "for" for p in world.deputies[:4]},
    )
    edit_document(
        session, conclusion, chair, fields={"recommendation": "reject", "body": "Відхилити."}, now=world.at(1.2)
    )

    with unchanged(), pytest.raises(GuardFailed, match="changed after the committee voted on it"):
        fire(session, conclusion, "discuss", chair, now=world.at(1.3))
    hold_committee_vote(
        session,
        conclusion,
        chair,
        question="Відхилити",
        now=world.at(1.4),
        ballots={p.id: "for" for p in world.deputies[:4]},
    )
    fire(session, conclusion, "discuss", chair, now=world.at(1.5))
    assert conclusion.state == "discussed"
