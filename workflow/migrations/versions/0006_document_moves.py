"""document moves: on SQLite, a document's change, its audit entry and its outbox rows in one statement

SQLite gets a view `document_moves` whose INSTEAD OF INSERT trigger writes a whole change of a document: it
refuses unless the document is still at the version the change started from, updates the document (state,
version, hash, moments, and for an edit the title and fields), appends the audit entry and inserts the outbox
rows, in the order given, from a JSON array. A move is then one statement, as on PostgreSQL (where the engine
writes the three with data-modifying CTEs, and this migration does nothing). The view holds no rows; the
trigger's statements are the ones the engine ran one by one before, under the same constraints and the audit
log's append-only triggers.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: the refusal the engine recognises as "the document is no longer at that version" (workflow.engine.writes)
STALE = 'radaflow: the document is not at the version the change started from'


def upgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    # the columns of one change; `effects` is a JSON array of [effect, params as JSON text, idempotency key]
    op.execute("""
        CREATE VIEW document_moves AS SELECT
            NULL AS document_id, NULL AS old_version, NULL AS new_version, NULL AS from_state, NULL AS to_state,
            NULL AS at, NULL AS entered_at, NULL AS due_at, NULL AS actor_id, NULL AS "trigger", NULL AS comment,
            NULL AS data, NULL AS prev_hash, NULL AS hash, NULL AS title, NULL AS fields, NULL AS effects
        WHERE 0
    """)
    op.execute(f"""
        CREATE TRIGGER document_moves_insert INSTEAD OF INSERT ON document_moves
        BEGIN
            SELECT RAISE(ABORT, '{STALE}') WHERE NOT EXISTS (
                SELECT 1 FROM documents WHERE id = NEW.document_id AND version = NEW.old_version
            );
            UPDATE documents SET
                state = NEW.to_state, version = NEW.new_version, audit_hash = NEW.hash, updated_at = NEW.at,
                state_entered_at = NEW.entered_at, due_at = NEW.due_at,
                title = coalesce(NEW.title, title), fields = coalesce(NEW.fields, fields)
            WHERE id = NEW.document_id;
            INSERT INTO audit_entries (document_id, version, at, actor_id, "trigger", from_state, to_state, comment,
                                       data, prev_hash, hash)
            VALUES (NEW.document_id, NEW.new_version, NEW.at, NEW.actor_id, NEW."trigger", NEW.from_state,
                    NEW.to_state, NEW.comment, NEW.data, NEW.prev_hash, NEW.hash);
            INSERT INTO outbox (document_id, audit_version, effect, params, idempotency_key, status, attempts,
                                available_at, created_at)
            SELECT NEW.document_id, NEW.new_version, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'),
                   json_extract(e.value, '$[2]'), 'pending', 0, NEW.at, NEW.at
              FROM json_each(coalesce(NEW.effects, '[]')) AS e
             ORDER BY e.key;
        END
    """)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    op.execute('DROP TRIGGER document_moves_insert')
    op.execute('DROP VIEW document_moves')
