"""check-in answers by side: the mentor's and the mentee's, kept apart

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 18:00:00

A round used to keep only its first answer. Rounds answered so far give that answer to the
side that gave it.
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('checkin') as batch:
        batch.add_column(sa.Column('mentor_answer', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('mentee_answer', sa.String(length=16), nullable=True))
    for side in ('mentor', 'mentee'):
        op.execute(
            f"UPDATE checkin SET {side}_answer = outcome WHERE outcome IS NOT NULL "
            f"AND outcome != 'silent' AND answered_by_id = (SELECT {side}_id FROM mentorship "
            "WHERE mentorship.id = checkin.mentorship_id)")


def downgrade() -> None:
    with op.batch_alter_table('checkin') as batch:
        batch.drop_column('mentee_answer')
        batch.drop_column('mentor_answer')
