"""member affiliation: guests (Slack Connect, restricted accounts) and rostered staff

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:30:00

Everyone known so far is a "member"; the next platform lookup or roster read says who is a
guest, and the next roster import who is staff.
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('member') as batch:
        batch.add_column(sa.Column('affiliation', sa.String(length=8), nullable=False,
                                   server_default='member'))


def downgrade() -> None:
    with op.batch_alter_table('member') as batch:
        batch.drop_column('affiliation')
