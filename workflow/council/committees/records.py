"""A committee meeting's legally decisive records under the meeting's chain: each member's presence (or leaving)
and the link of each vote to the meeting it was held at. Written as `workflow.council.sittings.records` writes
the plenary ones — an audit entry of the meeting per row, whose data is the row's digest — and append-only
(migration 0012), so `radaflow audit verify` names a row changed by hand."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.committees.models import CommitteeAttendance, MeetingVote
from workflow.definitions.catalog import Catalog, RecordSpec
from workflow.engine import record_entry
from workflow.engine.audit import canonical_json
from workflow.engine.models import Document
from workflow.people import Actor
from workflow.timeutil import canonical

ATTENDANCE, MEETING_VOTE = "committee_attendance", "committee_meeting_vote"


def _digest(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def _attendance_content(row: CommitteeAttendance) -> dict[str, Any]:
    return {
        "id": row.id,
        "meeting_id": row.meeting_id,
        "person_id": row.person_id,
        "name": row.name,
        "present": bool(row.present),
        "registered_at": canonical(row.registered_at),
        "audit_version": row.audit_version,
    }


def _vote_link_content(row: MeetingVote) -> dict[str, Any]:
    return {"id": row.id, "meeting_id": row.meeting_id, "vote_id": row.vote_id, "audit_version": row.audit_version}


def _attendance_digests(session: Session, ids: Collection[int]) -> dict[int, str]:
    rows = session.scalars(
        select(CommitteeAttendance)
        .where(CommitteeAttendance.id.in_(list(ids)))
        .execution_options(populate_existing=True)
    )
    return {row.id: _digest(_attendance_content(row)) for row in rows}


def _vote_link_digests(session: Session, ids: Collection[int]) -> dict[int, str]:
    rows = session.scalars(
        select(MeetingVote).where(MeetingVote.id.in_(list(ids))).execution_options(populate_existing=True)
    )
    return {row.id: _digest(_vote_link_content(row)) for row in rows}


def _recorded_attendance(session: Session) -> dict[int, int]:
    rows = session.execute(select(CommitteeAttendance.id, CommitteeAttendance.meeting_id)).all()
    return {int(row_id): int(meeting) for row_id, meeting in rows}


def _recorded_vote_links(session: Session) -> dict[int, int]:
    rows = session.execute(select(MeetingVote.id, MeetingVote.meeting_id)).all()
    return {int(row_id): int(meeting) for row_id, meeting in rows}


SPECS = (
    RecordSpec(
        ATTENDANCE,
        "a committee member's presence at a meeting, or leaving it",
        _attendance_digests,
        _recorded_attendance,
    ),
    RecordSpec(
        MEETING_VOTE,
        "a committee's vote on a conclusion, as held at a meeting",
        _vote_link_digests,
        _recorded_vote_links,
    ),
)


def register(catalog: Catalog) -> None:
    for spec in SPECS:
        catalog.record(spec)


def record_attendance(
    session: Session, row: CommitteeAttendance, meeting: Document, actor: Actor, now: datetime
) -> None:
    """Write the row under the meeting's chain; the caller holds the meeting's lock (`lock_document`)."""
    row.audit_version = meeting.version + 1
    session.add(row)
    session.flush()
    written = record_entry(
        session,
        meeting,
        actor,
        record=ATTENDANCE,
        record_id=row.id,
        digest=_digest(_attendance_content(row)),
        now=now,
    )
    assert written == row.audit_version, "the meeting moved between its lock and its record"


def record_vote_link(session: Session, row: MeetingVote, meeting: Document, actor: Actor, now: datetime) -> None:
    row.audit_version = meeting.version + 1
    session.add(row)
    session.flush()
    written = record_entry(
        session,
        meeting,
        actor,
        record=MEETING_VOTE,
        record_id=row.id,
        digest=_digest(_vote_link_content(row)),
        now=now,
    )
    assert written == row.audit_version, "the meeting moved between its lock and its record"
