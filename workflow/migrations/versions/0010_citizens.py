"""citizens: when a person confirmed their e-mail address (citizens who register themselves); ballots by person

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True))
    # every account made before is one the council made: its address is taken as confirmed
    op.execute('UPDATE persons SET email_confirmed_at = created_at')
    # a deputy's voting record reads the ballots by person
    op.create_index('ix_ballots_person', 'ballots', ['person_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ballots_person', table_name='ballots')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
