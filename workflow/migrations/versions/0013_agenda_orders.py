"""agenda orders: each ordering of a session's agenda, append-only and under the session's chain

Positions on the agenda are legally decisive (the order of consideration): every move of an item up or down,
or a whole new order, is a row of its own that refuses UPDATE and DELETE, as votes do (0004).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = 'agenda orders are append-only'


def upgrade() -> None:
    op.create_table(
        'agenda_orders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('items', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
        sa.Column('moved_item_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('audit_version', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['moved_item_id'], ['documents.id'], name=op.f('fk_agenda_orders_moved_item_id_documents')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['persons.id'], name=op.f('fk_agenda_orders_recorded_by_id_persons')),
        sa.ForeignKeyConstraint(['session_id'], ['documents.id'], name=op.f('fk_agenda_orders_session_id_documents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_orders')),
    )
    with op.batch_alter_table('agenda_orders', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_orders_session', ['session_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION agenda_orders_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}';
            END $$
        """)
        op.execute("""
            CREATE TRIGGER agenda_orders_append_only BEFORE UPDATE OR DELETE ON agenda_orders
            FOR EACH ROW EXECUTE FUNCTION agenda_orders_append_only()
        """)
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER agenda_orders_no_{event.lower()} BEFORE {event} ON agenda_orders
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
            """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER agenda_orders_append_only ON agenda_orders")
        op.execute("DROP FUNCTION agenda_orders_append_only()")
    else:
        op.execute("DROP TRIGGER agenda_orders_no_update")
        op.execute("DROP TRIGGER agenda_orders_no_delete")
    with op.batch_alter_table('agenda_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_orders_session')
    op.drop_table('agenda_orders')
