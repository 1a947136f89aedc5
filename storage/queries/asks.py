"""Introduction asks."""

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import IntroAsk
from storage.queries.common import claim


async def claim_expired_asks(*, session: AsyncSession, now: datetime, limit: int) -> list[IntroAsk]:
    return await claim(
        session,
        select(IntroAsk)
        .where(IntroAsk.status == "pending", IntroAsk.expires_at <= now)
        .order_by(IntroAsk.expires_at),
        limit,
    )


async def has_pending_ask(*, session: AsyncSession, request_id: int) -> bool:
    return (await session.exec(select(IntroAsk.id).where(
        IntroAsk.request_id == request_id, IntroAsk.status == "pending"))).first() is not None


async def pending_asks_involving(*, session: AsyncSession, member_id: int) -> list[IntroAsk]:
    """Pending asks the person made or was asked, oldest first."""
    return list((await session.exec(select(IntroAsk).where(
        IntroAsk.status == "pending",
        (IntroAsk.asked_id == member_id) | (IntroAsk.asker_id == member_id),
    ).order_by(IntroAsk.created_at))).all())


async def pending_ask_between(*, session: AsyncSession, request_id: int, mentor_id: int) -> IntroAsk | None:
    return (await session.exec(select(IntroAsk).where(
        IntroAsk.request_id == request_id, IntroAsk.mentor_id == mentor_id,
        IntroAsk.status == "pending"))).first()


async def declined_since(*, session: AsyncSession, mentor_id: int, mentee_id: int, since: datetime) -> bool:
    """Whether an ask between the two was declined at `since` or later."""
    return (await session.exec(select(IntroAsk.id).where(
        IntroAsk.mentor_id == mentor_id, IntroAsk.mentee_id == mentee_id,
        IntroAsk.status == "declined", IntroAsk.answered_at >= since))).first() is not None


async def other_pending_asks(*, session: AsyncSession, request_id: int,
                             except_id: int | None = None) -> list[IntroAsk]:
    """The request's pending asks, all of them or all but `except_id`."""
    query = select(IntroAsk).where(IntroAsk.request_id == request_id, IntroAsk.status == "pending")
    if except_id is not None:
        query = query.where(IntroAsk.id != except_id)
    return list((await session.exec(query)).all())
