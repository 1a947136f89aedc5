"""Mentorships: capacity held, check-ins due."""

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import CheckIn, Member, Mentorship, Reflection
from storage.queries.common import LIVE, claim, either_side


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


async def live_mentorships_of(*, session: AsyncSession, member_id: int, side: str) -> list[Mentorship]:
    """The person's live pairs where they are `side` ("mentor" or "mentee"), oldest first."""
    mine = Mentorship.mentor_id if side == "mentor" else Mentorship.mentee_id
    return list((await session.exec(
        select(Mentorship).where(mine == member_id, col(Mentorship.status).in_(LIVE))
        .order_by(Mentorship.started_at))).all())


async def mentorships_as_mentor(*, session: AsyncSession, member_id: int) -> list[Mentorship]:
    return list((await session.exec(select(Mentorship).where(Mentorship.mentor_id == member_id))).all())


async def met_checkins_as_mentor(*, session: AsyncSession, member_id: int) -> int:
    """How many check-ins of the person's mentorships (as mentor) were answered "met"."""
    return (await session.exec(
        select(func.count()).select_from(CheckIn).join(Mentorship)
        .where(Mentorship.mentor_id == member_id, CheckIn.outcome == "met"))).one()


async def digest_pairs(*, session: AsyncSession, workspace_id: int, start: datetime,
                       end: datetime) -> list[Mentorship]:
    """Pairs live at some point in [start, end) whose mentor wants the quarterly digest."""
    return list((await session.exec(
        select(Mentorship).join(Member, Member.id == Mentorship.mentor_id)
        .where(Member.workspace_id == workspace_id, Member.quarterly_digest == True,  # noqa: E712
               Mentorship.started_at < end,
               or_(col(Mentorship.ended_at).is_(None), Mentorship.ended_at >= start)))).all())


async def mentors_of(*, session: AsyncSession, mentee_id: int, aspect_id: int) -> list[Member]:
    """The mentee's live mentors on the aspect."""
    return list((await session.exec(
        select(Member).join(Mentorship, Mentorship.mentor_id == Member.id)
        .where(Mentorship.mentee_id == mentee_id, Mentorship.aspect_id == aspect_id,
               col(Mentorship.status).in_(LIVE)))).all())


async def has_live_pair(*, session: AsyncSession, mentor_id: int, mentee_id: int, aspect_id: int) -> bool:
    return (await session.exec(select(Mentorship.id).where(
        Mentorship.mentor_id == mentor_id, Mentorship.mentee_id == mentee_id,
        Mentorship.aspect_id == aspect_id, col(Mentorship.status).in_(LIVE)))).first() is not None


async def pairs_to_resume(*, session: AsyncSession, member_id: int) -> list[Mentorship]:
    """Paused pairs of the person that they, or the bot (silence), paused."""
    return list((await session.exec(select(Mentorship).where(
        Mentorship.status == "paused",
        either_side(Mentorship, member_id),
        (Mentorship.paused_by_id == member_id) | col(Mentorship.paused_by_id).is_(None)))).all())


async def active_pairs_of(*, session: AsyncSession, member_id: int) -> list[Mentorship]:
    return list((await session.exec(select(Mentorship).where(
        Mentorship.status == "active",
        either_side(Mentorship, member_id)))).all())


async def live_pairs_of(*, session: AsyncSession, member_id: int) -> list[Mentorship]:
    """Active or paused, on either side."""
    return list((await session.exec(select(Mentorship).where(
        either_side(Mentorship, member_id),
        col(Mentorship.status).in_(LIVE)))).all())


async def past_mentorships_of(*, session: AsyncSession, member_id: int, limit: int = 10
                              ) -> list[tuple[Mentorship, str | None]]:
    """The person's wrapped-up mentorships, latest first, each with their own reflection."""
    mine = (Reflection.mentorship_id == Mentorship.id) & (Reflection.member_id == member_id)
    return list((await session.exec(
        select(Mentorship, Reflection.text).outerjoin(Reflection, mine)
        .where(Mentorship.status == "wrapped", either_side(Mentorship, member_id))
        .order_by(col(Mentorship.ended_at).desc(), col(Mentorship.id).desc()).limit(limit))).all())
