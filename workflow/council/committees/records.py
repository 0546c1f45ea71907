"""A committee meeting's legally decisive records under the meeting's chain: each member's presence (or leaving)
and the link of each vote to the meeting it was held at. Written as `workflow.council.sittings.records` writes
the plenary ones (`workflow.council.ledger`: an audit entry of the meeting per row, whose data is the row's
digest) and append-only (migration 0012), so `radaflow audit verify` names a row changed by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from workflow.council.committees.models import CommitteeAttendance, MeetingVote
from workflow.council.ledger import moment, put_under_chain, row_spec
from workflow.definitions.catalog import Catalog
from workflow.engine.models import Document
from workflow.people import Actor

ATTENDANCE, MEETING_VOTE = "committee_attendance", "committee_meeting_vote"


def _attendance_content(row: CommitteeAttendance) -> dict[str, Any]:
    return {
        "id": row.id,
        "meeting_id": row.meeting_id,
        "person_id": row.person_id,
        "name": row.name,
        "present": bool(row.present),
        "registered_at": moment(row.registered_at),
        "audit_version": row.audit_version,
    }


def _vote_link_content(row: MeetingVote) -> dict[str, Any]:
    return {"id": row.id, "meeting_id": row.meeting_id, "vote_id": row.vote_id, "audit_version": row.audit_version}


SPECS = (
    row_spec(
        ATTENDANCE,
        "a committee member's presence at a meeting, or leaving it",
        key=CommitteeAttendance.id,
        ledger=CommitteeAttendance.meeting_id,
        content=_attendance_content,
    ),
    row_spec(
        MEETING_VOTE,
        "a committee's vote on a conclusion, as held at a meeting",
        key=MeetingVote.id,
        ledger=MeetingVote.meeting_id,
        content=_vote_link_content,
    ),
)


def register(catalog: Catalog) -> None:
    for spec in SPECS:
        catalog.record(spec)


def record_attendance(
    session: Session, row: CommitteeAttendance, meeting: Document, actor: Actor, now: datetime
) -> None:
    """Write the row under the meeting's chain; the caller holds the meeting's lock (`lock_document`)."""
    put_under_chain(session, row, meeting, actor, record=ATTENDANCE, content=_attendance_content, now=now)


def record_vote_link(session: Session, row: MeetingVote, meeting: Document, actor: Actor, now: datetime) -> None:
    put_under_chain(session, row, meeting, actor, record=MEETING_VOTE, content=_vote_link_content, now=now)
