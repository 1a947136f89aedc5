"""Inbound platform events, recorded by id so a retry is handled once."""

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import InboundEvent


async def record_event(*, session: AsyncSession, key: str, now: datetime) -> bool:
    """False if this inbound event was already recorded (and so handled)."""
    try:
        async with session.begin_nested():
            session.add(InboundEvent(key=key[:200], received_at=now))
    except IntegrityError:
        return False
    return True
