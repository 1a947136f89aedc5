"""Immediate delivery, owned by a server: what a request just queued goes now rather than at
the next tick. A pass under way looks again when more is queued, even while it waits out a
rate-limit window; it gives way to acknowledgements (`Admission`)."""

import asyncio
import logging
from collections.abc import Mapping
from datetime import timedelta

from bot.app.admission import Admission
from bot.core.clock import Clock
from bot.delivery.loop import LEASE, deliver_until_idle
from bot.delivery.messenger import Messenger
from storage.engine import Database

log = logging.getLogger(__name__)
SHUTDOWN_GRACE_SECONDS = 5.0


class DeliveryWorker:
    def __init__(self, *, db: Database, messengers: Mapping[str, Messenger], clock: Clock,
                 admission: Admission, immediate: bool, grace: float = SHUTDOWN_GRACE_SECONDS,
                 lease: timedelta = LEASE):
        self.db, self.messengers, self.clock, self.admission = db, messengers, clock, admission
        self.immediate, self.grace = immediate, grace   # off: tests and CLIs tick by hand
        self.lease = lease
        self._task: asyncio.Task | None = None
        self._queued = asyncio.Event()   # rows queued since delivery last looked

    def soon(self) -> None:
        """Rows were just queued: send them now (when immediate delivery is on)."""
        if not self.immediate:
            return
        self._queued.set()
        if not self._task or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._deliver())

    async def _deliver(self) -> None:
        try:
            while self._queued.is_set():   # rows queued just as the last pass finished
                await deliver_until_idle(self.db, self.messengers, self.clock,
                                         self.admission.give_way, self._queued, self.lease)
        except Exception:
            log.exception("immediate delivery failed; the next tick retries")

    async def settle(self) -> None:
        """Wait for a delivery in flight (tests, and before a tick that follows)."""
        if self._task:
            await asyncio.gather(self._task, return_exceptions=True)

    async def close(self) -> None:
        """Stop: a delivery in flight gets `grace` seconds to finish; one still waiting out a
        rate limit then is cancelled (its rows stay in the outbox for the next tick)."""
        if self._task and not self._task.done():
            await asyncio.wait({self._task}, timeout=self.grace)
            self._task.cancel()
        await self.settle()
