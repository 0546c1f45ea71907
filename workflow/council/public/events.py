"""The council's calendar as events (what an iCalendar feed says): the plenary sessions, the committees'
meetings, and a committee's events. Each event has a key that never changes, so a calendar that subscribed to it
updates it in place.

A committee's calendar is made of its event sources (`COMMITTEE_SOURCES`): the plenary sessions that consider
drafts referred to it, and its own meetings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from workflow.council.access import may_read
from workflow.council.committees.models import CommitteeMeeting, MeetingPaper
from workflow.council.public.sessions import SessionSummary, public_sessions
from workflow.council.sittings.models import AgendaItem
from workflow.engine.audit import EDIT
from workflow.engine.models import AuditEntry, Document
from workflow.timeutil import as_utc

#: how long a sitting, and a committee's meeting, is shown in a calendar before it has closed (the law sets no
#: length)
PLANNED_LENGTH = timedelta(hours=4)
MEETING_LENGTH = timedelta(hours=2)
#: the kind of a committee's meeting, beside a session's kinds (regular, extraordinary)
COMMITTEE_MEETING = "committee_meeting"


@dataclass(frozen=True)
class CalendarEvent:
    #: unique and stable: the kind of event and its record's id, e.g. "session-12", "committee-meeting-40"
    key: str
    #: the session's number (None for a committee's meeting) and its kind ("regular", "extraordinary" or
    #: COMMITTEE_MEETING), for the summary the feed writes in words
    number: int | None
    kind: str
    starts_at: datetime
    ends_at: datetime
    place: str
    #: "confirmed" or "cancelled"
    status: str
    #: how many times what the event says was changed after it was made (RFC 5545's SEQUENCE)
    sequence: int
    #: when the event's record last changed
    changed_at: datetime
    #: the page of the event on the portal (a path)
    path: str
    #: the titles of the agenda's items (of a committee's meeting: the public drafts it considers)
    agenda: tuple[str, ...] = ()
    #: the committee that meets (a committee's meeting only)
    committee_id: int | None = None


#: a source of a committee's events: (session, committee id) -> events
EventSource = Callable[[Session, int], list[CalendarEvent]]


def session_events(session: Session, summaries: Sequence[SessionSummary] | None = None) -> list[CalendarEvent]:
    """Every public plenary session as an event."""
    summaries = public_sessions(session) if summaries is None else summaries
    if not summaries:
        return []
    ids = [s.id for s in summaries]
    changes, closed = _changes(session, ids), _closings(session, ids)
    titles: dict[int, list[str]] = {}
    for session_id, title in session.execute(
        select(AgendaItem.session_id, Document.title)
        .join(Document, Document.id == AgendaItem.document_id)
        .where(AgendaItem.session_id.in_(ids), Document.state != "removed")
        .order_by(AgendaItem.session_id, AgendaItem.position)
    ):
        titles.setdefault(session_id, []).append(title)
    events = []
    for summary in summaries:
        starts = as_utc(summary.plenary.starts_at)
        ended = closed.get(summary.id)
        ends = as_utc(ended) if ended is not None and as_utc(ended) > starts else starts + PLANNED_LENGTH
        events.append(
            CalendarEvent(
                key=f"session-{summary.id}",
                number=summary.plenary.number,
                kind=summary.plenary.kind,
                starts_at=starts,
                ends_at=ends,
                place=summary.plenary.place,
                status="cancelled" if summary.cancelled else "confirmed",
                sequence=int(changes.get(summary.id, 0)),
                changed_at=as_utc(summary.document.updated_at),
                path=f"/sessions/{summary.id}",
                agenda=tuple(titles.get(summary.id, ())),
            )
        )
    return events


def sessions_considering_committee_drafts(session: Session, committee_id: int) -> list[CalendarEvent]:
    """The plenary sessions whose agenda holds a draft referred to the committee (lead or advisory). An item
    taken off the agenda no longer counts, unless the whole session was cancelled: then the committee's calendar
    keeps the session, marked cancelled, so a subscribed calendar learns of it."""
    referred = (
        select(Document.parent_id)
        .where(
            Document.kind == "committee_conclusion",
            Document.fields["committee_id"].as_integer() == committee_id,
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(AgendaItem.session_id, Document.state)
        .join(Document, Document.id == AgendaItem.document_id)
        .where(AgendaItem.draft_id.in_(referred))
    ).all()
    considered = {plenary for plenary, state in rows if state != "removed"}
    taken_off = {plenary for plenary, state in rows if state == "removed"}
    return session_events(
        session,
        [s for s in public_sessions(session) if s.id in considered or (s.cancelled and s.id in taken_off)],
    )


def meeting_events(session: Session, committee_id: int | None = None) -> list[CalendarEvent]:
    """The committees' meetings the public may read (of one committee, or of all), planned, held or cancelled:
    a cancelled one stays, marked so, as a cancelled session does. The agenda names only the drafts the public
    may read."""
    query = select(CommitteeMeeting, Document).join(Document, Document.id == CommitteeMeeting.document_id)
    if committee_id is not None:
        query = query.where(CommitteeMeeting.committee_id == committee_id)
    found = [(detail, meeting) for detail, meeting in session.execute(query).all() if may_read(session, meeting, None)]
    if not found:
        return []
    ids = [meeting.id for _detail, meeting in found]
    changes, closed = _changes(session, ids), _closings(session, ids)
    conclusion, draft = aliased(Document), aliased(Document)
    titles: dict[int, list[str]] = {}
    for meeting_id, paper in session.execute(
        select(MeetingPaper.meeting_id, draft)
        .join(conclusion, conclusion.id == MeetingPaper.conclusion_id)
        .join(draft, draft.id == conclusion.parent_id)
        .where(MeetingPaper.meeting_id.in_(ids))
        .order_by(MeetingPaper.meeting_id, MeetingPaper.position)
    ):
        if may_read(session, paper, None) and paper.title not in titles.get(meeting_id, []):
            titles.setdefault(meeting_id, []).append(paper.title)
    events = []
    for detail, meeting in found:
        starts = as_utc(detail.starts_at)
        ended = closed.get(meeting.id)
        ends = as_utc(ended) if ended is not None and as_utc(ended) > starts else starts + MEETING_LENGTH
        events.append(
            CalendarEvent(
                key=f"committee-meeting-{meeting.id}",
                number=None,
                kind=COMMITTEE_MEETING,
                starts_at=starts,
                ends_at=ends,
                place=detail.place,
                status="cancelled" if meeting.state == "cancelled" else "confirmed",
                sequence=int(changes.get(meeting.id, 0)),
                changed_at=as_utc(meeting.updated_at),
                path=f"/committees/{detail.committee_id}",
                agenda=tuple(titles.get(meeting.id, ())),
                committee_id=detail.committee_id,
            )
        )
    return events


def committee_meetings(session: Session, committee_id: int) -> list[CalendarEvent]:
    """The committee's own meetings."""
    return meeting_events(session, committee_id)


def council_events(session: Session) -> list[CalendarEvent]:
    """Everything the council's calendar holds: the plenary sessions and every committee's meetings, by start."""
    return _by_start([*session_events(session), *meeting_events(session)])


def _changes(session: Session, ids: list[int]) -> dict[int, int]:
    """How often each event's record was changed or cancelled after it was made (its SEQUENCE)."""
    return {
        document_id: int(count)
        for document_id, count in session.execute(
            select(AuditEntry.document_id, func.count())
            .where(AuditEntry.document_id.in_(ids), AuditEntry.trigger.in_((EDIT, "cancel")))
            .group_by(AuditEntry.document_id)
        ).all()
    }


def _closings(session: Session, ids: list[int]) -> dict[int, datetime]:
    return dict(
        session.execute(
            select(AuditEntry.document_id, func.max(AuditEntry.at))
            .where(AuditEntry.document_id.in_(ids), AuditEntry.to_state == "closed")
            .group_by(AuditEntry.document_id)
        ).all()
    )


def _by_start(events: Sequence[CalendarEvent]) -> list[CalendarEvent]:
    return sorted(events, key=lambda event: (event.starts_at, event.key))


#: what a committee's calendar is made of
COMMITTEE_SOURCES: tuple[EventSource, ...] = (sessions_considering_committee_drafts, committee_meetings)


def committee_events(
    session: Session, committee_id: int, sources: Sequence[EventSource] = COMMITTEE_SOURCES
) -> list[CalendarEvent]:
    """A committee's events from every source, by their start; an event two sources give is given once."""
    seen: dict[str, CalendarEvent] = {}
    for source in sources:
        for event in source(session, committee_id):
            seen.setdefault(event.key, event)
    return _by_start(list(seen.values()))
