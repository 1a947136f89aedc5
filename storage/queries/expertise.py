"""What people can mentor: declared, inferred from conversations, proven by wrap-ups."""

from datetime import datetime

from sqlmodel import delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AspectSignal, Expertise
from storage.queries.common import find_or_insert


async def declare_expertise(*, session: AsyncSession, member_id: int, aspect_id: int, source: str,
                            now: datetime) -> Expertise:
    """The row for (member, aspect, source), made if missing (saying it again changes nothing)."""
    return await find_or_insert(
        session,
        select(Expertise).where(Expertise.member_id == member_id, Expertise.aspect_id == aspect_id,
                                Expertise.source == source),
        lambda: Expertise(member_id=member_id, aspect_id=aspect_id, source=source, updated_at=now))


async def expertise_aspect_ids(*, session: AsyncSession, member_id: int,
                               source: str | None = None) -> list[int]:
    query = select(Expertise.aspect_id).where(Expertise.member_id == member_id)
    if source:
        query = query.where(Expertise.source == source)
    return list((await session.exec(query.distinct())).all())


async def inferred_signals(*, session: AsyncSession, member_id: int) -> list[AspectSignal]:
    """The thread-answer counts behind each aspect inferred for the person."""
    return list((await session.exec(
        select(AspectSignal).join(Expertise, (Expertise.member_id == AspectSignal.member_id)
                                  & (Expertise.aspect_id == AspectSignal.aspect_id))
        .where(AspectSignal.member_id == member_id, Expertise.source == "inferred"))).all())


async def forget_inferred(*, session: AsyncSession, member_id: int) -> int:
    """Remove what was inferred about the person and the counts behind it; how many aspects."""
    removed = (await session.exec(delete(Expertise).where(
        Expertise.member_id == member_id, Expertise.source == "inferred"))).rowcount
    await session.exec(delete(AspectSignal).where(AspectSignal.member_id == member_id))
    return removed
