"""administration: committees and departments retired instead of deleted, departments' English names, and the
audit checks an administrator asks for

A committee or a department that drafts, conclusions, meetings or visas refer to is never deleted: it is retired
(its date kept), is no longer offered for new work, and its members' grants end. An audit check (verifying the
whole log, or sealing it) asked for from the administrator's page is a row: the worker runs it after the commit
and writes its outcome there, so the page never waits for a check over the whole database.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('committees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
    # the default only fills the rows already there: the models give new rows their name_en
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.alter_column('name_en', server_default=None, existing_type=sa.String(length=300), existing_nullable=False)
    op.create_table(
        'audit_checks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('outcome', sa.String(length=16), nullable=True),
        sa.Column('documents', sa.Integer(), nullable=True),
        sa.Column('entries', sa.Integer(), nullable=True),
        sa.Column('findings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
        sa.Column('seal_name', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['requested_by_id'], ['persons.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('audit_checks')
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_column('retired_at')
        batch_op.drop_column('name_en')
    with op.batch_alter_table('committees', schema=None) as batch_op:
        batch_op.drop_column('retired_at')
