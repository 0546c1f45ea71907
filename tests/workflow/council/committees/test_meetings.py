"""A committee meets: papers, attendance with its own quorum, the vote on each conclusion, the chair's signature,
and every refusal on the way, which changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.workflow.council.committees.scenes import referred_and_meeting
from workflow.council.committees import conclusions, meetings
from workflow.council.committees.models import CommitteeAttendance
from workflow.council.drafts import drafts
from workflow.council.sittings.votes import ballots_of
from workflow.engine.audit import verify_log
from workflow.errors import GuardFailed, InvalidInput, NotAllowed, WrongState


def test_the_committee_meets_votes_and_its_chair_signs(session, world):
    scene = referred_and_meeting(session, world)
    scene.attend(3)  # the second member is away
    scene.write()

    vote = conclusions.vote_on_conclusion(
        session,
        scene.meeting,
        scene.conclusion,
        scene.secretary,
        {scene.members[0]: "for", scene.members[1]: "for", scene.members[2]: "for"},
        now=world.at(2.2),
    )
    conclusions.sign_conclusion(session, scene.conclusion, scene.chair, now=world.at(2.3))
    meetings.close_meeting(session, scene.meeting, scene.chair, now=world.at(2.4))

    assert (vote.result, vote.votes_for, vote.absent, vote.registered, vote.required) == ("adopted", 3, 1, 3, 3)
    assert vote.reason.startswith("adopted: 3 for, 0 against, 0 abstained, 0 did not vote, 1 absent")
    assert {person.id: choice for person, choice in ballots_of(session, vote)} == {
        scene.members[0]: "for",
        scene.members[1]: "for",
        scene.members[2]: "for",
        scene.members[3]: "absent",
    }
    assert scene.conclusion.state == "signed"
    assert scene.meeting.state == "closed"
    assert conclusions.meeting_votes(session, scene.meeting) == [vote]
    # every record is under the chain: the log verifies, the meeting's entries name them
    assert verify_log(session)[2] is None


def test_attendance_records_only_changes_and_a_member_who_leaves(session, world):
    scene = referred_and_meeting(session, world)
    scene.attend(4)
    meetings.record_attendance_of(session, scene.meeting, scene.secretary, scene.members[:3], now=world.at(2.2))
    meetings.record_attendance_of(session, scene.meeting, scene.secretary, scene.members[:3], now=world.at(2.3))

    rows = session.scalars(select(CommitteeAttendance).order_by(CommitteeAttendance.id)).all()
    assert [(row.person_id, row.present) for row in rows] == [
        *((member, True) for member in scene.members),
        (scene.members[3], False),
    ]
    assert meetings.present_members(session, scene.meeting, scene.members) == set(scene.members[:3])


def test_attendance_rows_refuse_to_be_rewritten(session, world):
    scene = referred_and_meeting(session, world)
    scene.attend(3)
    session.flush()

    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text("UPDATE committee_attendance SET present = false"))


# --- refusals -------------------------------------------------------------------------------------------------
def test_no_quorum_no_vote(session, world, unchanged):
    scene = referred_and_meeting(session, world)
    scene.attend(2)  # of 4 members: 3 are needed
    scene.write()

    with unchanged(), pytest.raises(GuardFailed, match="no quorum in the committee: 2 of its 4 members are present"):
        conclusions.vote_on_conclusion(
            session, scene.meeting, scene.conclusion, scene.chair, dict.fromkeys(scene.members[:2], "for")
        )


def test_the_committee_votes_once_on_a_conclusion_as_it_stands(session, world, unchanged):
    scene = referred_and_meeting(session, world)
    scene.attend(4)
    scene.write()
    ballots = dict(zip(scene.members, ["for", "for", "against", "abstain"], strict=True))
    vote = conclusions.vote_on_conclusion(
        session, scene.meeting, scene.conclusion, scene.chair, ballots, now=world.at(2.2)
    )
    assert (vote.result, vote.votes_for, vote.votes_against, vote.abstained) == ("rejected", 2, 1, 1)
    assert scene.conclusion.state == "prepared", "a rejected conclusion is written anew, not discussed"

    with unchanged(), pytest.raises(GuardFailed, match="already voted on this conclusion as it stands"):
        conclusions.vote_on_conclusion(session, scene.meeting, scene.conclusion, scene.chair, ballots)

    scene.write("reject", "Відхилити проєкт рішення.")
    again = conclusions.vote_on_conclusion(
        session, scene.meeting, scene.conclusion, scene.chair, dict.fromkeys(scene.members, "for"), now=world.at(2.3)
    )
    assert again.result == "adopted"
    assert scene.conclusion.state == "discussed"


def test_only_who_runs_the_committee_plans_and_records(session, world, unchanged):
    scene = referred_and_meeting(session, world)
    member = world.actor(world.deputies[2], 2)
    other_chair = world.actor(world.deputies[4], 2)
    scene.write()

    with unchanged():
        with pytest.raises(NotAllowed, match="planned by its chair or its secretary"):
            meetings.plan_meeting(session, other_chair, world.budget, starts_at=world.at(3), place="Зала")
        with pytest.raises(NotAllowed, match="attendance is recorded by its chair or its secretary"):
            meetings.record_attendance_of(session, scene.meeting, member, scene.members)
        with pytest.raises(NotAllowed, match="recorded by its chair or its secretary"):
            conclusions.vote_on_conclusion(session, scene.meeting, scene.conclusion, member, {})
        with pytest.raises(NotAllowed, match="written by the committee's chair"):
            conclusions.write_conclusion(
                session, scene.conclusion, scene.secretary, recommendation="reject", body="Ні."
            )


def test_only_the_chair_signs_and_only_a_discussed_conclusion(session, world, unchanged):
    scene = referred_and_meeting(session, world)
    scene.attend(4)
    scene.write()

    with unchanged(), pytest.raises(WrongState):
        conclusions.sign_conclusion(session, scene.conclusion, scene.chair)
    conclusions.vote_on_conclusion(
        session, scene.meeting, scene.conclusion, scene.chair, dict.fromkeys(scene.members, "for"), now=world.at(2.2)
    )
    with unchanged(), pytest.raises(NotAllowed, match="can be done only by"):
        conclusions.sign_conclusion(session, scene.conclusion, scene.secretary)
    with unchanged(), pytest.raises(NotAllowed, match="cannot be edited"):
        scene.write("reject", "Інший текст.")


def test_a_vote_needs_a_meeting_in_progress_a_written_conclusion_and_members_present(session, world, unchanged):
    scene = referred_and_meeting(session, world, opened=False)
    with unchanged(), pytest.raises(WrongState, match="while its meeting is in progress"):
        conclusions.vote_on_conclusion(session, scene.meeting, scene.conclusion, scene.chair, {})
    with unchanged(), pytest.raises(WrongState, match="while the meeting is in progress"):
        scene.attend(4)
    meetings.open_meeting(session, scene.meeting, scene.chair, now=world.at(2))
    scene.attend(3)

    with unchanged(), pytest.raises(GuardFailed, match="the chair writes it before the committee votes"):
        conclusions.vote_on_conclusion(session, scene.meeting, scene.conclusion, scene.chair, {})
    scene.write()
    with unchanged():
        with pytest.raises(InvalidInput, match="not present at the meeting cannot vote: Марія Савчук"):
            conclusions.vote_on_conclusion(
                session, scene.meeting, scene.conclusion, scene.chair, {scene.members[3]: "for"}
            )
        with pytest.raises(InvalidInput, match="not members of the committee: Ігор Петренко"):
            conclusions.vote_on_conclusion(
                session, scene.meeting, scene.conclusion, scene.chair, {world.deputies[4].id: "for"}
            )
        with pytest.raises(InvalidInput, match="votes for, against, abstains or does not vote"):
            conclusions.vote_on_conclusion(
                session, scene.meeting, scene.conclusion, scene.chair, {scene.members[0]: "absent"}
            )
        with pytest.raises(InvalidInput, match="choose the committee's recommendation"):
            conclusions.write_conclusion(session, scene.conclusion, scene.chair, recommendation="maybe", body="Так.")


def test_papers_are_the_committee_s_own_conclusions_once_each(session, world, unchanged):
    scene = referred_and_meeting(session, world, opened=False)
    other = world.published_draft("Про сквер")
    (education,) = drafts.send_to_committees(
        session, other, world.actor(world.secretary, 1), world.education, now=world.at(1)
    )

    with unchanged():
        with pytest.raises(InvalidInput, match="already on this meeting's agenda"):
            meetings.add_paper(session, scene.meeting, scene.chair, scene.conclusion)
        with pytest.raises(InvalidInput, match="«Про сквер» is not referred to this committee"):
            meetings.add_paper(session, scene.meeting, scene.chair, education)
        with pytest.raises(InvalidInput, match="say where the committee meets"):
            meetings.plan_meeting(session, scene.chair, world.budget, starts_at=world.at(3), place="  ")
