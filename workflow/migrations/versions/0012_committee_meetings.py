"""committee meetings: when and where a standing committee meets, its papers, attendance and votes

A meeting is a `committee_meeting` document with its detail (committee, moment, place) and its papers (the
committee's conclusions it considers). A member's presence at it and the link of each committee vote to the
meeting it was held at are legally decisive records: under the meeting's chain and append-only, as 0004 made
votes, ballots and the plenary attendance.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: the tables that refuse UPDATE and DELETE, with the words of the refusal
APPEND_ONLY = {
    'committee_attendance': 'committee attendance records are append-only',
    'committee_meeting_votes': 'the votes of a committee meeting are append-only',
}


def upgrade() -> None:
    op.create_table('committee_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('audit_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['documents.id'], name=op.f('fk_committee_attendance_meeting_id_documents')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_committee_attendance_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_attendance'))
    )
    with op.batch_alter_table('committee_attendance', schema=None) as batch_op:
        batch_op.create_index('ix_committee_attendance_meeting', ['meeting_id', 'person_id'], unique=False)

    op.create_table('committee_meeting_papers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('conclusion_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conclusion_id'], ['documents.id'], name=op.f('fk_committee_meeting_papers_conclusion_id_documents')),
    sa.ForeignKeyConstraint(['meeting_id'], ['documents.id'], name=op.f('fk_committee_meeting_papers_meeting_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_meeting_papers')),
    sa.UniqueConstraint('meeting_id', 'conclusion_id', name=op.f('uq_committee_meeting_papers_meeting_id'))
    )
    op.create_table('committee_meetings',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['committee_id'], ['committees.id'], name=op.f('fk_committee_meetings_committee_id_committees')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_committee_meetings_document_id_documents')),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_committee_meetings'))
    )
    with op.batch_alter_table('committee_meetings', schema=None) as batch_op:
        batch_op.create_index('ix_committee_meetings_committee', ['committee_id', 'starts_at'], unique=False)

    op.create_table('committee_meeting_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('audit_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['documents.id'], name=op.f('fk_committee_meeting_votes_meeting_id_documents')),
    sa.ForeignKeyConstraint(['vote_id'], ['votes.id'], name=op.f('fk_committee_meeting_votes_vote_id_votes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_meeting_votes')),
    sa.UniqueConstraint('vote_id', name=op.f('uq_committee_meeting_votes_vote_id'))
    )
    with op.batch_alter_table('committee_meeting_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committee_meeting_votes_meeting_id'), ['meeting_id'], unique=False)

    for table, message in APPEND_ONLY.items():
        _make_append_only(table, message)


def downgrade() -> None:
    for table in APPEND_ONLY:
        _drop_append_only(table)
    with op.batch_alter_table('committee_meeting_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_committee_meeting_votes_meeting_id'))

    op.drop_table('committee_meeting_votes')
    with op.batch_alter_table('committee_meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_committee_meetings_committee')

    op.drop_table('committee_meetings')
    op.drop_table('committee_meeting_papers')
    with op.batch_alter_table('committee_attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_committee_attendance_meeting')

    op.drop_table('committee_attendance')


def _make_append_only(table: str, message: str) -> None:
    """As 0004: the table refuses UPDATE and DELETE; `radaflow audit verify` finds a row changed behind it."""
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
