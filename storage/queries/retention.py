"""Deleting what is kept only for a while: rows stamped before a moment, a batch at a time."""

from datetime import datetime

from sqlalchemy import delete, inspect
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import InboundEvent, Interaction, LearnDraft, Outbox

# Outbox rows whose story is over; "parked" ones wait for an operator and stay.
SETTLED = ("sent", "failed", "withdrawn")


async def purge(session: AsyncSession, model: type[SQLModel], stamp, before: datetime, limit: int,
                *where) -> int:
    """Delete up to `limit` rows of `model` whose `stamp` is before `before` (and `where`)."""
    key = inspect(model).primary_key[0]
    chosen = select(key).where(col(stamp) < before, *where).limit(limit)
    result = await session.exec(delete(model).where(key.in_(chosen)))
    return result.rowcount


async def purge_drafts(*, session: AsyncSession, before: datetime, limit: int) -> int:
    return await purge(session, LearnDraft, LearnDraft.created_at, before, limit)


async def purge_interactions(*, session: AsyncSession, before: datetime, limit: int) -> int:
    return await purge(session, Interaction, Interaction.last_at, before, limit)


async def purge_inbound_events(*, session: AsyncSession, before: datetime, limit: int) -> int:
    return await purge(session, InboundEvent, InboundEvent.received_at, before, limit)


async def purge_sent(*, session: AsyncSession, before: datetime, limit: int) -> int:
    return await purge(session, Outbox, Outbox.created_at, before, limit,
                       col(Outbox.status).in_(SETTLED))
