"""What an attacker with write access to the database does to history, for the tests that must catch it."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from workflow.engine.audit import GENESIS, canonical_json, entry_hash
from workflow.engine.models import AuditEntry, Document

AUDIT = AuditEntry.__table__
DOCUMENTS = Document.__table__


def rewrite_and_rehash_chain(connection: Connection, document_id: int, version: int, comment: str) -> None:
    """Change the comment of the document's entry `version`, recompute its hash and every later one with the
    project's own `entry_hash`, and move the document's anchor along: the chain holds together again. The
    append-only triggers must be off."""
    chained = GENESIS
    for row in connection.execute(
        select(AUDIT).where(AUDIT.c.document_id == document_id).order_by(AUDIT.c.version)
    ).all():
        if row.version < version:
            chained = row.hash
            continue
        new_comment = comment if row.version == version else row.comment
        rehashed = entry_hash(
            document_id=row.document_id,
            version=row.version,
            at=row.at,
            actor_id=row.actor_id,
            trigger=row.trigger,
            from_state=row.from_state,
            to_state=row.to_state,
            comment=new_comment,
            data_json=canonical_json(row.data),
            prev_hash=chained,
        )
        connection.execute(
            update(AUDIT).where(AUDIT.c.id == row.id).values(comment=new_comment, prev_hash=chained, hash=rehashed)
        )
        chained = rehashed
    connection.execute(update(DOCUMENTS).where(DOCUMENTS.c.id == document_id).values(audit_hash=chained))
