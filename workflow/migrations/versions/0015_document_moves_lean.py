"""document moves carry only what a move does not already say: its old version and the moment it entered its state

A move's version before it is always the one after it less one, and a move enters its new state at the moment of
the move: the engine passed both anyway, and on SQLite each bound parameter of the one statement of a move costs
about as much as a fifth of its SQL. The view `document_moves` (migrations 0006, 0007) loses `old_version`, and
its triggers check the version against `new_version - 1`; `entered_at` stays for edits, which keep the moment the
document entered its state, and a move leaves it NULL: the state was entered `at` the move.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: the refusal the engine recognises as "the document is not at that version" (workflow.engine.writes)
STALE = 'radaflow: the document is not at the version the change started from'

_COLUMNS = (
    'document_id', 'new_version', 'from_state', 'to_state', 'at', 'entered_at', 'due_at', 'actor_id', '"trigger"',
    'comment', 'data', 'prev_hash', 'hash', 'title', 'fields', 'effects', 'effect', 'params', 'effect_key',
)
#: 0007's view, for the downgrade
_COLUMNS_0007 = (
    'document_id', 'old_version', 'new_version', 'from_state', 'to_state', 'at', 'entered_at', 'due_at', 'actor_id',
    '"trigger"', 'comment', 'data', 'prev_hash', 'hash', 'title', 'fields', 'effects', 'effect', 'params',
    'effect_key',
)


def _move(old_version: str, entered_at: str) -> str:
    """What every move writes: the version check, the document, the audit entry."""
    return f"""
    SELECT RAISE(ABORT, '{STALE}') WHERE NOT EXISTS (
        SELECT 1 FROM documents WHERE id = NEW.document_id AND version = {old_version}
    );
    UPDATE documents SET
        state = NEW.to_state, version = NEW.new_version, audit_hash = NEW.hash, updated_at = NEW.at,
        state_entered_at = {entered_at}, due_at = NEW.due_at,
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
_ONE_EFFECT = f"""{_OUTBOX} VALUES (NEW.document_id, NEW.new_version, NEW.effect, NEW.params, NEW.effect_key,
                                    'pending', 0, NEW.at, NEW.at);
"""
_EFFECTS_FROM_ARRAY = f"""{_OUTBOX}
    SELECT NEW.document_id, NEW.new_version, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'),
           json_extract(e.value, '$[2]'), 'pending', 0, NEW.at, NEW.at
      FROM json_each(coalesce(NEW.effects, '[]')) AS e
     ORDER BY e.key;
"""


def _triggers(move: str) -> tuple[tuple[str, str, str], ...]:
    return (
        ('document_moves_insert', 'NEW.effect IS NULL AND NEW.effects IS NULL', move),
        ('document_moves_insert_one', 'NEW.effect IS NOT NULL', move + _ONE_EFFECT),
        ('document_moves_insert_many', 'NEW.effects IS NOT NULL', move + _EFFECTS_FROM_ARRAY),
    )


_LEAN = _triggers(_move('NEW.new_version - 1', 'coalesce(NEW.entered_at, NEW.at)'))
_0007 = _triggers(_move('NEW.old_version', 'NEW.entered_at'))


def _replace(columns: Sequence[str], triggers: Sequence[tuple[str, str, str]]) -> None:
    for name, _when, _body in triggers:
        op.execute(f'DROP TRIGGER {name}')
    op.execute('DROP VIEW document_moves')
    nulls = ', '.join(f'NULL AS {column}' for column in columns)
    op.execute(f'CREATE VIEW document_moves AS SELECT {nulls} WHERE 0')
    for name, when, body in triggers:
        op.execute(f'CREATE TRIGGER {name} INSTEAD OF INSERT ON document_moves WHEN {when}\nBEGIN{body}END')


def upgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    _replace(_COLUMNS, _LEAN)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    _replace(_COLUMNS_0007, _0007)
