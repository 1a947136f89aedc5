"""relationship quality: surveys, and what a mentorship's lead and closure need to know

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 17:00:00
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

import storage.types

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

WHEN = storage.types.UTCDateTime(timezone=True)
COLUMNS = (('end_reason', sa.String(length=16)), ('next_survey_at', WHEN), ('heard_at', WHEN),
           ('flagged_at', WHEN), ('warned_at', WHEN))
FIRST_SURVEY, NEVER_MET = timedelta(days=30), timedelta(days=21)


def upgrade() -> None:
    with op.batch_alter_table('mentorship') as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    op.create_table(
        'survey',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('mentorship_id', sa.Integer(), sa.ForeignKey('mentorship.id'), nullable=False),
        sa.Column('member_id', sa.Integer(), sa.ForeignKey('member.id'), nullable=False),
        sa.Column('stage', sa.Integer(), nullable=False),
        sa.Column('due_at', WHEN, nullable=False),
        sa.Column('asked_at', WHEN, nullable=True),
        sa.Column('rating', sa.Integer(), nullable=True),
        sa.Column('goal', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=300), nullable=True),
        sa.Column('answered_at', WHEN, nullable=True),
        sa.UniqueConstraint('mentorship_id', 'member_id', 'stage'),
    )
    op.create_index('ix_survey_mentorship_id', 'survey', ['mentorship_id'])
    op.create_index('ix_survey_member_id', 'survey', ['member_id'])
    op.create_index('ix_survey_due', 'survey', ['asked_at', 'due_at'])
    _backfill()


def _backfill() -> None:
    """Pairs already running: first survey 30 days after they started (or now, if later, at
    the next tick), last heard at their last answered check-in; wrapped ones were wrapped.
    Pairs older than the never-met period that never met count as flagged already, so that
    an upgrade does not send a lead one message for every old pair at once."""
    bind = op.get_bind()
    flag_before = datetime.now(UTC) - NEVER_MET
    pair = sa.table('mentorship', sa.column('id'), sa.column('status'), sa.column('started_at', WHEN),
                    *(sa.column(name, kind) for name, kind in COLUMNS))
    checkin = sa.table('checkin', sa.column('mentorship_id'), sa.column('outcome'),
                       sa.column('answered_at', WHEN))
    met = set(bind.execute(sa.select(checkin.c.mentorship_id).where(checkin.c.outcome == 'met')).scalars())
    answered = dict(bind.execute(
        sa.select(checkin.c.mentorship_id, sa.func.max(checkin.c.answered_at))
        .where(checkin.c.outcome != 'silent').group_by(checkin.c.mentorship_id)).all())
    for pair_id, status, started in bind.execute(
            sa.select(pair.c.id, pair.c.status, pair.c.started_at)).all():
        heard = max(started, answered.get(pair_id) or started)
        values = ({'end_reason': 'wrapped'} if status == 'wrapped'
                  else {'next_survey_at': started + FIRST_SURVEY,
                        'flagged_at': flag_before if started <= flag_before and pair_id not in met
                        else None})
        bind.execute(pair.update().where(pair.c.id == pair_id).values(heard_at=heard, **values))


def downgrade() -> None:
    op.drop_table('survey')
    with op.batch_alter_table('mentorship') as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
