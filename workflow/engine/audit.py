"""The audit log's hash chain: computing entries' hashes, verifying the whole log, replaying a document.

Each document has its own chain: entry N's hash covers its content and entry N-1's hash, and the document row
keeps the newest hash, so an edited, inserted or deleted entry (the newest included) breaks the chain.
Per-document chains need no global lock: the document's own lock already orders its entries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.db import REGISTRY_KEY
from workflow.definitions.catalog import RecordSpec
from workflow.definitions.compiled import CompiledDefinition
from workflow.engine.models import AuditEntry, Document
from workflow.timeutil import canonical

GENESIS = "0" * 64

#: audit triggers the engine itself writes, besides the definitions' own; RECORD puts a legally decisive record
#: (a vote with its ballots, a registration, a decision's number) under the document's chain, by its digest
CREATE, EDIT, MIGRATE, RECORD = "create", "edit", "migrate", "record"


def canonical_json(value: Mapping[str, Any] | None) -> str:
    """The one text form of an entry's data that its hash covers, and that every database gives back as is.

    Strict JSON (no NaN or Infinity, which PostgreSQL's JSONB refuses and SQLite would keep), and whole-valued
    floats written as the integers they equal, because JSONB keeps numbers as exact decimals: 1e+16 comes back
    as 10000000000000000 and -0.0 as 0.
    """
    if not value:
        return "{}"
    return json.dumps(
        _whole_floats_as_ints(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def content_digest(title: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 of a document's title and fields: creations and edits put it in their audit entry's data, so
    the chain covers the text too, and a text changed outside the engine is found."""
    return hashlib.sha256(canonical_json({"title": title, "fields": dict(fields)}).encode("utf-8")).hexdigest()


def _whole_floats_as_ints(value: Any) -> Any:
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, Mapping):
        return {key: _whole_floats_as_ints(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_whole_floats_as_ints(item) for item in value]
    return value


def entry_hash(
    *,
    document_id: int,
    version: int,
    at: datetime,
    actor_id: int | None,
    trigger: str,
    from_state: str | None,
    to_state: str,
    comment: str | None,
    data_json: str,
    prev_hash: str,
    at_text: str | None = None,
) -> str:
    """SHA-256 over the entry's content in one fixed text form, chained to the previous entry's hash.

    `at_text` is `canonical(at)` when the caller has it already (the engine formats each moment once).
    """
    payload = "\x1f".join(
        (
            str(document_id),
            str(version),
            canonical(at) if at_text is None else at_text,
            "" if actor_id is None else str(actor_id),
            trigger,
            from_state or "",
            to_state,
            comment or "",
            data_json,
            prev_hash,
        )
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    return entry_hash(
        document_id=entry.document_id,
        version=entry.version,
        at=entry.at,
        actor_id=entry.actor_id,
        trigger=entry.trigger,
        from_state=entry.from_state,
        to_state=entry.to_state,
        comment=entry.comment,
        data_json=canonical_json(entry.data),
        prev_hash=entry.prev_hash,
    )


@dataclass(frozen=True, slots=True)
class Break:
    """The first place where the log does not hold together, in words."""

    document_id: int
    entry_id: int | None
    version: int | None
    message: str

    def __str__(self) -> str:
        if self.entry_id is None:
            return f"the audit log of document {self.document_id}: {self.message}"
        return f"audit entry #{self.entry_id} (document {self.document_id}, version {self.version}): {self.message}"


def verify_document(document: Document, entries: Iterable[AuditEntry]) -> Break | None:
    """Check one document's chain, oldest entry first; None when it holds."""
    prev_hash, expected_version, last, content = GENESIS, 1, None, None
    for entry in entries:
        if entry.version != expected_version:
            return Break(
                document.id,
                entry.id,
                entry.version,
                f"version {expected_version} is missing from the log (entry deleted?)",
            )
        if entry.prev_hash != prev_hash:
            return Break(
                document.id,
                entry.id,
                entry.version,
                "its link to the previous entry is broken (an entry before it was changed or removed)",
            )
        if hash_of(entry) != entry.hash:
            return Break(
                document.id, entry.id, entry.version, "its content does not match its hash (the entry was edited)"
            )
        prev_hash, expected_version, last = entry.hash, expected_version + 1, entry
        content = entry.data.get("content", content)
    if last is None:
        return Break(document.id, None, None, "the document has no audit entries at all")
    if document.audit_hash != last.hash or document.version != last.version:
        return Break(
            document.id,
            last.id,
            last.version,
            f"the document is at version {document.version} but its log ends at version "
            f"{last.version} (newer entries deleted, or the document changed outside the engine)",
        )
    if content is not None and content != content_digest(document.title, document.fields):
        return Break(
            document.id,
            last.id,
            last.version,
            "the document's title or fields are not what its log last recorded (changed outside the engine)",
        )
    if document.state != last.to_state:
        return Break(
            document.id,
            last.id,
            last.version,
            f"the document is in state {document.state!r} but its log ends in {last.to_state!r}",
        )
    return None


def verify_log(session: Session, batch: int = 1000) -> tuple[int, int, Break | None]:
    """Verify every document's chain, and the records its entries put under it (votes, registrations, numbers:
    the kinds the catalog knows); returns (documents, entries checked, first break or None)."""
    registry = session.info.get(REGISTRY_KEY)
    records: Mapping[str, RecordSpec] = {} if registry is None else registry.catalog.records
    claimed: dict[str, dict[int, int]] = {name: {} for name in records}
    documents = entries_seen = 0
    for chunk in _batches(_documents_with_entries(session, batch), batch):
        digests = _current_digests(session, records, chunk)
        for document, entries in chunk:
            documents += 1
            entries_seen += len(entries)
            problem = verify_document(document, entries) or _verify_records(document, entries, digests, claimed)
            if problem is not None:
                return documents, entries_seen, problem
    for name, spec in records.items():
        for record_id, document_id in sorted(spec.recorded(session).items()):
            if claimed[name].get(record_id) != document_id:
                return (
                    documents,
                    entries_seen,
                    Break(
                        document_id,
                        None,
                        None,
                        f"{name} #{record_id} is recorded in none of its audit entries (written outside the engine)",
                    ),
                )
    return documents, entries_seen, None


def _batches(
    items: Iterator[tuple[Document, list[AuditEntry]]], size: int
) -> Iterator[list[tuple[Document, list[AuditEntry]]]]:
    chunk: list[tuple[Document, list[AuditEntry]]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _current_digests(
    session: Session, records: Mapping[str, RecordSpec], chunk: list[tuple[Document, list[AuditEntry]]]
) -> dict[str, Mapping[int, str]]:
    """The digests of the records these documents' entries name, recomputed from the rows as they stand."""
    wanted: dict[str, set[int]] = {name: set() for name in records}
    for _document, entries in chunk:
        for entry in entries:
            if entry.trigger == RECORD and entry.data.get("record") in wanted:
                wanted[entry.data["record"]].add(int(entry.data["id"]))
    return {name: records[name].digests(session, ids) if ids else {} for name, ids in wanted.items()}


def _verify_records(
    document: Document,
    entries: Iterable[AuditEntry],
    digests: Mapping[str, Mapping[int, str]],
    claimed: dict[str, dict[int, int]],
) -> Break | None:
    for entry in entries:
        if entry.trigger != RECORD:
            continue
        name, record_id = entry.data.get("record"), entry.data.get("id")
        if not isinstance(name, str) or name not in digests or not isinstance(record_id, int):
            return Break(document.id, entry.id, entry.version, f"it records an unknown kind of record {name!r}")
        claimed[name][record_id] = document.id
        digest = digests[name].get(record_id)
        if digest is None:
            return Break(
                document.id,
                entry.id,
                entry.version,
                f"the {name} #{record_id} it records is gone (deleted outside the engine)",
            )
        if digest != entry.data.get("digest"):
            return Break(
                document.id,
                entry.id,
                entry.version,
                f"the {name} #{record_id} it records is not what it recorded (changed outside the engine)",
            )
    return None


def _documents_with_entries(session: Session, batch: int) -> Iterator[tuple[Document, list[AuditEntry]]]:
    """Documents in id order with their entries, a batch of documents at a time (memory stays flat)."""
    last_id = 0
    while True:
        # populate_existing: check what the database holds, not copies the session loaded before
        docs = session.scalars(
            select(Document)
            .where(Document.id > last_id)
            .order_by(Document.id)
            .limit(batch)
            .execution_options(populate_existing=True)
        ).all()
        if not docs:
            return
        ids = [d.id for d in docs]
        by_doc: dict[int, list[AuditEntry]] = {i: [] for i in ids}
        for entry in session.scalars(
            select(AuditEntry)
            .where(AuditEntry.document_id.in_(ids))
            .order_by(AuditEntry.document_id, AuditEntry.version)
            .execution_options(populate_existing=True)
        ):
            by_doc[entry.document_id].append(entry)
        for doc in docs:
            yield doc, by_doc[doc.id]
        last_id = ids[-1]
        # let go of this batch (memory stays flat), but not of what the caller had loaded before
        for doc in docs:
            for entry in by_doc[doc.id]:
                session.expunge(entry)


class ReplayError(Exception):
    pass


def replay(definitions: Mapping[int, CompiledDefinition], entries: Iterable[AuditEntry]) -> str:
    """The state a document's log leads to, re-running each trigger through the machine of its version.

    `definitions` maps a definition version to its compiled machine (migrations switch versions midway).
    """
    state: str | None = None
    version: int | None = None
    for entry in entries:
        if (entry.trigger == CREATE) != (state is None):
            raise ReplayError(
                f"entry {entry.version}: {entry.trigger!r} "
                + ("before the document was created" if state is None else "of a document that exists")
            )
        if entry.from_state != state:
            raise ReplayError(f"entry {entry.version}: it starts from {entry.from_state!r}, replay is in {state!r}")
        if entry.trigger == CREATE:
            version = int(entry.data["definition_version"])
            state = _definition(definitions, version, entry).initial
        elif entry.trigger == MIGRATE:
            version = int(entry.data["to_version"])
            state = entry.to_state
            _definition(definitions, version, entry).state(state)
        elif entry.trigger not in (EDIT, RECORD):
            assert version is not None
            move = _definition(definitions, version, entry).move(state, entry.trigger)  # type: ignore[arg-type]
            if move is None:
                raise ReplayError(f"entry {entry.version}: {entry.trigger!r} is not possible from {state!r}")
            state = move.dest
        if state != entry.to_state:
            raise ReplayError(f"entry {entry.version}: replay reached {state!r}, the log says {entry.to_state!r}")
    if state is None:
        raise ReplayError("the log is empty")
    return state


def _definition(definitions: Mapping[int, CompiledDefinition], version: int, entry: AuditEntry) -> CompiledDefinition:
    try:
        return definitions[version]
    except KeyError:
        raise ReplayError(f"entry {entry.version}: definition version {version} was not given") from None
