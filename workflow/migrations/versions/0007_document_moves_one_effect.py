"""document moves with one effect: its outbox row written as plain values, without decoding a JSON array

Most moves have one effect (a notice), some none. SQLite's table-valued `json_each` and an INSERT ... SELECT cost
a move about as much as writing the outbox row itself, so the view `document_moves` (migration 0006) gets the one
effect's columns, and its INSTEAD OF trigger becomes three, of which exactly one fires, chosen by what the row
carries: no effect; one effect (`effect`, `params`, `effect_key`, inserted as values); several (`effects`, the
JSON array, as before). Each refuses unless the document is still at the version the change started from, then
updates the document and appends the audit entry, as 0006's did.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: the refusal the engine recognises as "the document is no longer at that version" (workflow.engine.writes)
STALE = 'radaflow: the document is not at the version the change started from'

_COLUMNS = (
    'document_id', 'old_version', 'new_version', 'from_state', 'to_state', 'at', 'entered_at', 'due_at', 'actor_id',
    '"trigger"', 'comment', 'data', 'prev_hash', 'hash', 'title', 'fields', 'effects',
)
_ONE_EFFECT = ('effect', 'params', 'effect_key')

#: what every move writes: the version check, the document, the audit entry
_MOVE = f"""
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
"""
_OUTBOX = """
    INSERT INTO outbox (document_id, audit_version, effect, params, idempotency_key, status, attempts,
                        available_at, created_at)
"""
_EFFECTS_FROM_ARRAY = f"""{_OUTBOX}
    SELECT NEW.document_id, NEW.new_version, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'),
           json_extract(e.value, '$[2]'), 'pending', 0, NEW.at, NEW.at
      FROM json_each(coalesce(NEW.effects, '[]')) AS e
     ORDER BY e.key;
"""

#: 0006's single trigger, for the downgrade
_0006 = ('document_moves_insert', None, _MOVE + _EFFECTS_FROM_ARRAY)
_TRIGGERS = (
    ('document_moves_insert', 'NEW.effect IS NULL AND NEW.effects IS NULL', _MOVE),
    (
        'document_moves_insert_one',
        'NEW.effect IS NOT NULL',
        _MOVE + f"{_OUTBOX} VALUES (NEW.document_id, NEW.new_version, NEW.effect, NEW.params, NEW.effect_key,"
        " 'pending', 0, NEW.at, NEW.at);",
    ),
    ('document_moves_insert_many', 'NEW.effects IS NOT NULL', _MOVE + _EFFECTS_FROM_ARRAY),
)


def _create(columns: Sequence[str], triggers: Sequence[tuple[str, str | None, str]]) -> None:
    nulls = ', '.join(f'NULL AS {column}' for column in columns)
    op.execute(f'CREATE VIEW document_moves AS SELECT {nulls} WHERE 0')
    for name, when, body in triggers:
        condition = f' WHEN {when}' if when else ''
        op.execute(f'CREATE TRIGGER {name} INSTEAD OF INSERT ON document_moves{condition}\nBEGIN{body}END')


def upgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    op.execute('DROP TRIGGER document_moves_insert')
    op.execute('DROP VIEW document_moves')
    _create(_COLUMNS + _ONE_EFFECT, _TRIGGERS)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for name, _when, _body in _TRIGGERS:
        op.execute(f'DROP TRIGGER {name}')
    op.execute('DROP VIEW document_moves')
    _create(_COLUMNS, (_0006,))
