"""decision search: the public registry's index of decisions, with their search terms

`decision_entries` holds one row per decision the law makes public, with what the registry filters it by;
`decision_links` the later decisions that amend or repeal an earlier one. Its
search terms (Ukrainian lemmas, see workflow.council.decisions.words) are a weighted `tsvector` under a GIN index
on PostgreSQL, and an FTS5 table `decision_terms` (rowid = the document's id) on SQLite, whose `terms` column stays
empty. The index is filled as decisions change; for the decisions already there: `radaflow search rebuild`.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'decision_entries',
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('document_version', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=64), nullable=False),
        sa.Column('official_number', sa.String(length=64), nullable=True),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('committee_id', sa.Integer(), nullable=True),
        sa.Column('initiator_id', sa.Integer(), nullable=True),
        sa.Column('effect', sa.String(length=16), nullable=False),
        sa.Column('files_text', sa.Text(), nullable=False),
        sa.Column('files_key', sa.Text(), nullable=False),
        sa.Column('content_key', sa.String(length=64), nullable=False),
        sa.Column('terms', postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite'), nullable=True),
        sa.Column('indexed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['committee_id'], ['committees.id']),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id']),
        sa.ForeignKeyConstraint(['initiator_id'], ['persons.id']),
        sa.ForeignKeyConstraint(['session_id'], ['documents.id']),
        sa.PrimaryKeyConstraint('document_id'),
    )
    op.create_index('ix_decision_entries_date', 'decision_entries', ['decided_on', 'document_id'], unique=False)
    op.create_index(
        'ix_decision_entries_terms', 'decision_entries', ['terms'], unique=False, postgresql_using='gin'
    )
    op.create_table(
        'decision_links',
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('how', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['decision_entries.document_id']),
        sa.ForeignKeyConstraint(['target_id'], ['documents.id']),
        sa.PrimaryKeyConstraint('document_id', 'target_id', 'how'),
    )
    op.create_index('ix_decision_links_target', 'decision_links', ['target_id'], unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        # the terms are letters and digits separated by spaces (the words module makes them so): unicode61 only
        # splits them, and keeps every letter as it is (no folding of й into и)
        op.execute(
            "CREATE VIRTUAL TABLE decision_terms USING fts5(title, body, files, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('DROP TABLE decision_terms')
    op.drop_index('ix_decision_links_target', table_name='decision_links')
    op.drop_table('decision_links')
    op.drop_index('ix_decision_entries_terms', table_name='decision_entries')
    op.drop_index('ix_decision_entries_date', table_name='decision_entries')
    op.drop_table('decision_entries')
