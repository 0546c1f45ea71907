"""The council's legally decisive records under the hash chain: votes with their ballots, registrations at a
sitting, and decisions' numbers.

Each row is written with an audit entry of its own in the chain of the document it belongs to — a council vote
and a registration in the session's, a committee's vote in its conclusion's, a number in its decision's — whose
data is the row's digest: `{"record": "vote", "id": 12, "digest": "..."}`. `radaflow audit verify` recomputes the
digests from the rows as they stand, so a vote's counts, a ballot, a member's name as voted or registered, or a
number changed by hand is found and named by its document. The tables also refuse UPDATE and DELETE (migration
0004), as the audit log does.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.sittings.models import Attendance, Ballot, Decision, Vote
from workflow.definitions.catalog import Catalog, RecordSpec
from workflow.engine import record_entry
from workflow.engine.audit import canonical_json
from workflow.engine.models import Document
from workflow.people import Actor
from workflow.timeutil import canonical

VOTE, ATTENDANCE, DECISION = "vote", "attendance", "decision"


def _digest(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def _moment(value: datetime | None) -> str | None:
    return None if value is None else canonical(value)


# --- what each record's digest covers --------------------------------------------------------------------------
def _vote_content(vote: Vote, ballots: list[tuple[int, str | None, str]]) -> dict[str, Any]:
    return {
        "id": vote.id,
        "session_id": vote.session_id,
        "committee_id": vote.committee_id,
        "subject_id": vote.subject_id,
        "subject_version": vote.subject_version,
        "purpose": vote.purpose,
        "question": vote.question,
        "threshold": vote.threshold,
        "total_composition": vote.total_composition,
        "required": vote.required,
        "registered": vote.registered,
        "for": vote.votes_for,
        "against": vote.votes_against,
        "abstained": vote.abstained,
        "not_voted": vote.not_voted,
        "absent": vote.absent,
        "result": vote.result,
        "reason": vote.reason,
        "held_at": _moment(vote.held_at),
        "publish_by": _moment(vote.publish_by),
        "recorded_by_id": vote.recorded_by_id,
        "audit_version": vote.audit_version,
        "ballots": [list(ballot) for ballot in sorted(ballots)],
    }


def _attendance_content(row: Attendance) -> dict[str, Any]:
    return {
        "id": row.id,
        "session_id": row.session_id,
        "person_id": row.person_id,
        "name": row.name,
        "present": bool(row.present),
        "registered_at": _moment(row.registered_at),
        "audit_version": row.audit_version,
    }


def _decision_content(row: Decision) -> dict[str, Any]:
    return {
        "id": row.id,
        "draft_id": row.draft_id,
        "council_id": row.council_id,
        "number": row.number,
        "session_number": row.session_number,
        "convocation": row.convocation,
        "official_number": row.official_number,
        "adopted_on": row.adopted_on.isoformat(),
        "numbered_at": _moment(row.numbered_at),
        "audit_version": row.audit_version,
    }


def vote_digest(session: Session, vote: Vote) -> str:
    return _vote_digests(session, [vote.id])[vote.id]


def _vote_digests(session: Session, ids: Collection[int]) -> dict[int, str]:
    ballots: dict[int, list[tuple[int, str | None, str]]] = defaultdict(list)
    for vote_id, person_id, name, choice in session.execute(
        select(Ballot.vote_id, Ballot.person_id, Ballot.name, Ballot.choice)
        .where(Ballot.vote_id.in_(list(ids)))
        .execution_options(populate_existing=True)
    ):
        ballots[vote_id].append((person_id, name, choice))
    votes = session.scalars(select(Vote).where(Vote.id.in_(list(ids))).execution_options(populate_existing=True))
    return {vote.id: _digest(_vote_content(vote, ballots[vote.id])) for vote in votes}


def _attendance_digests(session: Session, ids: Collection[int]) -> dict[int, str]:
    rows = session.scalars(
        select(Attendance).where(Attendance.id.in_(list(ids))).execution_options(populate_existing=True)
    )
    return {row.id: _digest(_attendance_content(row)) for row in rows}


def _decision_digests(session: Session, ids: Collection[int]) -> dict[int, str]:
    rows = session.scalars(select(Decision).where(Decision.id.in_(list(ids))).execution_options(populate_existing=True))
    return {row.id: _digest(_decision_content(row)) for row in rows}


def _recorded_votes(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(Vote.id, Vote.session_id, Vote.subject_id).where(Vote.audit_version.is_not(None))
    ).all()
    # a council vote is recorded in its session's chain, a committee's in its conclusion's
    return {vote_id: ledger for vote_id, plenary, subject in rows if (ledger := plenary or subject) is not None}


def _recorded_attendance(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(Attendance.id, Attendance.session_id).where(Attendance.audit_version.is_not(None))
    ).all()
    return {int(row_id): int(plenary) for row_id, plenary in rows}


def _recorded_decisions(session: Session) -> dict[int, int]:
    rows = session.execute(select(Decision.id, Decision.draft_id).where(Decision.audit_version.is_not(None))).all()
    return {int(row_id): int(draft) for row_id, draft in rows}


#: the kinds of record, for the catalog
SPECS = (
    RecordSpec(VOTE, "a roll-call vote with every ballot", _vote_digests, _recorded_votes),
    RecordSpec(
        ATTENDANCE, "a member's registration at a sitting, or leaving it", _attendance_digests, _recorded_attendance
    ),
    RecordSpec(DECISION, "a decision's official number and date", _decision_digests, _recorded_decisions),
)


def register(catalog: Catalog) -> None:
    for spec in SPECS:
        catalog.record(spec)


# --- writing them --------------------------------------------------------------------------------------------------
def record_vote(
    session: Session,
    vote: Vote,
    ballots: Mapping[int, tuple[str, str]],
    ledger: Document,
    actor: Actor,
    now: datetime,
) -> Vote:
    """Write the vote and its ballots (person -> (name, choice)) under the ledger's chain (the session, or the
    conclusion for a committee's vote). The caller holds the ledger's lock (`lock_document`)."""
    vote.audit_version = ledger.version + 1
    session.add(vote)
    session.flush()
    session.add_all(
        Ballot(vote_id=vote.id, person_id=person, name=name, choice=choice)
        for person, (name, choice) in ballots.items()
    )
    session.flush()
    content = _vote_content(vote, [(person, name, choice) for person, (name, choice) in ballots.items()])
    written = record_entry(session, ledger, actor, record=VOTE, record_id=vote.id, digest=_digest(content), now=now)
    assert written == vote.audit_version, "the ledger moved between its lock and its record"
    return vote


def record_attendance(session: Session, row: Attendance, plenary: Document, actor: Actor, now: datetime) -> None:
    row.audit_version = plenary.version + 1
    session.add(row)
    session.flush()
    written = record_entry(
        session, plenary, actor, record=ATTENDANCE, record_id=row.id, digest=_digest(_attendance_content(row)), now=now
    )
    assert written == row.audit_version, "the session moved between its lock and its record"


def record_decision(session: Session, row: Decision, draft: Document, actor: Actor, now: datetime) -> None:
    row.audit_version = draft.version + 1
    session.add(row)
    session.flush()
    written = record_entry(
        session, draft, actor, record=DECISION, record_id=row.id, digest=_digest(_decision_content(row)), now=now
    )
    assert written == row.audit_version, "the decision moved between its lock and its record"
