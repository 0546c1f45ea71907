"""The statements that lock a document and write its change, its audit entry and its outbox rows.

`fire` is the hottest path of the system, so these few statements are SQLAlchemy Core, built once from the
models' tables and run on the session's own connection and transaction: the columns and their types (JSON,
timestamps) are the models', errors are SQLAlchemy's, and SQLAlchemy's cache compiles each statement once. On
PostgreSQL the three writes travel as one statement (data-modifying CTEs), so a move costs the row lock, one
statement and the commit. On SQLite too a move is one statement: a row inserted into the view `document_moves`
(migrations 0006, 0007, 0015), whose INSTEAD OF trigger refuses unless the document is still at the version the
change started from, then updates it, appends the audit entry and inserts the outbox rows: one effect as plain
values, several from a JSON array, in order. The JSON texts (the audit data the hash covers, the effects'
parameters) are stored there as they are instead of parsed and serialised again, and the row carries nothing the
trigger can tell from the rest (the version before, the moment a move's state was entered).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Executable,
    Table,
    bindparam,
    insert,
    literal,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow.engine.models import DOCUMENT_MOVES, AuditEntry, Document, OutboxRow
from workflow.timeutil import as_utc


class Change(NamedTuple):
    """One move or edit, as the writer writes it (a named tuple: the cheapest immutable record to build)."""

    document_id: int
    old_version: int
    new_version: int
    from_state: str
    to_state: str
    at: datetime
    entered_at: datetime
    due_at: datetime | None
    actor_id: int | None
    trigger: str
    comment: str | None
    #: the audit entry's data as the canonical JSON text its hash covers
    data_json: str
    prev_hash: str
    hash: str
    #: (effect name, params as JSON text, idempotency key), in the definition's order
    effects: tuple[tuple[str, str, str], ...]
    #: set only by edits
    title: str | None = None
    fields: Mapping[str, Any] | None = None


class StaleDocument(Exception):
    """The document is not at the version the change started from."""


class Writer:
    """The session's connection under its current transaction, taken once per move."""

    __slots__ = ("connection", "postgresql")

    def __init__(self, session: Session) -> None:
        self.connection: Connection = session.connection()
        self.postgresql = self.connection.dialect.name == "postgresql"

    @property
    def row_locks(self) -> bool:
        """PostgreSQL locks rows (SELECT ... FOR UPDATE); SQLite locks the whole file for one writer at a time."""
        return self.postgresql

    def lock_version(self, document_id: int) -> int | None:
        """Lock the document's row until the transaction ends; its current version (None if it is gone)."""
        version = self.connection.execute(_LOCK, {"document_id": document_id}).scalar()
        return None if version is None else int(version)

    def record(self, change: Change) -> None:
        """Write the change; raise StaleDocument when the document is no longer at `change.old_version`."""
        edit = change.title is not None or change.fields is not None
        if self.postgresql:
            params = _params(change, edit)
            for index, (name, params_json, key) in enumerate(change.effects):
                params[f"effect_{index}"] = name
                params[f"params_{index}"] = _loads(params_json)
                params[f"key_{index}"] = key
            result = self.connection.execute(_one_statement(len(change.effects), edit), params)
            # the outbox rows inserted, or (no effects) the audit entry's row selected
            written = result.rowcount if change.effects else len(result.all())
            if written != max(1, len(change.effects)):
                raise StaleDocument(_stale(change))
            return
        # One statement into the view of document moves (migrations 0006, 0007, 0015), whose trigger refuses unless the
        # document is still at the version before, `new_version - 1` (a change committed since it was loaded), then
        # writes the document, the audit entry and the outbox rows. A writer that began deferred and finds another
        # committed since its snapshot gets SQLite's "database is locked". A move enters its state at its moment;
        # only an edit, which keeps the moment the state was entered, passes `entered_at`.
        moved = {
            "document_id": change.document_id,
            "new_version": change.new_version,
            "from_state": change.from_state,
            "to_state": change.to_state,
            "at": change.at,
            # SQLite keeps moments as naive UTC text: SQLAlchemy's DateTime writes the fields as given
            "due_at": None if change.due_at is None else as_utc(change.due_at),
            "actor_id": change.actor_id,
            "trigger": change.trigger,
            "comment": change.comment,
            "data": change.data_json,
            "prev_hash": change.prev_hash,
            "hash": change.hash,
        }
        if change.entered_at != change.at:
            moved["entered_at"] = as_utc(change.entered_at)
        # one effect (most moves) as the row's own columns, several as a JSON array (migration 0007)
        if len(change.effects) == 1:
            moved["effect"], moved["params"], moved["effect_key"] = change.effects[0]
        elif change.effects:
            moved["effects"] = [list(effect) for effect in change.effects]
        if edit:
            moved["title"] = change.title
            moved["fields"] = dict(change.fields or {})
        try:
            self.connection.execute(_SQLITE_MOVE, moved)
        except IntegrityError as error:
            if _SQLITE_STALE in str(error.orig):
                raise StaleDocument(_stale(change)) from None
            raise


def row_locks(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# --- the statements, built once from the models' tables --------------------------------------------------------
_documents: Table = Document.__table__  # type: ignore[assignment]
_audit: Table = AuditEntry.__table__  # type: ignore[assignment]
_outbox: Table = OutboxRow.__table__  # type: ignore[assignment]


def _param(name: str, table: Table, column: str) -> Any:
    """A bound parameter typed as the model's column, so SQLAlchemy converts the value as the ORM would."""
    return bindparam(name, type_=table.c[column].type)


#: the change's values, by parameter name, and the documents' column each one sets
_MOVED = {
    "state": _param("to_state", _documents, "state"),
    "version": _param("new_version", _documents, "version"),
    "audit_hash": _param("hash", _documents, "audit_hash"),
    "updated_at": _param("at", _documents, "updated_at"),
    "state_entered_at": _param("entered_at", _documents, "state_entered_at"),
    "due_at": _param("due_at", _documents, "due_at"),
}
_EDITED = {"title": _param("new_title", _documents, "title"), "fields": _param("new_fields", _documents, "fields")}
#: the audit entry's columns and the parameter that fills each
_AUDITED = {
    "document_id": "document_id",
    "version": "new_version",
    "at": "at",
    "actor_id": "actor_id",
    "trigger": "trigger",
    "from_state": "from_state",
    "to_state": "to_state",
    "comment": "comment",
    "data": "data",
    "prev_hash": "prev_hash",
    "hash": "hash",
}


def _where_at_version(statement: Any) -> Any:
    return statement.where(
        _documents.c.id == bindparam("document_id"), _documents.c.version == bindparam("old_version")
    )


_LOCK = select(_documents.c.version).where(_documents.c.id == bindparam("document_id")).with_for_update()
#: a whole change on SQLite: one row into the view whose trigger writes it (migrations 0006, 0007, 0015)
_SQLITE_MOVE = insert(DOCUMENT_MOVES)
#: the trigger's refusal when the document is not at the change's old version (as migration 0006 words it)
_SQLITE_STALE = "radaflow: the document is not at the version the change started from"


@cache
def _one_statement(effect_count: int, edit: bool) -> Executable:
    """PostgreSQL: update, audit entry and outbox rows in one statement, each step only if the one before wrote
    (a document no longer at the version writes nothing at all)."""
    moved = (
        _where_at_version(update(_documents))
        .values({**_MOVED, **_EDITED} if edit else _MOVED)
        .returning(_documents.c.id)
        .cte("moved")
    )
    audit_values = [
        moved.c.id if column == "document_id" else _param(name, _audit, column) for column, name in _AUDITED.items()
    ]
    audited = (
        insert(_audit).from_select(list(_AUDITED), select(*audit_values)).returning(_audit.c.document_id).cte("audited")
    )
    if effect_count == 0:
        return select(audited.c.document_id)
    effects = union_all(
        *(
            select(
                _param(f"effect_{i}", _outbox, "effect").label("effect"),
                _param(f"params_{i}", _outbox, "params").label("params"),
                _param(f"key_{i}", _outbox, "idempotency_key").label("key"),
                literal(i).label("position"),
            )
            for i in range(effect_count)
        )
    ).subquery("e")
    columns = [
        "document_id",
        "audit_version",
        "effect",
        "params",
        "idempotency_key",
        "status",
        "attempts",
        "available_at",
        "created_at",
    ]
    at = _param("at", _outbox, "available_at")
    rows = (
        select(
            audited.c.document_id,
            _param("new_version", _outbox, "audit_version"),
            effects.c.effect,
            effects.c.params,
            effects.c.key,
            literal("pending"),
            literal(0),
            at,
            at,
        )
        .select_from(audited)
        .join(effects, true())
        .order_by(effects.c.position)
    )
    # an INSERT's row count is kept only when asked for
    return insert(_outbox).from_select(columns, rows).execution_options(preserve_rowcount=True)


def _params(change: Change, edit: bool) -> dict[str, Any]:
    params: dict[str, Any] = {
        "document_id": change.document_id,
        "old_version": change.old_version,
        "new_version": change.new_version,
        "from_state": change.from_state,
        "to_state": change.to_state,
        "at": change.at,
        "entered_at": as_utc(change.entered_at),
        "due_at": None if change.due_at is None else as_utc(change.due_at),
        "actor_id": change.actor_id,
        "trigger": change.trigger,
        "comment": change.comment,
        "data": _loads(change.data_json),
        "prev_hash": change.prev_hash,
        "hash": change.hash,
    }
    if edit:
        params["new_title"] = change.title
        params["new_fields"] = dict(change.fields or {})
    return params


def _loads(text: str) -> Any:
    return {} if text == "{}" else json.loads(text)


def _stale(change: Change) -> str:
    return f"document {change.document_id} is not at version {change.old_version}"
