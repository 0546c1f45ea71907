"""sitting console: conflict-of-interest declarations, how each vote was taken, votes open to the cabinets

Declarations of a conflict of interest and the source of each vote (ticked, imported with the file's SHA-256,
cast from the cabinets) are legally decisive records: under the session's chain and append-only, as the votes
are (0004). A vote held open for the members' cabinets and the ballots cast in it lead to one recorded vote.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: the tables that refuse UPDATE and DELETE, with the words of the refusal
APPEND_ONLY = {
    'conflict_declarations': 'conflict of interest declarations are append-only',
    'vote_sources': 'vote sources are append-only',
}


def upgrade() -> None:
    op.create_table(
        'conflict_declarations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('statement', sa.Text(), nullable=False),
        sa.Column('declared_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('audit_version', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id']),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['persons.id']),
        sa.ForeignKeyConstraint(['session_id'], ['documents.id']),
        sa.ForeignKeyConstraint(['subject_id'], ['documents.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('subject_id', 'person_id'),
    )
    with op.batch_alter_table('conflict_declarations', schema=None) as batch_op:
        batch_op.create_index('ix_conflicts_session', ['session_id'], unique=False)
    op.create_table(
        'open_votes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=32), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('opened_by_id', sa.Integer(), nullable=True),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('vote_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['opened_by_id'], ['persons.id']),
        sa.ForeignKeyConstraint(['session_id'], ['documents.id']),
        sa.ForeignKeyConstraint(['subject_id'], ['documents.id']),
        sa.ForeignKeyConstraint(['vote_id'], ['votes.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('open_votes', schema=None) as batch_op:
        batch_op.create_index('ix_open_votes_session', ['session_id', 'closed_at'], unique=False)
    op.create_table(
        'cast_ballots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('open_vote_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('choice', sa.String(length=16), nullable=False),
        sa.Column('cast_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['open_vote_id'], ['open_votes.id']),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('open_vote_id', 'person_id'),
    )
    op.create_table(
        'vote_sources',
        sa.Column('vote_id', sa.Integer(), nullable=False),
        sa.Column('method', sa.String(length=16), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=True),
        sa.Column('file_format', sa.String(length=8), nullable=True),
        sa.Column('file_sha256', sa.String(length=64), nullable=True),
        sa.Column('file_question', sa.Integer(), nullable=True),
        sa.Column('open_vote_id', sa.Integer(), nullable=True),
        sa.Column('audit_version', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['open_vote_id'], ['open_votes.id']),
        sa.ForeignKeyConstraint(['vote_id'], ['votes.id']),
        sa.PrimaryKeyConstraint('vote_id'),
    )
    for table, message in APPEND_ONLY.items():
        _make_append_only(table, message)


def downgrade() -> None:
    for table in APPEND_ONLY:
        _drop_append_only(table)
    op.drop_table('vote_sources')
    op.drop_table('cast_ballots')
    with op.batch_alter_table('open_votes', schema=None) as batch_op:
        batch_op.drop_index('ix_open_votes_session')
    op.drop_table('open_votes')
    with op.batch_alter_table('conflict_declarations', schema=None) as batch_op:
        batch_op.drop_index('ix_conflicts_session')
    op.drop_table('conflict_declarations')


def _make_append_only(table: str, message: str) -> None:
    """As the votes (0004): the table refuses UPDATE and DELETE."""
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
