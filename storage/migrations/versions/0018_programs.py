"""programs: several mentoring programs side by side in one workspace

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 17:30:00
"""

import sqlalchemy as sa
from alembic import op

import storage.types

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workspace') as batch:
        batch.add_column(sa.Column('has_programs', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.create_table(
        'program',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('workspace_id', sa.Integer(), sa.ForeignKey('workspace.id'), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('members_by', sa.String(length=16), nullable=False),
        sa.Column('column', sa.String(length=32), nullable=True),
        sa.Column('value', sa.String(length=120), nullable=True),
        sa.Column('channel', sa.String(length=64), nullable=True),
        sa.Column('announce_in', sa.String(length=64), nullable=True),
        sa.Column('leads', sa.JSON(), nullable=False),
        sa.Column('required', sa.Boolean(), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('workspace_id', 'name'),
    )
    op.create_index('ix_program_workspace_id', 'program', ['workspace_id'])


def downgrade() -> None:
    op.drop_index('ix_program_workspace_id', table_name='program')
    op.drop_table('program')
    with op.batch_alter_table('workspace') as batch:
        batch.drop_column('has_programs')
