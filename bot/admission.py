"""A bound on the work a server runs after acknowledging requests.

Slack wants an answer within 3 s, so each command is acknowledged first and worked on
after. Unbounded, a burst starts hundreds of pieces of work that share the event loop with
the next acknowledgements and slow them all. Here at most `running` pieces work at once and
the rest wait their turn; at most `waiting` wait, and beyond that the acknowledgement itself
waits: back-pressure instead of unbounded memory.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

RUNNING = 16  # enough to overlap replies in flight; SQLite writers take turns anyway
WAITING = 1000


class Admission:
    def __init__(self, running: int = RUNNING, waiting: int = WAITING):
        self._running = asyncio.Semaphore(running)
        self._waiting = asyncio.Semaphore(waiting)

    @asynccontextmanager
    async def work(self, acknowledge: Callable[[], Awaitable[object]]) -> AsyncIterator[None]:
        """Acknowledge once there is room to wait, then hold a place to work until done."""
        async with self._waiting:
            await acknowledge()
            await self._running.acquire()
        try:
            yield
        finally:
            self._running.release()
