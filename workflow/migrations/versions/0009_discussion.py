"""discussion: citizens' comments on drafts in public discussion, hidden by the secretary with a reason

A comment is never deleted nor rewritten: the table refuses DELETE, any change of what was posted, and any change
at all once the comment is hidden (the hiding is recorded in the draft's audit chain).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: what the citizen posted: never changed afterwards
_POSTED = ('draft_id', 'author_id', 'shown_name', 'position', 'text', 'posted_at', 'draft_version')


def upgrade() -> None:
    op.create_table('discussion_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('shown_name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('draft_version', sa.Integer(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('audit_version', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['persons.id'], name=op.f('fk_discussion_comments_author_id_persons')),
    sa.ForeignKeyConstraint(['draft_id'], ['documents.id'], name=op.f('fk_discussion_comments_draft_id_documents')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['persons.id'], name=op.f('fk_discussion_comments_hidden_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_comments'))
    )
    with op.batch_alter_table('discussion_comments', schema=None) as batch_op:
        batch_op.create_index('ix_discussion_comments_draft', ['draft_id', 'id'], unique=False)
    _keep_comments()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER discussion_comments_kept ON discussion_comments")
        op.execute("DROP FUNCTION discussion_comments_kept()")
    else:
        op.execute("DROP TRIGGER discussion_comments_no_delete")
        op.execute("DROP TRIGGER discussion_comments_no_rewrite")
    with op.batch_alter_table('discussion_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_discussion_comments_draft')
    op.drop_table('discussion_comments')


def _keep_comments() -> None:
    """As the records of 0004, but a comment may be hidden once: only the moderation's columns, only once."""
    deleted = 'comments are never deleted: the secretary hides one'
    rewritten = 'a comment is never rewritten, and a hidden one stays hidden'
    if op.get_bind().dialect.name == "postgresql":
        changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _POSTED)
        op.execute(f"""
            CREATE FUNCTION discussion_comments_kept() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION '{deleted}';
                END IF;
                IF OLD.hidden_at IS NOT NULL OR {changed} THEN
                    RAISE EXCEPTION '{rewritten}';
                END IF;
                RETURN NEW;
            END $$
        """)
        op.execute("""
            CREATE TRIGGER discussion_comments_kept BEFORE UPDATE OR DELETE ON discussion_comments
            FOR EACH ROW EXECUTE FUNCTION discussion_comments_kept()
        """)
    else:
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _POSTED)
        op.execute(f"""
            CREATE TRIGGER discussion_comments_no_delete BEFORE DELETE ON discussion_comments
            BEGIN SELECT RAISE(ABORT, '{deleted}'); END
        """)
        op.execute(f"""
            CREATE TRIGGER discussion_comments_no_rewrite BEFORE UPDATE ON discussion_comments
            WHEN OLD.hidden_at IS NOT NULL OR {changed}
            BEGIN SELECT RAISE(ABORT, '{rewritten}'); END
        """)
