"""The console's records under the session's chain: a member's declaration of a conflict of interest, and how a
vote's ballots came in (`workflow.council.sittings.records` keeps the votes, the ballots and the registrations).
Each is written with an audit entry of the session whose data is the row's digest, so `radaflow audit verify`
finds a declaration or a source changed by hand."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.ledger import digest, moment, put_under_chain, row_spec
from workflow.council.sittings.console_models import ConflictDeclaration, VoteSource
from workflow.council.sittings.models import Vote
from workflow.definitions.catalog import Catalog, RecordSpec
from workflow.engine.models import Document
from workflow.people import Actor

CONFLICT, VOTE_SOURCE = "conflict", "vote_source"


def _conflict_content(row: ConflictDeclaration) -> dict[str, Any]:
    return {
        "id": row.id,
        "session_id": row.session_id,
        "subject_id": row.subject_id,
        "person_id": row.person_id,
        "name": row.name,
        "statement": row.statement,
        "declared_at": moment(row.declared_at),
        "recorded_by_id": row.recorded_by_id,
        "audit_version": row.audit_version,
    }


def _source_content(row: VoteSource) -> dict[str, Any]:
    return {
        "vote_id": row.vote_id,
        "method": row.method,
        "file_name": row.file_name,
        "file_format": row.file_format,
        "file_sha256": row.file_sha256,
        "file_question": row.file_question,
        "open_vote_id": row.open_vote_id,
        "audit_version": row.audit_version,
    }


def _source_digests(session: Session, ids: Collection[int]) -> dict[int, str]:
    rows = session.scalars(
        select(VoteSource).where(VoteSource.vote_id.in_(list(ids))).execution_options(populate_existing=True)
    )
    return {row.vote_id: digest(_source_content(row)) for row in rows}


def _recorded_sources(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(VoteSource.vote_id, Vote.session_id)
        .join(Vote, Vote.id == VoteSource.vote_id)
        .where(VoteSource.audit_version.is_not(None), Vote.session_id.is_not(None))
    ).all()
    return {int(vote_id): int(plenary) for vote_id, plenary in rows if plenary is not None}


SPECS = (
    row_spec(
        CONFLICT,
        "a member's declaration of a conflict of interest on a question of the sitting",
        key=ConflictDeclaration.id,
        ledger=ConflictDeclaration.session_id,
        content=_conflict_content,
    ),
    RecordSpec(
        VOTE_SOURCE,
        "how a vote's ballots came in: ticked, imported from the hall's file, or cast from the cabinets",
        _source_digests,
        _recorded_sources,
    ),
)


def register(catalog: Catalog) -> None:
    for spec in SPECS:
        catalog.record(spec)


def record_conflict(session: Session, row: ConflictDeclaration, plenary: Document, actor: Actor, now: datetime) -> None:
    """Write the declaration under the session's chain; the caller holds the session's lock."""
    put_under_chain(session, row, plenary, actor, record=CONFLICT, content=_conflict_content, now=now)


def record_source(session: Session, row: VoteSource, plenary: Document, actor: Actor, now: datetime) -> None:
    """Write how the vote was taken under the session's chain, right after the vote itself."""
    put_under_chain(
        session, row, plenary, actor, record=VOTE_SOURCE, content=_source_content, now=now, key=lambda row: row.vote_id
    )
