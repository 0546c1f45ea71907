"""The council's legally decisive records under the hash chain: votes with their ballots, registrations at a
sitting, and decisions' numbers.

Each row is written under the chain of the document it belongs to (`workflow.council.ledger`) — a council vote
and a registration in the session's, a committee's vote in its conclusion's, a number in its decision's — so a
vote's counts, a ballot, a member's name as voted or registered, or a number changed by hand is found and named
by its document. The tables also refuse UPDATE and DELETE (migration 0004), as the audit log does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.ledger import digest, moment, put_under_chain, row_spec
from workflow.council.sittings.models import Attendance, Ballot, Decision, Vote
from workflow.definitions.catalog import Catalog, RecordSpec
from workflow.engine.models import Document
from workflow.people import Actor

VOTE, ATTENDANCE, DECISION = "vote", "attendance", "decision"


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
        "held_at": moment(vote.held_at),
        "publish_by": moment(vote.publish_by),
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
        "registered_at": moment(row.registered_at),
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
        "numbered_at": moment(row.numbered_at),
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
    return {vote.id: digest(_vote_content(vote, ballots[vote.id])) for vote in votes}


def _recorded_votes(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(Vote.id, Vote.session_id, Vote.subject_id).where(Vote.audit_version.is_not(None))
    ).all()
    # a council vote is recorded in its session's chain, a committee's in its conclusion's
    return {vote_id: ledger for vote_id, plenary, subject in rows if (ledger := plenary or subject) is not None}


#: the kinds of record, for the catalog
SPECS = (
    RecordSpec(VOTE, "a roll-call vote with every ballot", _vote_digests, _recorded_votes),
    row_spec(
        ATTENDANCE,
        "a member's registration at a sitting, or leaving it",
        key=Attendance.id,
        ledger=Attendance.session_id,
        content=_attendance_content,
    ),
    row_spec(
        DECISION,
        "a decision's official number and date",
        key=Decision.id,
        ledger=Decision.draft_id,
        content=_decision_content,
    ),
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

    def ballot_rows(written: Vote) -> list[Ballot]:
        return [
            Ballot(vote_id=written.id, person_id=person, name=name, choice=choice)
            for person, (name, choice) in ballots.items()
        ]

    listed: list[tuple[int, str | None, str]] = [(person, name, choice) for person, (name, choice) in ballots.items()]
    return put_under_chain(
        session,
        vote,
        ledger,
        actor,
        record=VOTE,
        content=lambda written: _vote_content(written, listed),
        parts=ballot_rows,
        now=now,
    )


def record_attendance(session: Session, row: Attendance, plenary: Document, actor: Actor, now: datetime) -> None:
    put_under_chain(session, row, plenary, actor, record=ATTENDANCE, content=_attendance_content, now=now)


def record_decision(session: Session, row: Decision, draft: Document, actor: Actor, now: datetime) -> None:
    put_under_chain(session, row, draft, actor, record=DECISION, content=_decision_content, now=now)
