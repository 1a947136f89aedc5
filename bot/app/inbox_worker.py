"""Works the inbox for the platforms a server serves, owned by that server: woken as soon as
an item is written down here, and every `POLL_SECONDS` for items another instance received
and did not finish (it died, or is busier). At most `RUNNING` items are worked at once, and
the worker gives way while requests are being answered (`Admission`)."""

import asyncio
import logging
from collections.abc import Mapping
from typing import Protocol

from bot.app.admission import Admission
from bot.core.actor import Actor
from bot.core.inbox import Inbox
from bot.core.messages import Message
from storage.models import InboxItem

log = logging.getLogger(__name__)
RUNNING = 16  # enough to overlap replies in flight; SQLite's writers take turns anyway
POLL_SECONDS = 2.0


class InboxEdge(Protocol):
    """A platform's part in working an item: who sent it, and any follow-up it named."""

    async def actor(self, item: InboxItem) -> Actor: ...

    async def after(self, item: InboxItem, actor: Actor, reply: Message) -> None: ...


class InboxWorker:
    def __init__(self, inbox: Inbox, edges: Mapping[str, InboxEdge], admission: Admission,
                 people: Admission | None = None, running: int = RUNNING, poll: float = POLL_SECONDS):
        """`people` counts the items being worked, for work that gives way to them."""
        self.inbox, self.edges, self.admission = inbox, dict(edges), admission
        self.people = people or Admission()
        self.running, self.poll = running, poll
        self._working: set[asyncio.Task] = set()
        self._freed = asyncio.Event()
        self.taken = 0  # items claimed since the start

    @property
    def busy(self) -> int:
        """Items being worked right now."""
        return len(self._working)

    async def run(self) -> None:
        """Claim and work items until cancelled."""
        while True:
            await self.admission.give_way()
            self._freed.clear()
            free = self.running - self.busy
            items = await self._claim(free) if free else []
            for item in items:
                self._start(item)
            if not free or len(items) < free:
                await self._wait()

    async def _claim(self, limit: int) -> list[InboxItem]:
        self.inbox.arrived.clear()  # the claim that follows sees everything written so far
        try:
            items = await self.inbox.claim(list(self.edges), limit)
        except Exception as error:  # the database is away: poll again, the items wait
            log.warning("could not claim inbox items: %s", type(error).__name__)
            return []
        self.taken += len(items)
        return items

    def _start(self, item: InboxItem) -> None:
        task = asyncio.get_running_loop().create_task(self._work(item))
        self._working.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        self._working.discard(task)
        self._freed.set()

    async def _work(self, item: InboxItem) -> None:
        with self.people.answering():
            await self._answer(item)

    async def _answer(self, item: InboxItem) -> None:
        edge = self.edges[item.platform]
        try:
            actor = await edge.actor(item)
            reply = await self.inbox.answer(item, actor)
            if reply is not None:
                await edge.after(item, actor, reply)
        except (OSError, TimeoutError) as error:  # the platform is out of reach: one line
            log.warning("inbox item %s: %s is out of reach (%s); tried again when its lease "
                        "runs out", item.id, item.platform, type(error).__name__)
        except Exception:  # the lease runs out and the item is tried again
            log.exception("inbox item %s: the %s edge failed", item.id, item.platform)

    async def _wait(self) -> None:
        """Until an item arrives here, a place frees up, or `poll` seconds pass."""
        waits = [asyncio.ensure_future(e.wait()) for e in (self.inbox.arrived, self._freed)]
        try:
            await asyncio.wait(waits, timeout=self.poll, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    async def close(self, grace: float) -> None:
        """Items being worked get `grace` seconds; any still running then is cancelled (its
        transaction rolls back and its lease runs out, so another worker answers it)."""
        if self._working:
            await asyncio.wait(set(self._working), timeout=grace)
        for task in list(self._working):
            task.cancel()
        await asyncio.gather(*self._working, return_exceptions=True)
