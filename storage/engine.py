"""Engine and session setup for SQLite (embedded default) and PostgreSQL (several instances)."""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, nullcontext
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

log = logging.getLogger(__name__)
T = TypeVar("T")
SQLITE_BUSY_TIMEOUT_MS = 15_000
CONNECT_TIMEOUT_SECONDS = 5  # PostgreSQL: a server that does not answer the handshake
STATEMENT_TIMEOUT_MS = 15_000  # PostgreSQL: the server ends any statement running longer
POOL_TIMEOUT_SECONDS = 5  # waiting for a free connection of our own pool


def async_url(url: str) -> str:
    """Pick the async driver for a plain `sqlite:///` or `postgresql://` URL."""
    parsed = make_url(url)
    driver = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}.get(
        parsed.get_backend_name()
    )
    if driver is None:
        raise ValueError(f"unsupported database: {parsed.get_backend_name()}")
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def sync_url(url: str) -> str:
    """The same database through a blocking driver, for Alembic."""
    parsed = make_url(url)
    driver = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}[parsed.get_backend_name()]
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def make_engine(url: str, *, immediate: bool = True, **kwargs) -> AsyncEngine:
    """An async engine; on SQLite, WAL, foreign keys, a busy timeout and `BEGIN IMMEDIATE`.

    Python's sqlite3 opens transactions lazily (deferred), so two processes that read and
    then write both succeed and one update is silently lost. Taking the write lock at
    BEGIN makes the second wait for the first instead. `immediate=False` is for readers
    that must never wait for a writer (and write, if ever, without reading first).
    """
    if make_url(url).get_backend_name() == "postgresql":
        kwargs = {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS,
                                   "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"},
                  "pool_timeout": POOL_TIMEOUT_SECONDS, **kwargs}
    engine = create_async_engine(async_url(url), **kwargs)
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine, immediate)
    return engine


def _sqlite_pragmas(engine: AsyncEngine, immediate: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """The engine plus a factory of sessions, one transaction each."""

    def __init__(self, url: str, **engine_kwargs):
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self._reader: AsyncEngine | None = None
        self._writer = asyncio.Lock() if self.engine.dialect.name == "sqlite" else None
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits together on success and rolls back on any error.

        SQLite has one writer: within a process they take turns here, on the event loop,
        rather than in SQLite's busy handler, which sleeps up to 100 ms between tries."""
        async with self._writer or nullcontext(), self._sessions() as session, session.begin():
            yield session

    async def within(self, seconds: float, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """`work` in one transaction, answered within `seconds` whatever the database does
        (locked, or accepting and never answering): past them `TimeoutError` is raised at
        once, and the transaction, left to finish on its own, rolls back instead of
        committing, so "nothing was changed" stays true."""
        abandoned = False

        async def attempt() -> T:
            async with self.transaction() as session:
                result = await work(session)
                if abandoned:
                    raise TimeoutError("the caller gave up waiting")
                return result

        task = asyncio.ensure_future(attempt())
        try:
            return await asyncio.wait_for(asyncio.shield(task), seconds)
        except (TimeoutError, asyncio.CancelledError):
            abandoned = True
            task.add_done_callback(_settled)
            raise

    @property
    def reader(self) -> AsyncEngine:
        """An engine whose transactions never wait for SQLite's writer (PostgreSQL: the same)."""
        if self.engine.dialect.name != "sqlite":
            return self.engine
        if self._reader is None:
            self._reader = make_engine(self.url, immediate=False)
        return self._reader

    async def ask(self, seconds: float, probe: Callable[[Connection], T]) -> T:
        """`probe` on a reader's connection (blocking API), answered within `seconds` or
        raising: a database that hangs is left to finish on its own, never waited on."""
        async def run() -> T:
            async with self.reader.connect() as connection:
                return await connection.run_sync(probe)

        task = asyncio.ensure_future(run())
        try:
            return await asyncio.wait_for(asyncio.shield(task), seconds)
        except (TimeoutError, asyncio.CancelledError):
            task.add_done_callback(_settled)
            raise

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._reader is not None:
            await self._reader.dispose()


def _settled(task: asyncio.Task) -> None:
    """A transaction given up on has ended: its outcome is only worth a line in the log."""
    if not task.cancelled() and task.exception() is not None:
        log.info("a transaction given up on ended: %s", type(task.exception()).__name__)
