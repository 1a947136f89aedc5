"""Everything due at one moment, once: each piece of scheduled work is a named step of a
use-case module, run in batches of `BATCH` until it has nothing left; then the outbox."""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import inbox, metrics
from bot.core.clock import Clock
from bot.core.workspace_events import WorkspaceEvents
from bot.delivery.loop import LEASE, DeliveryReport, deliver_until_idle
from bot.delivery.messenger import Messenger
from bot.usecases import checkins, impact, intros, learning, pauses, rosters, surveys
from bot.usecases.lapses import Lapses
from storage.engine import Database
from storage.queries.observations import purge_folded
from storage.queries.retention import purge_inbound_events, purge_interactions, purge_sent

BATCH = 200
Step = Callable[[AsyncSession, datetime, int], Awaitable[int]]
STEPS: dict[str, Step] = {
    "expired_asks": intros.expire_asks,
    "resumed": pauses.resume_due,
    "checkins": checkins.run_due,
    "surveys_due": surveys.schedule_due,
    "surveys": surveys.ask_due,
    "digests": impact.send_quarterly,
    "forgotten": inbox.forget_worked,
    "drafts_dropped": learning.drop_unconfirmed,
}


@dataclass(frozen=True)
class Retention:
    """How long what is kept only for a while stays (PRECEPTOR_KEEP_*_DAYS)."""
    interactions: timedelta = timedelta(days=365)  # since the pair's last interaction
    inbound_events: timedelta = timedelta(days=7)  # ids of events seen, against replays (and
    # the observations folded from them)
    sent: timedelta = timedelta(days=30)  # outbox rows sent, failed or withdrawn


@dataclass
class TickReport:
    """How many of each step were done (the field names are the step names)."""

    expired_asks: int = 0
    resumed: int = 0
    checkins: int = 0
    surveys_due: int = 0  # pairs whose checkpoint survey came (each side gets one)
    surveys: int = 0  # surveys asked, or put off (a pause; one a fortnight each)
    flagged: int = 0  # pairs that never met, flagged to their lead
    warned: int = 0  # quiet pairs warned they will close
    closed: int = 0  # quiet pairs closed after the warning
    digests: int = 0
    forgotten: int = 0  # worked inbox items deleted
    drafts_dropped: int = 0  # unanswered "did you mean" questions forgotten
    rosters: int = 0
    folded: int = 0  # observations folded into familiarity (the server's folder does most)
    purged: int = 0  # rows past their retention: interactions, inbound event ids and
    # observations, sent messages
    delivery: DeliveryReport = field(default_factory=DeliveryReport)


class Tick:
    def __init__(self, *, db: Database, clock: Clock, messengers: Mapping[str, Messenger],
                 events: WorkspaceEvents, lease: timedelta = LEASE, keep: Retention = Retention(),
                 lapses: Lapses | None = None):
        self.db, self.clock, self.messengers, self.events = db, clock, messengers, events
        self.steps: dict[str, Step] = {**STEPS, **(lapses or Lapses()).steps()}
        self.lease = lease  # of the outbox rows it claims
        self.purges: list[Step] = [
            lambda s, now, n: purge_interactions(session=s, before=now - keep.interactions, limit=n),
            lambda s, now, n: purge_inbound_events(session=s, before=now - keep.inbound_events, limit=n),
            lambda s, now, n: purge_folded(session=s, before=now - keep.inbound_events, limit=n),
            lambda s, now, n: purge_sent(session=s, before=now - keep.sent, limit=n)]

    async def run(self) -> TickReport:
        with metrics.TICK_SECONDS.time():
            return await self._run()

    async def _run(self) -> TickReport:
        now = self.clock.now()
        report = TickReport()
        for name, step in self.steps.items():
            setattr(report, name, await self._drain(step, now))
        for purge in self.purges:
            report.purged += await self._drain(purge, now)
        report.rosters = await rosters.read_due(self.db, self.messengers, now, self.events.observe,
                                                self.events.described)
        report.folded = await self._drain(self.events.fold, now)
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
