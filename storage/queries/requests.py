"""Learning requests, and the drafts of those waiting for their aspect to be confirmed."""

from datetime import datetime

from sqlmodel import delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import LearnDraft, LearningRequest


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


async def drop_drafts(*, session: AsyncSession, before: datetime, limit: int) -> int:
    """Delete up to `limit` drafts nobody confirmed since `before`; returns how many."""
    ids = list((await session.exec(select(LearnDraft.id).where(LearnDraft.created_at < before)
                                   .limit(limit))).all())
    if ids:
        await session.exec(delete(LearnDraft).where(LearnDraft.id.in_(ids)))
    return len(ids)
