"""The outbox: rows leased to one deliverer at a time, and when the next one is due."""

from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Outbox, Workspace


async def claim_due_outbox(
    *, session: AsyncSession, now: datetime, limit: int, lease: timedelta, token: str,
    platforms: list[str],
) -> list[Outbox]:
    """Lease due outbox rows of `platforms` to one deliverer; a crashed one's lease runs out
    and another takes the rows over."""
    free = or_(col(Outbox.claimed_until).is_(None), col(Outbox.claimed_until) <= now)
    ours = select(Workspace.id).where(
        col(Workspace.platform).in_(platforms), Workspace.active == True  # noqa: E712
    )
    ids = list(
        (
            await session.exec(
                select(Outbox.id)
                .where(
                    Outbox.status == "pending", Outbox.not_before <= now, free,
                    col(Outbox.workspace_id).in_(ours),
                )
                .order_by(Outbox.not_before, Outbox.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
    )
    if not ids:
        return []
    await session.exec(
        update(Outbox)
        .where(col(Outbox.id).in_(ids))
        .values(claimed_until=now + lease, claim_token=token)
    )
    rows = await session.exec(
        select(Outbox).where(col(Outbox.id).in_(ids)).order_by(Outbox.not_before, Outbox.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.all())


async def due_outbox(*, session: AsyncSession, platforms: list[str]) -> datetime | None:
    """When the earliest waiting row of `platforms` can next be claimed (None: nothing waits)."""
    ours = select(Workspace.id).where(
        col(Workspace.platform).in_(platforms), Workspace.active == True  # noqa: E712
    )
    waiting = [Outbox.status == "pending", col(Outbox.workspace_id).in_(ours)]
    free = (await session.exec(select(func.min(Outbox.not_before)).where(
        *waiting, col(Outbox.claimed_until).is_(None)))).one()
    leased = (await session.exec(select(func.min(Outbox.claimed_until)).where(*waiting))).one()
    return min((t for t in (free, leased) if t is not None), default=None)


# Built once: a row whose dedupe key is already queued is skipped, since sending the same
# message once is the point.
_INSERT = {
    "postgresql": postgresql.insert(Outbox).on_conflict_do_nothing(index_elements=["dedupe_key"]),
    "sqlite": sqlite.insert(Outbox).on_conflict_do_nothing(index_elements=["dedupe_key"]),
}


async def insert_outbox_row(*, session: AsyncSession, values: dict) -> None:
    """Queue one row (skipped when its dedupe key is already queued)."""
    await session.exec(_INSERT[session.bind.dialect.name], params=values)


async def held_until(*, session: AsyncSession, keys: list[str], now: datetime) -> dict[str, datetime]:
    """Of the rows under `keys`, those still waiting past `now` (for someone's waking hours),
    with when they go."""
    if not keys:
        return {}
    rows = await session.exec(select(Outbox.dedupe_key, Outbox.not_before).where(
        col(Outbox.dedupe_key).in_(keys), col(Outbox.status) == "pending",
        col(Outbox.not_before) > now))
    return dict(rows.all())


async def withdraw_outbox_row(*, session: AsyncSession, dedupe_key: str) -> bool:
    """Take back a message not yet sent (nor being sent); True if it was."""
    result = await session.exec(update(Outbox).where(
        col(Outbox.dedupe_key) == dedupe_key, col(Outbox.status) == "pending",
        col(Outbox.claimed_until).is_(None)).values(status="withdrawn"))
    return result.rowcount > 0


async def settle_outbox_row(*, session: AsyncSession, row_id: int, token: str, values: dict) -> None:
    """Record how a send went, if the row is still leased to `token`."""
    await session.exec(update(Outbox).where(col(Outbox.id) == row_id, col(Outbox.claim_token) == token)
                       .values(**values))


async def hold_workspace_outbox(*, session: AsyncSession, workspace_id: int, until: datetime, token: str,
                                now: datetime) -> None:
    """Defer every waiting row of the workspace (ours or unclaimed) until the limit lifts."""
    await session.exec(
        update(Outbox)
        .where(col(Outbox.workspace_id) == workspace_id, Outbox.status == "pending",
               col(Outbox.not_before) < until,
               or_(col(Outbox.claim_token) == token, col(Outbox.claimed_until).is_(None),
                   col(Outbox.claimed_until) <= now))
        .values(not_before=until, claimed_until=None, claim_token=None))


async def defer_outbox_rows(*, session: AsyncSession, rows: list[tuple[int, datetime]], token: str) -> None:
    """Rows a paced conversation holds back, each to its own moment, in one statement."""
    table = Outbox.__table__
    connection = await session.connection()
    await connection.execute(
        table.update().where(table.c.id == bindparam("row"), table.c.claim_token == token)
        .values(not_before=bindparam("moment"), claimed_until=None, claim_token=None),
        [{"row": row, "moment": moment} for row, moment in rows])


async def release_outbox_rows(*, session: AsyncSession, ids: list[int], token: str) -> None:
    """Give leased rows back unsent."""
    await session.exec(update(Outbox).where(col(Outbox.id).in_(ids), col(Outbox.claim_token) == token)
                       .values(claimed_until=None, claim_token=None))


async def pending_outbox(*, session: AsyncSession, now: datetime) -> tuple[int, datetime | None]:
    """How many messages are due and unsent, and since when the oldest has been due."""
    count, oldest = (await session.exec(select(func.count(), func.min(Outbox.not_before)).where(
        col(Outbox.status) == "pending", col(Outbox.not_before) <= now))).one()
    return count, oldest
