"""observations: workspace events written down before they are acknowledged, folded in batches

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 15:00:00
"""

import sqlalchemy as sa
from alembic import op

import storage.types

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'observation',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('key', sa.String(length=200), nullable=True, unique=True),
        sa.Column('platform', sa.String(length=16), nullable=False),
        sa.Column('team', sa.String(length=128), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('user_id', sa.String(length=128), nullable=False),
        sa.Column('others', sa.Text(), nullable=False),
        sa.Column('channel', sa.String(length=128), nullable=True),
        sa.Column('aspects', sa.String(length=200), nullable=False),
        sa.Column('seen_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('folded_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_observation_waiting', 'observation', ['folded_at', 'id'])


def downgrade() -> None:
    op.drop_index('ix_observation_waiting', table_name='observation')
    op.drop_table('observation')
