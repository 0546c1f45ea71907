"""A committee's conclusion on a draft, at its meeting: written by the chair, voted by the members present with
the committee's own quorum and majority, signed by the chair.

The vote is `hold_committee_vote` (recorded in the conclusion's chain, with its quorum and arithmetic), linked to
the meeting it was held at under the meeting's chain. An adopted vote records the discussion (`discuss`) in the
same transaction; the engine's guards (`has_recommendation`, `committee_vote_held`) and roles still decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import limits
from workflow.council.committees.meetings import (
    draft_title,
    meeting_detail,
    names_of,
    present_members,
    runs_committee,
)
from workflow.council.committees.models import MeetingPaper, MeetingVote
from workflow.council.committees.records import record_vote_link
from workflow.council.drafts.guards import RECOMMENDATIONS
from workflow.council.organisation.queries import committee_members
from workflow.council.sittings.models import Vote
from workflow.council.sittings.votes import hold_committee_vote, latest_vote
from workflow.engine import Fired, edit_document, fire, lock_document
from workflow.engine.models import AuditEntry, Document
from workflow.errors import GuardFailed, InvalidInput, NotAllowed, WrongState
from workflow.i18n import N_
from workflow.people import Actor
from workflow.timeutil import as_utc, utcnow

#: what a member present may vote (one who is not present is absent)
PRESENT_CHOICES = ("for", "against", "abstain", "not_voted")


def _committee_of(conclusion: Document) -> int:
    committee_id = conclusion.fields.get("committee_id")
    if conclusion.kind != "committee_conclusion" or not isinstance(committee_id, int):
        raise InvalidInput(
            "votes.document_id_not_committee",
            N_("document {id} is not a committee's conclusion"),
            id=conclusion.id,
        )
    return committee_id


def write_conclusion(
    session: Session,
    conclusion: Document,
    actor: Actor,
    *,
    recommendation: str,
    body: str,
    now: datetime | None = None,
) -> None:
    """The chair writes the committee's recommendation and its text; the engine says in which states it may."""
    committee_id = _committee_of(conclusion)
    if not actor.holds_for("committee_chair", committee_id):
        raise NotAllowed(
            "committees.conclusion_written_by_chair",
            N_("the committee's conclusion is written by the committee's chair"),
        )
    if recommendation not in RECOMMENDATIONS:
        raise InvalidInput("committees.choose_recommendation", N_("choose the committee's recommendation"))
    body = body.strip()
    if not body:
        raise InvalidInput("rules.conclusion_no_text", N_("the conclusion has no text"))
    if len(body) > limits.FIELD_TEXT:
        raise InvalidInput(
            "committees.conclusion_too_long",
            N_("the conclusion has {length} characters; at most {limit} are kept"),
            length=len(body),
            limit=limits.FIELD_TEXT,
        )
    edit_document(session, conclusion, actor, fields={"recommendation": recommendation, "body": body}, now=now)


def voted_as_it_stands(session: Session, conclusion: Document) -> Vote | None:
    """The committee's vote on the conclusion as it stands now (none since its last change), if there is one."""
    vote = latest_vote(session, conclusion.id, "conclusion")
    if vote is None:
        return None
    changed = session.scalar(
        select(AuditEntry.version)
        .where(AuditEntry.document_id == conclusion.id, AuditEntry.trigger.in_(("edit", "send_back")))
        .order_by(AuditEntry.version.desc())
        .limit(1)
    )
    if changed is None or (vote.subject_version or 0) >= changed:
        return vote
    return None


def vote_on_conclusion(
    session: Session,
    meeting: Document,
    conclusion: Document,
    actor: Actor,
    choices: Mapping[int, str],
    *,
    now: datetime | None = None,
) -> Vote:
    """The committee votes at its meeting on a conclusion on its agenda: `choices` gives each member present
    their choice (a member present with none did not vote); members not present are absent. The committee's
    quorum is more than half of its members, and it adopts by more than half of them. Refused, saying why and
    recording nothing, for someone who does not run the committee, a meeting not in progress, a paper not on
    its agenda, a conclusion not written or already voted as it stands, a choice of a member not present."""
    now = utcnow() if now is None else as_utc(now)
    detail = meeting_detail(session, meeting)
    committee_id = _committee_of(conclusion)
    if not runs_committee(actor, detail.committee_id):
        raise NotAllowed(
            "votes.committee_s_vote_recorded",
            N_("a committee's vote is recorded by its chair or its secretary"),
        )
    lock_document(session, meeting)  # the meeting before the conclusion, as every committee vote takes them
    if meeting.state != "in_progress":
        raise WrongState(
            "committees.votes_in_progress",
            N_("the committee votes while its meeting is in progress"),
        )
    title = draft_title(session, conclusion)
    on_agenda = session.scalar(
        select(MeetingPaper.id).where(
            MeetingPaper.meeting_id == meeting.id, MeetingPaper.conclusion_id == conclusion.id
        )
    )
    if on_agenda is None or committee_id != detail.committee_id:
        raise InvalidInput(
            "committees.not_on_agenda",
            N_("«{title}» is not on this meeting's agenda"),
            title=title,
        )
    written = (
        conclusion.fields.get("recommendation") in RECOMMENDATIONS and str(conclusion.fields.get("body") or "").strip()
    )
    if not written:
        raise GuardFailed(
            "committees.write_before_vote",
            N_("the conclusion has no recommendation or no text yet: the chair writes it before the committee votes"),
        )
    earlier = voted_as_it_stands(session, conclusion)
    if earlier is not None:
        raise GuardFailed(
            "committees.already_voted",
            N_(
                "the committee has already voted on this conclusion as it stands ({reason}); it votes again only "
                "on a changed text"
            ),
            reason=earlier.reason,
        )
    members = committee_members(session, committee_id, now)
    present = present_members(session, meeting, members)
    strangers = sorted(set(choices) - set(members))
    if strangers:
        raise InvalidInput(
            "committees.not_members",
            N_("not members of the committee: {names}"),
            names=names_of(session, strangers),
        )
    away = sorted(set(choices) - present)
    if away:
        raise InvalidInput(
            "committees.not_present_cannot_vote",
            N_("members who are not present at the meeting cannot vote: {names}"),
            names=names_of(session, away),
        )
    if any(choice not in PRESENT_CHOICES for choice in choices.values()):
        raise InvalidInput(
            "committees.unknown_choice",
            N_("a member present votes for, against, abstains or does not vote"),
        )
    ballots = {member: choices.get(member, "not_voted") if member in present else "absent" for member in members}
    vote = hold_committee_vote(
        session,
        conclusion,
        actor,
        ballots=ballots,
        question=f"Про висновок щодо проєкту рішення «{title}»",
        now=now,
    )
    record_vote_link(session, MeetingVote(meeting_id=meeting.id, vote_id=vote.id), meeting, actor, now)
    if vote.result == "adopted":
        fire(session, conclusion, "discuss", actor, now=now)
    return vote


def sign_conclusion(session: Session, conclusion: Document, actor: Actor, *, now: datetime | None = None) -> Fired:
    """The chair signs the discussed conclusion (the engine's `sign`: only that committee's chair)."""
    _committee_of(conclusion)
    return fire(session, conclusion, "sign", actor, now=now)


def meeting_votes(session: Session, meeting: Document) -> list[Vote]:
    """The committee's votes held at the meeting, in the order they were held."""
    return list(
        session.scalars(
            select(Vote)
            .join(MeetingVote, MeetingVote.vote_id == Vote.id)
            .where(MeetingVote.meeting_id == meeting.id)
            .order_by(MeetingVote.audit_version)
        )
    )
