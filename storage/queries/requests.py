"""Learning requests."""

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import LearningRequest


async def open_requests_of(*, session: AsyncSession, member_id: int) -> list[LearningRequest]:
    return list((await session.exec(
        select(LearningRequest)
        .where(LearningRequest.member_id == member_id, LearningRequest.status == "open")
        .order_by(LearningRequest.created_at))).all())


async def open_request_on(*, session: AsyncSession, member_id: int, aspect_id: int) -> LearningRequest | None:
    """The person's open request on the aspect, if any."""
    return (await session.exec(select(LearningRequest).where(
        LearningRequest.member_id == member_id, LearningRequest.aspect_id == aspect_id,
        LearningRequest.status == "open"))).first()

