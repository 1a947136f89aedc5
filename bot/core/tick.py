"""Everything due at one moment, once: each piece of scheduled work is a named step of a
use-case module, run in batches of `BATCH` until it has nothing left; then the outbox."""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import inbox, metrics
from bot.core.clock import Clock
from bot.core.workspace_events import WorkspaceEvents
from bot.delivery.loop import LEASE, DeliveryReport, deliver_until_idle
from bot.delivery.messenger import Messenger
from bot.usecases import checkins, impact, intros, learning, pauses, rosters
from storage.engine import Database

BATCH = 200
Step = Callable[[AsyncSession, datetime, int], Awaitable[int]]
STEPS: dict[str, Step] = {
    "expired_asks": intros.expire_asks,
    "resumed": pauses.resume_due,
    "checkins": checkins.run_due,
    "digests": impact.send_quarterly,
    "forgotten": inbox.forget_worked,
    "drafts_dropped": learning.drop_unconfirmed,
}


@dataclass
class TickReport:
    """How many of each step were done (the field names are the step names)."""

    expired_asks: int = 0
    resumed: int = 0
    checkins: int = 0
    digests: int = 0
    forgotten: int = 0  # worked inbox items deleted
    drafts_dropped: int = 0  # unanswered "did you mean" questions forgotten
    rosters: int = 0
    delivery: DeliveryReport | None = None


class Tick:
    def __init__(self, *, db: Database, clock: Clock, messengers: Mapping[str, Messenger],
                 events: WorkspaceEvents, lease: timedelta = LEASE):
        self.db, self.clock, self.messengers, self.events = db, clock, messengers, events
        self.lease = lease  # of the outbox rows it claims

    async def run(self) -> TickReport:
        with metrics.TICK_SECONDS.time():
            return await self._run()

    async def _run(self) -> TickReport:
        now = self.clock.now()
        report = TickReport()
        for name, step in STEPS.items():
            setattr(report, name, await self._drain(step, now))
        report.rosters = await rosters.read_due(self.db, self.messengers, now, self.events.observe,
                                                self.events.described)
        report.delivery = await deliver_until_idle(self.db, self.messengers, self.clock,
                                                   lease=self.lease)
        return report

    async def _drain(self, step: Step, now: datetime) -> int:
        total = 0
        while True:
            async with self.db.transaction() as session:
                done = await step(session, now, BATCH)
            total += done
            if done < BATCH:
                return total
