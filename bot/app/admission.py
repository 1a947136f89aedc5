"""Acknowledgements first: work done after acknowledging gives way to requests still being
answered.

Slack wants an answer within 3 s, and the answer to a command or click now waits only for it
to be written down (the inbox). The work that follows (the inbox worker, immediate delivery)
shares the event loop, and on PostgreSQL the cores, with the next acknowledgements; so it
does not start while a request is being answered, for at most `patience` seconds: a flood
of requests slows the work but never stops it.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

PATIENCE = 1.0  # seconds a piece of work gives way to acknowledgements, at most


class Admission:
    def __init__(self, patience: float = PATIENCE):
        self._patience = patience
        self._answering = 0  # requests received and not yet answered
        self._quiet = asyncio.Event()
        self._quiet.set()
        self.giving_way = 0  # pieces of work waiting right now for requests to be answered

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Around what goes first: a request until its answer is ready (the HTTP layer's
        part), or, in the instance that counts people's work, a command being worked."""
        self._count(1)
        try:
            yield
        finally:
            self._count(-1)

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

    def _count(self, change: int) -> None:
        self._answering += change
        if self._answering:
            self._quiet.clear()
        else:
            self._quiet.set()
