"""The statements that lock a document and write its change, its audit entry and its outbox rows.

`fire` is the hottest path of the system, so these few statements go straight to the driver on the session's
own connection and transaction (SQLAlchemy's execution layer costs more than the statements themselves on a
local database: see bench/engine.py). On PostgreSQL the three writes travel as one statement (data-modifying
CTEs), so a move costs the row lock, one statement and the commit; elsewhere they are three statements guarded
by the version counter. Everything else in Radaflow goes through the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from workflow.timeutil import as_utc


@dataclass(frozen=True, slots=True)
class Change:
    document_id: int
    old_version: int
    new_version: int
    from_state: str
    to_state: str
    at: datetime
    #: `at` in the canonical text form (naive UTC, ISO), formatted once for the hash and for SQLite
    at_text: str
    entered_at: datetime
    due_at: datetime | None
    actor_id: int | None
    trigger: str
    comment: str | None
    #: the audit entry's data as the canonical JSON text its hash covers (stored as it is)
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
    """The DB-API connection under the session's current transaction, taken once per move."""

    __slots__ = ("driver", "postgresql")

    def __init__(self, session: Session) -> None:
        connection = session.connection()
        self.driver: Any = connection.connection.driver_connection
        self.postgresql = connection.dialect.name == "postgresql"

    @property
    def row_locks(self) -> bool:
        """PostgreSQL locks rows (SELECT ... FOR UPDATE); SQLite locks the whole file when a transaction begins."""
        return self.postgresql

    def lock_version(self, document_id: int) -> int | None:
        """Lock the document's row until the transaction ends; its current version (None if it is gone)."""
        row = self.driver.execute(_POSTGRESQL_LOCK, {"id": document_id}).fetchone()
        return None if row is None else int(row[0])

    def record(self, change: Change) -> None:
        """Write the change; raise StaleDocument when the document is no longer at `change.old_version`."""
        if self.postgresql:
            _record_postgresql(self.driver, change)
            return
        # SQLite took its write lock when the transaction began (BEGIN IMMEDIATE): nobody else writes meanwhile,
        # and a change made before that is caught by the version check
        _record_sqlite(self.driver, change)


def row_locks(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


_POSTGRESQL_LOCK = "SELECT version FROM documents WHERE id = %(id)s FOR UPDATE"


def _record_postgresql(driver: Any, change: Change) -> None:
    params = _params(change)
    for index, (name, params_json, key) in enumerate(change.effects):
        params[f"effect_{index}"] = name
        params[f"params_{index}"] = params_json
        params[f"key_{index}"] = key
    edit = change.title is not None or change.fields is not None
    if edit:
        params["title"] = change.title
        params["fields"] = json.dumps(change.fields, ensure_ascii=False)
    cursor = driver.execute(_postgresql_statement(len(change.effects), edit), params)
    if cursor.rowcount != max(1, len(change.effects)):
        raise StaleDocument(f"document {change.document_id} is not at version {change.old_version}")


def _record_sqlite(driver: Any, change: Change) -> None:
    at = change.at_text.replace("T", " ")  # the form SQLAlchemy's DateTime reads back on SQLite
    entered_at = at if change.entered_at is change.at else _sqlite_time(change.entered_at)
    moved = (change.to_state, change.new_version, change.hash, at, entered_at, _sqlite_time(change.due_at))
    where = (change.document_id, change.old_version)
    cursor = driver.cursor()
    if change.title is not None or change.fields is not None:
        edited = (change.title, json.dumps(change.fields, ensure_ascii=False))
        cursor.execute(_SQLITE_EDIT, moved + edited + where)
    else:
        cursor.execute(_SQLITE_UPDATE, moved + where)
    if cursor.rowcount != 1:
        raise StaleDocument(f"document {change.document_id} is not at version {change.old_version}")
    cursor.execute(
        _SQLITE_AUDIT,
        (change.document_id, change.new_version, at, change.actor_id, change.trigger, change.from_state,
         change.to_state, change.comment, change.data_json, change.prev_hash, change.hash),
    )
    for name, params_json, key in change.effects:
        cursor.execute(_SQLITE_OUTBOX, (change.document_id, change.new_version, name, params_json, key, at, at))


def _params(change: Change) -> dict[str, Any]:
    return {
        "document_id": change.document_id, "old_version": change.old_version, "new_version": change.new_version,
        "from_state": change.from_state, "to_state": change.to_state, "at": change.at,
        "entered_at": change.entered_at, "due_at": change.due_at, "actor_id": change.actor_id,
        "trigger": change.trigger, "comment": change.comment, "data": change.data_json,
        "prev_hash": change.prev_hash, "hash": change.hash,
    }


def _sqlite_time(moment: datetime | None) -> str | None:
    """The text form SQLAlchemy's DateTime uses on SQLite (naive UTC), so the ORM reads these back."""
    if moment is None:
        return None
    return as_utc(moment).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


_SQLITE_SET = "state = ?, version = ?, audit_hash = ?, updated_at = ?, state_entered_at = ?, due_at = ?"
_SQLITE_UPDATE = f"UPDATE documents SET {_SQLITE_SET} WHERE id = ? AND version = ?"
_SQLITE_EDIT = f"UPDATE documents SET {_SQLITE_SET}, title = ?, fields = ? WHERE id = ? AND version = ?"
_SQLITE_AUDIT = """
    INSERT INTO audit_entries
           (document_id, version, at, actor_id, trigger, from_state, to_state, comment, data, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_SQLITE_OUTBOX = """
    INSERT INTO outbox
           (document_id, audit_version, effect, params, idempotency_key, status, attempts, available_at, created_at)
    VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)
"""


@cache
def _postgresql_statement(effect_count: int, edit: bool) -> str:
    """Update, audit entry and outbox rows in one statement: one round trip instead of three."""
    edit_set = ", title = %(title)s, fields = %(fields)s::jsonb" if edit else ""
    moved_and_audited = f"""
        WITH moved AS (
            UPDATE documents
               SET state = %(to_state)s, version = %(new_version)s, audit_hash = %(hash)s, updated_at = %(at)s,
                   state_entered_at = %(entered_at)s, due_at = %(due_at)s::timestamptz{edit_set}
             WHERE id = %(document_id)s AND version = %(old_version)s
         RETURNING id
        ), audited AS (
            INSERT INTO audit_entries
                   (document_id, version, at, actor_id, trigger, from_state, to_state, comment, data,
                    prev_hash, hash)
            SELECT id, %(new_version)s, %(at)s, %(actor_id)s::integer, %(trigger)s, %(from_state)s, %(to_state)s,
                   %(comment)s::text, %(data)s::jsonb, %(prev_hash)s, %(hash)s
              FROM moved
         RETURNING document_id
        )
    """
    if effect_count == 0:
        return moved_and_audited + "SELECT document_id FROM audited"
    rows = ", ".join(f"(%(effect_{i})s, %(params_{i})s, %(key_{i})s, {i})" for i in range(effect_count))
    return (
        moved_and_audited
        + f"""
        INSERT INTO outbox
               (document_id, audit_version, effect, params, idempotency_key, status, attempts, available_at,
                created_at)
        SELECT audited.document_id, %(new_version)s, e.effect, e.params::jsonb, e.key, 'pending', 0, %(at)s, %(at)s
          FROM audited, (VALUES {rows}) AS e(effect, params, key, position)
         ORDER BY e.position
        """
    )
