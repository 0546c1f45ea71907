"""portal indexes: what the portal's front page reads by

The latest decisions are read in the order of their date and number (the page shows the first few): with 100,000
documents and their decisions this was a sort of the whole register on every visit of the front page.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # the front page's latest decisions: newest first, by date and number
    op.create_index('ix_decisions_adopted_number', 'decisions', ['adopted_on', 'number'])


def downgrade() -> None:
    op.drop_index('ix_decisions_adopted_number', table_name='decisions')
