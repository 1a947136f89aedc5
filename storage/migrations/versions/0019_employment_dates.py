"""employment dates: when a person was hired and left, from the roster, for 12-month retention

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('member') as batch:
        batch.add_column(sa.Column('hired_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('left_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('member') as batch:
        batch.drop_column('left_on')
        batch.drop_column('hired_on')
