"""retention: indexes for deleting interactions, inbound event ids and settled outbox rows by age

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 11:00:00
"""

from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

INDEXES = (('ix_interaction_last_at', 'interaction', 'last_at'),
           ('ix_inboundevent_received_at', 'inboundevent', 'received_at'),
           ('ix_outbox_created_at', 'outbox', 'created_at'))


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
