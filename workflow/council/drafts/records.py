"""A change of a draft's particulars under the draft's chain: the version a save that changed the initiator, the
committees proposed or the majority makes is written with an audit entry `record` of the draft whose data is the
version's digest, as the plenary records are (`workflow.council.sittings.records`). A change of the text is under
the chain already, by the `edit` entry that makes it; `radaflow audit verify` now names a version's particulars
changed by hand too."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.drafts.models import DraftVersion
from workflow.definitions.catalog import Catalog, RecordSpec
from workflow.engine import record_entry
from workflow.engine.audit import canonical_json
from workflow.engine.models import Document
from workflow.people import Actor
from workflow.timeutil import canonical

DRAFT_VERSION = "draft_version"


def _content(row: DraftVersion) -> dict[str, Any]:
    return {
        "id": row.id,
        "document_id": row.document_id,
        "number": row.number,
        "title": row.title,
        "body": row.body,
        "initiator": row.initiator,
        "majority": row.majority,
        "lead_committee_id": row.lead_committee_id,
        "advisory_committee_ids": [int(i) for i in row.advisory_committee_ids or ()],
        "audit_version": row.audit_version,
        "amendment_id": row.amendment_id,
        "created_at": canonical(row.created_at),
        "created_by_id": row.created_by_id,
        "record_version": row.record_version,
    }


def _digest(row: DraftVersion) -> str:
    return hashlib.sha256(canonical_json(_content(row)).encode("utf-8")).hexdigest()


def _digests(session: Session, ids: Collection[int]) -> dict[int, str]:
    rows = session.scalars(
        select(DraftVersion).where(DraftVersion.id.in_(list(ids))).execution_options(populate_existing=True)
    )
    return {row.id: _digest(row) for row in rows}


def _recorded(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(DraftVersion.id, DraftVersion.document_id).where(DraftVersion.record_version.is_not(None))
    ).all()
    return {int(row_id): int(draft) for row_id, draft in rows}


def register(catalog: Catalog) -> None:
    catalog.record(
        RecordSpec(
            DRAFT_VERSION,
            "a draft's version whose particulars (initiator, committees, majority) changed",
            _digests,
            _recorded,
        )
    )


def record_version(session: Session, row: DraftVersion, draft: Document, actor: Actor, now: datetime) -> None:
    """Add the version and write it under the draft's chain, in the caller's transaction."""
    row.record_version = draft.version + 1
    session.add(row)
    session.flush()
    written = record_entry(session, draft, actor, record=DRAFT_VERSION, record_id=row.id, digest=_digest(row), now=now)
    assert written == row.record_version, "the draft moved between its version and its record"
