"""work indexes: what "my work" and the guards it asks read by

A person's work is read in the order of the due date and the id (the page stops at its end), found by the states of each definition version in use (documents by kind, version and state),
an author's by their documents, and the guards on a draft's vote by its agenda items: with 100,000 documents each
of these was a scan of its table.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # read in the order of the due date, then the id, a list of work stops at its page's end
    op.drop_index('ix_documents_due', table_name='documents')
    op.create_index('ix_documents_due_id', 'documents', ['due_at', 'id'])
    op.create_index('ix_documents_kind_version_state', 'documents', ['kind', 'definition_version', 'state'])
    op.create_index('ix_documents_author', 'documents', ['author_id'])
    op.create_index('ix_agenda_items_draft', 'agenda_items', ['draft_id'])


def downgrade() -> None:
    op.drop_index('ix_agenda_items_draft', table_name='agenda_items')
    op.drop_index('ix_documents_author', table_name='documents')
    op.drop_index('ix_documents_kind_version_state', table_name='documents')
    op.drop_index('ix_documents_due_id', table_name='documents')
    op.create_index('ix_documents_due', 'documents', ['due_at'])
