"""Pace sends to a platform's per-conversation limit, together with every other instance.

Slack allows about one message a second per channel with short bursts; Teams about seven a
second per conversation. Each conversation has one slot row in the database (the generic
cell rate algorithm: a single "theoretical arrival time"), taken in a short transaction just
before the send, so N instances together stay under the limit, not each of them. A send that
must wait is deferred to the time it may go, without reserving anything, so one busy
conversation never holds up the others. Time is the business clock, like every other time.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.engine import Database
from storage.queries.send_slots import lock_send_slot, set_send_slot


@dataclass(frozen=True)
class Pace:
    """At most `per_second` on average, and up to `burst` at once after a quiet spell."""

    per_second: float
    burst: int

    @property
    def interval(self) -> timedelta:
        return timedelta(seconds=1 / self.per_second)


def next_slot(tat: datetime, now: datetime, pace: Pace) -> tuple[bool, datetime]:
    """GCRA: (True, the new arrival time) when a send may go now, else (False, when it may)."""
    tolerance = pace.interval * (pace.burst - 1)
    if tat - now > tolerance:
        return False, tat - tolerance
    return True, max(tat, now) + pace.interval


async def take_slot(db: Database, conversation: str, pace: Pace, now: datetime) -> datetime | None:
    """Take the conversation's next slot; None when the send may go now, else when it may."""
    async with db.transaction() as session:
        allowed, when = next_slot(await lock_send_slot(session=session, key=conversation, now=now),
                                  now, pace)
        if not allowed:
            return when
        await set_send_slot(session=session, key=conversation, tat=when)
        return None
