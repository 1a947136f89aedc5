"""A bound on the work a server runs after acknowledging requests, and acknowledgements first.

Slack wants an answer within 3 s, so each command is acknowledged first and worked on
after. Unbounded, a burst starts hundreds of pieces of work that share the event loop (and,
on PostgreSQL, the cores with the database server) with the next acknowledgements and slow
them all. So:
- at most `running` pieces work at once, and at most `waiting` wait; beyond that the
  acknowledgement itself waits: back-pressure instead of unbounded memory;
- no new piece starts while a request is still being answered, unless every such request is
  held back by the full waiting line; a piece that has waited `patience` seconds goes
  anyway, one at a time, so a flood of requests slows the work but never stops it.
A reply can come a moment later; a late acknowledgement is an error the person sees.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager

RUNNING = 16  # enough to overlap replies in flight; SQLite writers take turns anyway
WAITING = 1000
PATIENCE = 1.0  # seconds a piece of work gives way to acknowledgements, at most


class Admission:
    def __init__(self, running: int = RUNNING, waiting: int = WAITING,
                 patience: float = PATIENCE):
        self._running = asyncio.Semaphore(running)
        self._waiting = asyncio.Semaphore(waiting)
        self._overdue = asyncio.Semaphore(1)
        self._patience = patience
        self._answering = 0  # requests received and not yet answered
        self._held = 0  # of those, the ones held back by the full waiting line
        self._quiet = asyncio.Event()
        self._quiet.set()
        self.giving_way = 0  # pieces of work waiting right now for requests to be answered
        self.busy = 0  # pieces of work taken on and not yet done
        self.taken = 0  # pieces of work taken on since the start

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Around a request until its answer is ready (the HTTP layer's part)."""
        self._count(answering=1)
        try:
            yield
        finally:
            self._count(answering=-1)

    @asynccontextmanager
    async def work(self, acknowledge: Callable[[], Awaitable[object]]) -> AsyncIterator[None]:
        """Acknowledge once there is room to wait, give way to requests being answered, then
        hold a place to work until done (and the overdue place, if it gave way in vain)."""
        async with AsyncExitStack() as places:
            async with self._in_line():
                await acknowledge()
                self.busy += 1
                self.taken += 1
                places.callback(self._done)
                if not await self.give_way():
                    await places.enter_async_context(self._overdue)
                await places.enter_async_context(self._running)
            yield

    def _done(self) -> None:
        self.busy -= 1

    @asynccontextmanager
    async def _in_line(self) -> AsyncIterator[None]:
        held = int(self._waiting.locked())
        self._count(held=held)
        try:
            await self._waiting.acquire()
        finally:
            self._count(held=-held)
        try:
            yield
        finally:
            self._waiting.release()

    async def give_way(self) -> bool:
        """Wait while requests are being answered, at most `patience`; False if still busy."""
        if self._quiet.is_set():
            return True
        self.giving_way += 1
        try:
            async with asyncio.timeout(self._patience):
                await self._quiet.wait()
            return True
        except TimeoutError:
            return False
        finally:
            self.giving_way -= 1

    @property
    def held(self) -> int:
        """Acknowledgements held back right now because the waiting line is full."""
        return self._held

    def _count(self, answering: int = 0, held: int = 0) -> None:
        self._answering += answering
        self._held += held
        if self._answering > self._held:
            self._quiet.clear()
        else:
            self._quiet.set()
