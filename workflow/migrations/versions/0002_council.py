"""council: committees, departments, sessions, agenda, attendance, votes, decisions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('councils',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('convocation', sa.Integer(), nullable=False),
    sa.Column('total_composition', sa.Integer(), nullable=False),
    sa.Column('number_pattern', sa.String(length=100), nullable=False),
    sa.Column('next_decision_number', sa.Integer(), nullable=False),
    sa.CheckConstraint('total_composition > 0', name=op.f('ck_councils_total_composition_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_councils'))
    )
    op.create_table('committees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_committees_council_id_councils')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committees'))
    )
    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_departments_council_id_councils')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments'))
    )
    op.create_table('agenda_items',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_agenda_items_document_id_documents')),
    sa.ForeignKeyConstraint(['draft_id'], ['documents.id'], name=op.f('fk_agenda_items_draft_id_documents')),
    sa.ForeignKeyConstraint(['reporter_id'], ['persons.id'], name=op.f('fk_agenda_items_reporter_id_persons')),
    sa.ForeignKeyConstraint(['session_id'], ['documents.id'], name=op.f('fk_agenda_items_session_id_documents')),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_agenda_items'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_items_session', ['session_id', 'position'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_attendance_person_id_persons')),
    sa.ForeignKeyConstraint(['session_id'], ['documents.id'], name=op.f('fk_attendance_session_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('session_id', 'person_id', name=op.f('uq_attendance_session_id'))
    )
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('session_number', sa.Integer(), nullable=False),
    sa.Column('convocation', sa.Integer(), nullable=False),
    sa.Column('official_number', sa.String(length=64), nullable=False),
    sa.Column('adopted_on', sa.Date(), nullable=False),
    sa.Column('numbered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_decisions_council_id_councils')),
    sa.ForeignKeyConstraint(['draft_id'], ['documents.id'], name=op.f('fk_decisions_draft_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('draft_id', name=op.f('uq_decisions_draft_id')),
    sa.UniqueConstraint('official_number', name=op.f('uq_decisions_official_number'))
    )
    op.create_table('plenary_sessions',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('convocation', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_plenary_sessions_council_id_councils')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_plenary_sessions_document_id_documents')),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_plenary_sessions')),
    sa.UniqueConstraint('council_id', 'convocation', 'number', name=op.f('uq_plenary_sessions_council_id'))
    )
    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('committee_id', sa.Integer(), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('threshold', sa.String(length=16), nullable=False),
    sa.Column('total_composition', sa.Integer(), nullable=False),
    sa.Column('required', sa.Integer(), nullable=False),
    sa.Column('registered', sa.Integer(), nullable=False),
    sa.Column('votes_for', sa.Integer(), nullable=False),
    sa.Column('votes_against', sa.Integer(), nullable=False),
    sa.Column('abstained', sa.Integer(), nullable=False),
    sa.Column('not_voted', sa.Integer(), nullable=False),
    sa.Column('absent', sa.Integer(), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('publish_by', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['committee_id'], ['committees.id'], name=op.f('fk_votes_committee_id_committees')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['persons.id'], name=op.f('fk_votes_recorded_by_id_persons')),
    sa.ForeignKeyConstraint(['session_id'], ['documents.id'], name=op.f('fk_votes_session_id_documents')),
    sa.ForeignKeyConstraint(['subject_id'], ['documents.id'], name=op.f('fk_votes_subject_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index('ix_votes_session', ['session_id'], unique=False)
        batch_op.create_index('ix_votes_subject', ['subject_id', 'purpose'], unique=False)

    op.create_table('ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_ballots_person_id_persons')),
    sa.ForeignKeyConstraint(['vote_id'], ['votes.id'], name=op.f('fk_ballots_vote_id_votes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots')),
    sa.UniqueConstraint('vote_id', 'person_id', name=op.f('uq_ballots_vote_id'))
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_hash', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('email_mode', sa.String(length=16), nullable=False, server_default='immediate'))

    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delegation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_role_grants_delegation_id_documents'), 'documents', ['delegation_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_role_grants_delegation_id_documents'), type_='foreignkey')
        batch_op.drop_column('delegation_id')

    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_column('email_mode')
        batch_op.drop_column('password_hash')

    op.drop_table('ballots')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index('ix_votes_subject')
        batch_op.drop_index('ix_votes_session')

    op.drop_table('votes')
    op.drop_table('plenary_sessions')
    op.drop_table('decisions')
    op.drop_table('attendance')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_items_session')

    op.drop_table('agenda_items')
    op.drop_table('departments')
    op.drop_table('committees')
    op.drop_table('councils')
