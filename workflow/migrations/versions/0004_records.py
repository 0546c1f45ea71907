"""records: the council's decisive records under the chain and append-only; rounds ordered by the log

Votes with their ballots, registrations and decision numbers refuse UPDATE and DELETE, like the audit log
(a member who leaves gets a row of their own, so attendance loses its one-row-per-member constraint). Each such
row names the audit entry that records it; ballots and registrations carry the member's name as recorded. A child
document keeps its parent's version when it was made, and an agenda item the draft's version of its move onto
the agenda, so that rounds are told apart by the log's versions, never by timestamps.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: the tables that refuse UPDATE and DELETE, with the words of the refusal
APPEND_ONLY = {
    'votes': 'votes are append-only',
    'ballots': 'ballots are append-only',
    'attendance': 'attendance records are append-only',
    'decisions': 'decision numbers are append-only',
}


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_version', sa.Integer(), nullable=True))
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft_version', sa.Integer(), nullable=True))
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('audit_version', sa.Integer(), nullable=True))
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=300), nullable=True))
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_constraint('uq_attendance_session_id', type_='unique')
        batch_op.add_column(sa.Column('name', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('audit_version', sa.Integer(), nullable=True))
        batch_op.create_index('ix_attendance_session', ['session_id', 'person_id'], unique=False)
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_version', sa.Integer(), nullable=True))

    # what existed before: rounds found once more by the clock that made them (the last time it is trusted)
    op.execute("""
        UPDATE documents SET parent_version = (
            SELECT max(a.version) FROM audit_entries a
             WHERE a.document_id = documents.parent_id AND a.at <= documents.created_at
        ) WHERE parent_id IS NOT NULL
    """)
    op.execute("""
        UPDATE agenda_items SET draft_version = (
            SELECT max(a.version) FROM audit_entries a JOIN documents d ON d.id = agenda_items.document_id
             WHERE a.document_id = agenda_items.draft_id AND a.trigger = 'put_on_agenda' AND a.at <= d.created_at
        ) WHERE draft_id IS NOT NULL
    """)
    op.execute("UPDATE ballots SET name = (SELECT p.full_name FROM persons p WHERE p.id = ballots.person_id)")
    op.execute("UPDATE attendance SET name = (SELECT p.full_name FROM persons p WHERE p.id = attendance.person_id)")
    for table, message in APPEND_ONLY.items():
        _make_append_only(table, message)


def downgrade() -> None:
    for table in APPEND_ONLY:
        _drop_append_only(table)
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('audit_version')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_session')
        batch_op.drop_column('audit_version')
        batch_op.drop_column('name')
        batch_op.create_unique_constraint('uq_attendance_session_id', ['session_id', 'person_id'])
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_column('name')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_column('audit_version')
        batch_op.drop_column('subject_version')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('draft_version')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('parent_version')


def _make_append_only(table: str, message: str) -> None:
    """As the audit log (0001): the table refuses UPDATE and DELETE; only someone who drops the trigger can
    rewrite a record, and `radaflow audit verify` finds what they changed."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{message}';
            END $$
        """)
        op.execute(f"""
            CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only()
        """)
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}
                BEGIN SELECT RAISE(ABORT, '{message}'); END
            """)


def _drop_append_only(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute(f"DROP FUNCTION {table}_append_only()")
    else:
        op.execute(f"DROP TRIGGER {table}_no_update")
        op.execute(f"DROP TRIGGER {table}_no_delete")
