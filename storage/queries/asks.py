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
