"""A standing committee's meetings: planned with a moment, a place and the papers it considers (the committee's
conclusions on drafts referred to it), opened, its members' attendance recorded, closed with its protocol.

The chair and the secretary of the committee run its meetings; the engine's roles of `committee_meeting` say
who opens, closes or cancels one, and the operations here say so before anything is written for the rest.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.council.committees.models import CommitteeAttendance, CommitteeMeeting, MeetingPaper
from workflow.council.committees.records import record_attendance
from workflow.council.organisation.models import Committee
from workflow.council.organisation.queries import committee_members
from workflow.engine import Fired, create_document, fire, lock_document
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotAllowed, NotFound, WrongState
from workflow.i18n import N_
from workflow.people import Actor, Person
from workflow.timeutil import as_utc, utcnow

#: the longest place a meeting's detail keeps
PLACE_LIMIT = 300
#: the meeting's states in which papers may still be added
OPEN_STATES = ("planned", "in_progress")


def runs_committee(actor: Actor, committee_id: int) -> bool:
    """Whether the actor chairs the committee or is its secretary: who runs its meetings."""
    return actor.holds_for("committee_chair", committee_id) or actor.holds_for("committee_secretary", committee_id)


def plan_meeting(
    session: Session,
    actor: Actor,
    committee: Committee,
    *,
    starts_at: datetime,
    place: str,
    now: datetime | None = None,
) -> Document:
    """A new meeting of the committee at `starts_at` in `place`, planned."""
    if not runs_committee(actor, committee.id):
        raise NotAllowed(
            "committees.meetings_planned_by_chair",
            N_("a committee's meetings are planned by its chair or its secretary"),
        )
    place = place.strip()
    if not place:
        raise InvalidInput("committees.meeting_needs_place", N_("say where the committee meets"))
    if len(place) > PLACE_LIMIT:
        raise InvalidInput(
            "committees.place_too_long",
            N_("the place has {length} characters; at most {limit} are kept"),
            length=len(place),
            limit=PLACE_LIMIT,
        )
    document = create_document(
        session,
        "committee_meeting",
        actor,
        title=f"Засідання постійної комісії {committee.name}",
        fields={"committee_id": committee.id},
        now=now,
    )
    session.add(
        CommitteeMeeting(document_id=document.id, committee_id=committee.id, starts_at=as_utc(starts_at), place=place)
    )
    session.flush()
    return document


def meeting_detail(session: Session, meeting: Document) -> CommitteeMeeting:
    detail = session.get(CommitteeMeeting, meeting.id) if meeting.kind == "committee_meeting" else None
    if detail is None:
        raise NotFound(
            "committees.not_a_meeting",
            N_("document {id} is not a committee meeting"),
            id=meeting.id,
        )
    return detail


def papers(session: Session, meeting: Document) -> list[tuple[MeetingPaper, Document]]:
    """The meeting's papers in order: each with the conclusion it considers."""
    rows = session.execute(
        select(MeetingPaper, Document)
        .join(Document, Document.id == MeetingPaper.conclusion_id)
        .where(MeetingPaper.meeting_id == meeting.id)
        .order_by(MeetingPaper.position)
    ).all()
    return [(paper, document) for paper, document in rows]


def draft_title(session: Session, conclusion: Document) -> str:
    """The title of the draft a conclusion is about (a conclusion's own title is its committee's name)."""
    draft = session.get(Document, conclusion.parent_id) if conclusion.parent_id is not None else None
    return draft.title if draft is not None else conclusion.title


def add_paper(
    session: Session, meeting: Document, actor: Actor, conclusion: Document, *, now: datetime | None = None
) -> MeetingPaper:
    """Put the committee's conclusion on a draft on the meeting's agenda, as its next paper."""
    detail = meeting_detail(session, meeting)
    if not runs_committee(actor, detail.committee_id):
        raise NotAllowed(
            "committees.agenda_by_chair",
            N_("a meeting's agenda is made by the committee's chair or its secretary"),
        )
    if meeting.state not in OPEN_STATES:
        raise WrongState("committees.papers_added_open", N_("papers are added to a meeting that has not ended"))
    title = draft_title(session, conclusion)
    if conclusion.kind != "committee_conclusion" or conclusion.fields.get("committee_id") != detail.committee_id:
        raise InvalidInput(
            "committees.not_referred_here",
            N_("«{title}» is not referred to this committee"),
            title=title,
        )
    if conclusion.state != "prepared":
        raise WrongState(
            "committees.conclusion_not_in_preparation",
            N_("the committee's conclusion on «{title}» is no longer being prepared"),
            title=title,
        )
    taken = session.scalar(
        select(MeetingPaper.id).where(
            MeetingPaper.meeting_id == meeting.id, MeetingPaper.conclusion_id == conclusion.id
        )
    )
    if taken is not None:
        raise InvalidInput(
            "committees.paper_already_on",
            N_("«{title}» is already on this meeting's agenda"),
            title=title,
        )
    position = (
        session.scalar(select(func.max(MeetingPaper.position)).where(MeetingPaper.meeting_id == meeting.id)) or 0
    ) + 1
    paper = MeetingPaper(meeting_id=meeting.id, conclusion_id=conclusion.id, position=position)
    session.add(paper)
    session.flush()
    return paper


def open_meeting(session: Session, meeting: Document, actor: Actor, *, now: datetime | None = None) -> Fired:
    meeting_detail(session, meeting)
    return fire(session, meeting, "open", actor, now=now)


def close_meeting(session: Session, meeting: Document, actor: Actor, *, now: datetime | None = None) -> Fired:
    """Close the meeting; its protocol is rendered (the move's effect)."""
    meeting_detail(session, meeting)
    return fire(session, meeting, "close", actor, now=now)


def cancel_meeting(
    session: Session, meeting: Document, actor: Actor, reason: str, *, now: datetime | None = None
) -> Fired:
    meeting_detail(session, meeting)
    return fire(session, meeting, "cancel", actor, comment=reason, now=now)


# --- attendance -------------------------------------------------------------------------------------------------
def presence(session: Session, meeting_id: int) -> dict[int, bool]:
    """Each member's latest row at the meeting (by the meeting's log): present, or left."""
    rows = session.execute(
        select(CommitteeAttendance.person_id, CommitteeAttendance.present)
        .where(CommitteeAttendance.meeting_id == meeting_id)
        .order_by(CommitteeAttendance.audit_version, CommitteeAttendance.id)
    ).all()
    return {person_id: bool(present) for person_id, present in rows}


def present_members(session: Session, meeting: Document, members: Collection[int]) -> set[int]:
    return {person for person, here in presence(session, meeting.id).items() if here and person in members}


def quorum_for_committee(members: int) -> int:
    """Members who must be present for the committee to decide: more than half of its members."""
    return members // 2 + 1


def record_attendance_of(
    session: Session,
    meeting: Document,
    actor: Actor,
    present: Collection[int],
    *,
    now: datetime | None = None,
) -> list[CommitteeAttendance]:
    """Record who is present at the meeting: `present` are the members here now, every other member is not. Only
    a change is written (a member arriving, or leaving), each a row of its own under the meeting's chain."""
    now = utcnow() if now is None else as_utc(now)
    detail = meeting_detail(session, meeting)
    if not runs_committee(actor, detail.committee_id):
        raise NotAllowed(
            "committees.attendance_by_chair",
            N_("a committee's attendance is recorded by its chair or its secretary"),
        )
    lock_document(session, meeting)
    if meeting.state != "in_progress":
        raise WrongState(
            "committees.attendance_in_progress",
            N_("attendance is recorded while the meeting is in progress"),
        )
    members = committee_members(session, detail.committee_id, now)
    strangers = sorted(set(present) - set(members))
    if strangers:
        raise InvalidInput(
            "committees.not_members",
            N_("not members of the committee: {names}"),
            names=names_of(session, strangers),
        )
    names = dict(session.execute(select(Person.id, Person.full_name).where(Person.id.in_(members))).all())
    current = presence(session, meeting.id)
    written = []
    for member in members:
        here = member in present
        if current.get(member, False) == here:
            continue
        row = CommitteeAttendance(
            meeting_id=meeting.id, person_id=member, name=names[member], registered_at=now, present=here
        )
        record_attendance(session, row, meeting, actor, now)
        written.append(row)
    return written


def names_of(session: Session, ids: list[int]) -> str:
    names = dict(session.execute(select(Person.id, Person.full_name).where(Person.id.in_(ids))).all())
    return ", ".join(names.get(i, f"#{i}") for i in ids)
