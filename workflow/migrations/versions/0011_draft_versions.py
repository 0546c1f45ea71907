"""draft versions: every saved version of a draft decision's text and particulars, append-only

A draft's title and text, its initiator, the committees proposed for it and the majority it needs, as they stood
after each save that changed something or each adopted amendment applied to it. Like the audit log, the table
refuses UPDATE and DELETE: a text once saved stays readable, so what changed between any two versions (and since
a reviewer's last round) can always be shown.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = 'draft versions are append-only'


def upgrade() -> None:
    op.create_table('draft_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('initiator', sa.String(length=300), nullable=False),
    sa.Column('majority', sa.String(length=16), nullable=False),
    sa.Column('lead_committee_id', sa.Integer(), nullable=True),
    sa.Column('advisory_committee_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('audit_version', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['amendment_id'], ['documents.id'], name=op.f('fk_draft_versions_amendment_id_documents')),
    sa.ForeignKeyConstraint(['created_by_id'], ['persons.id'], name=op.f('fk_draft_versions_created_by_id_persons')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_draft_versions_document_id_documents')),
    sa.ForeignKeyConstraint(['lead_committee_id'], ['committees.id'], name=op.f('fk_draft_versions_lead_committee_id_committees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_versions')),
    sa.UniqueConstraint('document_id', 'number', name=op.f('uq_draft_versions_document_id'))
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION draft_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}';
            END $$
        """)
        op.execute("""
            CREATE TRIGGER draft_versions_append_only BEFORE UPDATE OR DELETE ON draft_versions
            FOR EACH ROW EXECUTE FUNCTION draft_versions_append_only()
        """)
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER draft_versions_no_{event.lower()} BEFORE {event} ON draft_versions
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
            """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER draft_versions_append_only ON draft_versions")
        op.execute("DROP FUNCTION draft_versions_append_only()")
    op.drop_table('draft_versions')
