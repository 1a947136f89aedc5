"""Send slots: one row per conversation, locked while an instance takes the next slot."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import SendSlot

_INSERT = {
    "postgresql": postgresql.insert(SendSlot).on_conflict_do_nothing(index_elements=["key"]),
    "sqlite": sqlite.insert(SendSlot).on_conflict_do_nothing(index_elements=["key"]),
}


async def lock_send_slot(*, session: AsyncSession, key: str, now: datetime) -> datetime:
    """The conversation's next free time, its row locked until commit (created free at `now`
    the first time, so two instances starting one conversation still take turns)."""
    await session.exec(_INSERT[session.bind.dialect.name], params={"key": key, "tat": now})
    found = await session.exec(select(SendSlot.tat).where(SendSlot.key == key).with_for_update())
    return found.one()


async def set_send_slot(*, session: AsyncSession, key: str, tat: datetime) -> None:
    await session.exec(update(SendSlot).where(SendSlot.key == key).values(tat=tat))
