"""The statements that write a document change, its audit entry and its outbox rows.

Written with SQLAlchemy Core, prepared once, because `fire` is the hottest path of the system: on PostgreSQL
the three writes travel as one statement (data-modifying CTEs), so a move costs the lock, one statement and
the commit; elsewhere they are three statements guarded by the version counter.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, TextClause, bindparam, insert, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable
from sqlalchemy.sql.dml import Insert, Update

from workflow.engine.models import AuditEntry, Document, OutboxRow

documents = cast(Table, Document.__table__)
audit_entries = cast(Table, AuditEntry.__table__)
outbox = cast(Table, OutboxRow.__table__)


@dataclass(frozen=True, slots=True)
class Change:
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
    data: Mapping[str, Any]
    #: `data` as the canonical JSON text the audit hash covers
    data_json: str
    prev_hash: str
    hash: str
    #: (effect name, params, idempotency key), in the definition's order
    effects: tuple[tuple[str, Mapping[str, Any], str], ...]
    #: set only by edits
    title: str | None = None
    fields: Mapping[str, Any] | None = None


def row_locks(session: Session) -> bool:
    """Whether the database has row locks (SELECT ... FOR UPDATE); SQLite locks the whole file on write."""
    return session.get_bind().dialect.name != "sqlite"


@cache
def lock_statement() -> Executable:
    return select(documents.c.version).where(documents.c.id == bindparam("id")).with_for_update()


def record(session: Session, change: Change) -> bool:
    """Write the change; False when the document's version is no longer the one the change started from."""
    connection = session.connection()
    if connection.dialect.name == "postgresql" and change.fields is None and change.title is None:
        result = connection.execute(_postgresql_statement(len(change.effects)), _postgresql_params(change))
        return result.rowcount == max(1, len(change.effects))
    params = _common_params(change)
    if change.title is not None or change.fields is not None:
        params["title"] = change.title
        params["fields"] = change.fields
        moved = connection.execute(_edit_statement(), params)
    else:
        moved = connection.execute(_update_statement(), params)
    if moved.rowcount != 1:
        return False
    connection.execute(_audit_statement(), params)
    if change.effects:
        connection.execute(
            _outbox_statement(),
            [
                {"document_id": change.document_id, "audit_version": change.new_version, "effect": name,
                 "params": effect_params, "key": key, "at": change.at}
                for name, effect_params, key in change.effects
            ],
        )
    return True


def _common_params(change: Change) -> dict[str, object]:
    return {
        "document_id": change.document_id, "old_version": change.old_version, "new_version": change.new_version,
        "from_state": change.from_state, "to_state": change.to_state, "at": change.at,
        "entered_at": change.entered_at, "due_at": change.due_at, "actor_id": change.actor_id,
        "trigger": change.trigger, "comment": change.comment, "data": change.data,
        "prev_hash": change.prev_hash, "hash": change.hash,
    }


@cache
def _update_statement() -> Update:
    return (
        update(documents)
        .where(documents.c.id == bindparam("document_id"), documents.c.version == bindparam("old_version"))
        .values(
            state=bindparam("to_state"), version=bindparam("new_version"), audit_hash=bindparam("hash"),
            updated_at=bindparam("at"), state_entered_at=bindparam("entered_at"), due_at=bindparam("due_at"),
        )
    )


@cache
def _edit_statement() -> Update:
    return _update_statement().values(title=bindparam("title"), fields=bindparam("fields"))


@cache
def _audit_statement() -> Insert:
    return insert(audit_entries).values(
        document_id=bindparam("document_id"), version=bindparam("new_version"), at=bindparam("at"),
        actor_id=bindparam("actor_id"), trigger=bindparam("trigger"), from_state=bindparam("from_state"),
        to_state=bindparam("to_state"), comment=bindparam("comment"), data=bindparam("data"),
        prev_hash=bindparam("prev_hash"), hash=bindparam("hash"),
    )


@cache
def _outbox_statement() -> Insert:
    return insert(outbox).values(
        document_id=bindparam("document_id"), audit_version=bindparam("audit_version"),
        effect=bindparam("effect"), params=bindparam("params"),
        idempotency_key=bindparam("key"), status="pending", attempts=0,
        available_at=bindparam("at"), created_at=bindparam("at"),
    )


def _postgresql_params(change: Change) -> dict[str, object]:
    params = _common_params(change)
    # the JSON goes as text and is cast in SQL: the canonical text the hash covers, stored as it is
    params["data"] = change.data_json
    for index, (name, effect_params, key) in enumerate(change.effects):
        params[f"effect_{index}"] = name
        params[f"params_{index}"] = json.dumps(effect_params, ensure_ascii=False)
        params[f"key_{index}"] = key
    return params


@cache
def _postgresql_statement(effect_count: int) -> TextClause:
    """Update, audit entry and outbox rows in one statement: one round trip instead of three."""
    moved_and_audited = """
        WITH moved AS (
            UPDATE documents
               SET state = :to_state, version = :new_version, audit_hash = :hash, updated_at = :at,
                   state_entered_at = :entered_at, due_at = CAST(:due_at AS TIMESTAMPTZ)
             WHERE id = :document_id AND version = :old_version
         RETURNING id
        ), audited AS (
            INSERT INTO audit_entries
                   (document_id, version, at, actor_id, trigger, from_state, to_state, comment, data,
                    prev_hash, hash)
            SELECT id, :new_version, :at, CAST(:actor_id AS INTEGER), :trigger, :from_state, :to_state,
                   CAST(:comment AS TEXT), CAST(:data AS JSONB), :prev_hash, :hash
              FROM moved
         RETURNING document_id
        )
    """
    if effect_count == 0:
        return text(moved_and_audited + "SELECT document_id FROM audited")
    rows = ", ".join(f"(:effect_{i}, :params_{i}, :key_{i}, {i})" for i in range(effect_count))
    return text(
        moved_and_audited
        + f"""
        INSERT INTO outbox
               (document_id, audit_version, effect, params, idempotency_key, status, attempts, available_at,
                created_at)
        SELECT audited.document_id, :new_version, e.effect, CAST(e.params AS JSONB), e.key, 'pending', 0,
               :at, :at
          FROM audited, (VALUES {rows}) AS e(effect, params, key, position)
         ORDER BY e.position
        """
    )
