"""learn drafts: a /learn waiting for its author to confirm the aspect

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import storage.types

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'learndraft',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('member_id', sa.Integer(), sa.ForeignKey('member.id'), nullable=False),
        sa.Column('typed', sa.String(length=80), nullable=False),
        sa.Column('suggested_id', sa.Integer(), sa.ForeignKey('aspect.id'), nullable=True),
        sa.Column('details', sa.String(length=1000), nullable=False),
        sa.Column('public', sa.Boolean(), nullable=False),
        sa.Column('another_perspective', sa.Boolean(), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_learndraft_member_id', 'learndraft', ['member_id'])


def downgrade() -> None:
    op.drop_index('ix_learndraft_member_id', table_name='learndraft')
    op.drop_table('learndraft')
