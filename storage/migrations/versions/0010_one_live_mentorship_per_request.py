"""one live mentorship per request

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 04:00:00

Before this index, a mentee's accept racing a second volunteer could leave two live
mentorships on one request. Both pairs were introduced and may be meeting, so neither is
ended: the later one keeps going as a pair of its own, no longer counted against the
request (its `request_id` is cleared), and the index then holds for every new one.
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

LIVE = "status != 'wrapped' AND request_id IS NOT NULL"


def upgrade() -> None:
    op.execute(sa.text(f"""
        UPDATE mentorship SET request_id = NULL
        WHERE {LIVE} AND id NOT IN (
            SELECT MIN(id) FROM mentorship WHERE {LIVE} GROUP BY request_id)
    """))
    op.create_index('uq_mentorship_request_live', 'mentorship', ['request_id'], unique=True,
                    sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))


def downgrade() -> None:
    op.drop_index('uq_mentorship_request_live', table_name='mentorship')
