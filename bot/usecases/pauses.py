"""A pause with an end date ends by itself (a step of the tick)."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.messages import Message
from bot.delivery import outbox
from storage.queries.members import claim_pauses_ended

ENDED = Message("Your pause has ended: you're available for asks and check-ins again. "
                "`/mentor pause` if you need more time.")


async def resume_due(session: AsyncSession, now: datetime, limit: int) -> int:
    """End every pause that is over and tell each person; returns how many ended."""
    due = await claim_pauses_ended(session=session, now=now, limit=limit)
    for member in due:
        # Only the person's own pause ends; their pairs were never paused by it.
        member.paused, member.paused_until = False, None
        await outbox.to_members(session, members=[member], now=now, message=ENDED)
    return len(due)
