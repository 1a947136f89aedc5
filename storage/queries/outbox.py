"""The outbox: rows leased to one deliverer at a time, and when the next one is due."""

from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
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
