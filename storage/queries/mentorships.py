"""Mentorships: capacity held, check-ins due."""

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Mentorship
from storage.queries.common import LIVE, claim


async def live_mentee_counts(*, session: AsyncSession, mentor_ids: list[int]) -> dict[int, int]:
    """How many live (active or paused) mentorships each mentor holds."""
    if not mentor_ids:
        return {}
    rows = await session.exec(
        select(Mentorship.mentor_id, func.count())
        .where(col(Mentorship.mentor_id).in_(mentor_ids), col(Mentorship.status).in_(LIVE))
        .group_by(Mentorship.mentor_id)
    )
    return dict(rows.all())


async def claim_due_mentorships(
    *, session: AsyncSession, now: datetime, limit: int
) -> list[Mentorship]:
    """Active mentorships whose check-in is due, locked so no other process takes them."""
    return await claim(
        session,
        select(Mentorship)
        .where(Mentorship.status == "active", Mentorship.next_checkin_at <= now)
        .order_by(Mentorship.next_checkin_at),
        limit,
    )
