"""Folds the workspace events written down (observations) into familiarity, a batch at a
time, off the path that answers people: woken as soon as one is written down here, and every
`POLL_SECONDS` for those another instance wrote (PostgreSQL; on SQLite, where a write
transaction that finds nothing still stales every reader's snapshot, the tick folds those).
People come first: a batch starts only once no command or click is being acknowledged
(`requests`) and none is being worked (`people`), each for at most its patience, so the
firehose slows and never stops."""

import asyncio
import contextlib
import logging

from bot.app.admission import Admission
from bot.core.clock import Clock
from bot.core.workspace_events import WorkspaceEvents
from storage.engine import Database

log = logging.getLogger(__name__)
BATCH = 500  # observations a fold takes: one transaction, a dozen statements
POLL_SECONDS = 2.0


class FoldWorker:
    def __init__(self, events: WorkspaceEvents, db: Database, clock: Clock, *, requests: Admission,
                 people: Admission, batch: int = BATCH, poll: float | None = POLL_SECONDS):
        self.events, self.db, self.clock = events, db, clock
        self.requests, self.people, self.batch, self.poll = requests, people, batch, poll
        self.folded = 0  # observations folded since the start

    async def run(self) -> None:
        """Fold batches until cancelled (without `poll`, only once something arrived here)."""
        if self.poll is None:
            await self.events.arrived.wait()
        while True:
            await self.requests.give_way()
            await self.people.give_way()
            self.events.arrived.clear()  # the batch that follows sees everything written so far
            done = await self._fold()
            if done < self.batch:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.events.arrived.wait(), self.poll)

    async def _fold(self) -> int:
        try:
            async with self.db.transaction() as session:
                done = await self.events.fold(session, self.clock.now(), self.batch)
        except Exception as error:  # the database is away or busy: the batch waits
            log.warning("could not fold observations: %s", type(error).__name__)
            return 0
        self.folded += done
        return done
