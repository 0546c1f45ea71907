"""Rows of the council's record kept under a document's hash chain: how each is written, and how it is checked.

A legally decisive row — a vote with its ballots, a registration, a number, an order of the agenda, a declaration,
a hidden comment — is written with an audit entry of its own in the chain of the document it belongs to (its
ledger: the session, the meeting, the draft), whose data is the digest of the row's content:
`{"record": "vote", "id": 12, "digest": "..."}`. `radaflow audit verify` recomputes the digests from the rows as they
stand (each feature registers a `RecordSpec` saying how), so a row changed by hand is found and named by its
document. The tables refuse UPDATE and DELETE as the audit log does (migrations 0004, 0012, 0013, 0014).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime
from operator import attrgetter
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from workflow.definitions.catalog import RecordSpec
from workflow.engine import record_entry
from workflow.engine.audit import canonical_json
from workflow.engine.models import Document
from workflow.people import Actor
from workflow.timeutil import canonical


class Chained(Protocol):
    """A row kept under a chain: it knows the version of its ledger's entry that records it."""

    audit_version: Any


Row = TypeVar("Row", bound=Chained)


def digest(content: Mapping[str, Any]) -> str:
    """The digest of a row's content, in the one canonical JSON form the audit log hashes."""
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def moment(value: datetime | None) -> str | None:
    """A moment as the digests hold it (the audit log's canonical text)."""
    return None if value is None else canonical(value)


def put_under_chain(
    session: Session,
    row: Row,
    ledger: Document,
    actor: Actor,
    *,
    record: str,
    content: Callable[[Row], Mapping[str, Any]],
    now: datetime,
    key: Callable[[Row], int] = attrgetter("id"),
    parts: Callable[[Row], Iterable[object]] | None = None,
) -> Row:
    """Write the row (new, or changed as its record allows) as the ledger's next version, and its digest into the
    ledger's chain. The caller holds the ledger's lock (`lock_document`), so nothing moves it in between. `key`
    names the row in the entry (its id, read once the row is written); `parts` makes the rows that belong to it
    and that its content covers (a vote's ballots), once it is written."""
    row.audit_version = ledger.version + 1
    session.add(row)
    session.flush()
    if parts is not None:
        session.add_all(parts(row))
        session.flush()
    written = record_entry(
        session,
        ledger,
        actor,
        record=record,
        record_id=key(row),
        digest=digest(content(row)),
        now=now,
    )
    if written != row.audit_version:
        raise RuntimeError(f"document {ledger.id} moved between its lock and the record of its {record}")
    return row


def row_spec(
    name: str,
    description: str,
    *,
    key: InstrumentedAttribute[int],
    ledger: InstrumentedAttribute[int] | InstrumentedAttribute[int | None],
    content: Callable[[Any], Mapping[str, Any]],
) -> RecordSpec:
    """The record kind of a table whose rows each stand alone: `key` names a row in its entry, `ledger` is the
    column holding the document whose chain records it, `content` what the digest covers."""
    model = key.class_

    def digests(session: Session, ids: Collection[int]) -> dict[int, str]:
        rows = session.scalars(select(model).where(key.in_(list(ids))).execution_options(populate_existing=True))
        return {getattr(row, key.key): digest(content(row)) for row in rows}

    def recorded(session: Session) -> dict[int, int]:
        rows = session.execute(select(key, ledger).where(model.audit_version.is_not(None))).all()
        return {int(row_key): int(document) for row_key, document in rows if document is not None}

    return RecordSpec(name, description, digests, recorded)
