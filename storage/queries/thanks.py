"""Thanks between people."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Thanks


async def thanks_received(*, session: AsyncSession, member_id: int) -> list[Thanks]:
    """Newest first."""
    return list((await session.exec(
        select(Thanks).where(Thanks.to_id == member_id).order_by(col(Thanks.created_at).desc()))).all())
