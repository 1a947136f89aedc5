"""The inbox: commands and clicks written down before they were acknowledged, leased to one
worker at a time and settled once, in the transaction that does their work."""

from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import InboxItem
from storage.queries.common import insert_into
from storage.queries.retention import purge


async def insert_inbox_items(*, session: AsyncSession, rows: list[dict]) -> set[str]:
    """Write items in one statement; the keys that were new (a replay's is not)."""
    insert = insert_into(session, InboxItem).values(rows)  # a replay's key inserts nothing
    result = await session.exec(insert.on_conflict_do_nothing(index_elements=["key"])
                                .returning(InboxItem.key))
    return set(result.scalars().all())


async def claim_inbox_items(*, session: AsyncSession, now: datetime, limit: int, lease: timedelta,
                            token: str, platforms: list[str]) -> list[InboxItem]:
    """Lease waiting items (never claimed, or whose worker's lease ran out) to one worker,
    oldest first; each claim counts as an attempt."""
    free = or_(col(InboxItem.claimed_until).is_(None), col(InboxItem.claimed_until) <= now)
    ids = list((await session.exec(
        select(InboxItem.id)
        .where(InboxItem.status == "pending", free, col(InboxItem.platform).in_(platforms))
        .order_by(InboxItem.id).limit(limit).with_for_update(skip_locked=True))).all())
    if not ids:
        return []
    await session.exec(update(InboxItem).where(col(InboxItem.id).in_(ids)).values(
        claimed_until=now + lease, claim_token=token, attempts=InboxItem.attempts + 1))
    return list((await session.exec(
        select(InboxItem).where(col(InboxItem.id).in_(ids)).order_by(InboxItem.id)
        .execution_options(populate_existing=True))).all())


async def settle_inbox_item(*, session: AsyncSession, item_id: int, token: str, now: datetime,
                            status: str = "done") -> bool:
    """Mark the item worked (its words emptied), if it is still leased to `token`; the row
    stays locked until the transaction ends. False: another worker has it now."""
    result = await session.exec(
        update(InboxItem)
        .where(col(InboxItem.id) == item_id, col(InboxItem.claim_token) == token,
               InboxItem.status == "pending")
        .values(status=status, done_at=now, body={}, claimed_until=None))
    return result.rowcount == 1


async def release_inbox_item(*, session: AsyncSession, item_id: int, token: str, until: datetime) -> None:
    """Give a leased item back, to be tried again from `until`."""
    await session.exec(update(InboxItem).where(col(InboxItem.id) == item_id,
                                               col(InboxItem.claim_token) == token)
                       .values(claimed_until=until))


async def purge_inbox(*, session: AsyncSession, before: datetime, limit: int) -> int:
    """Forget items worked before `before` (only worked ones have `done_at`): only their keys
    were left, kept against replays."""
    return await purge(session, InboxItem, InboxItem.done_at, before, limit)


async def waiting_inbox_items(*, session: AsyncSession) -> int:
    """Items written down and not yet worked (claimed or not): the work queue's depth."""
    return (await session.exec(select(func.count()).select_from(InboxItem)
                               .where(InboxItem.status == "pending"))).one()
