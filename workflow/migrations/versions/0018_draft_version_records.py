"""draft version records: a change of a draft's particulars under the draft's chain

A save that changes what a draft proposes about itself (its initiator, the committees proposed, the majority it
needs) is kept as a version (0011) and now also put under the draft's audit chain, as an edit of its text is: an
audit entry `record` with the version's digest, whose version the row keeps here. Versions kept before stay as
they were (no record).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('draft_versions', sa.Column('record_version', sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column('draft_versions', 'record_version')
