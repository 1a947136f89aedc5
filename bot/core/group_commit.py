"""Group commit: rows written down before a platform is answered, many requests to one
transaction. What arrives while one write is under way goes in the next, bounded by the
earliest of its rows' deadlines (so no one is told "busy" about a row that is then written
after all: an abandoned write rolls back). A key seen twice in a batch is written once."""

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.engine import Database

Write = Callable[..., Awaitable[set[str]]]  # (session=, rows=) -> the keys that were new


class GroupCommit:
    def __init__(self, db: Database, write: Write, timeout: float):
        """`write(session=, rows=)` inserts rows (each with a `key`, None for one without) and
        returns the keys that were new; `timeout`: seconds a row may wait to be written."""
        self.db, self.write, self.timeout = db, write, timeout
        self._queued: list[tuple[dict, float, asyncio.Future]] = []  # row, deadline, new?
        self._writing: asyncio.Task | None = None

    async def _write(self, session: AsyncSession, rows: list[dict]) -> set[str]:
        return await self.write(session=session, rows=rows)

    async def add(self, row: dict) -> bool:
        """Write `row` down; False if its key already was (a replay). The database's error
        (or TimeoutError) is raised when it could not be written in time."""
        loop = asyncio.get_running_loop()
        written = loop.create_future()
        self._queued.append((row, loop.time() + self.timeout, written))
        if self._writing is None or self._writing.done():
            self._writing = loop.create_task(self._write_queued())
        return await written

    async def _write_queued(self) -> None:
        loop = asyncio.get_running_loop()
        while self._queued:
            batch, self._queued = self._queued, []
            rows: dict[object, dict] = {}
            for row, _, _ in batch:
                rows.setdefault(row["key"] or id(row), row)
            seconds = max(min(deadline for _, deadline, _ in batch) - loop.time(), 0.0)
            try:
                new = await self.db.within(seconds, partial(self._write, rows=list(rows.values())))
            except Exception as error:
                for _, _, written in batch:
                    if not written.done():  # (its request may have gone: the platform hung up)
                        written.set_exception(error)
                continue
            for row, _, written in batch:
                if not written.done():
                    written.set_result(row["key"] is None or (
                        rows[row["key"]] is row and row["key"] in new))
