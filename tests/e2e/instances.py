"""Real `preceptor serve` processes on one database, and a TCP proxy that can make that
database hang (accept, then never answer), for the multi-instance and crash tests."""

import asyncio
import contextlib
import os
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.e2e.slack_client import SECRET, SlackClient

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


def env(url: str, fake, **settings: str) -> dict[str, str]:
    """A serving environment: Slack pointed at the fake, `settings` as PRECEPTOR_… variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_"))}
    return {**base, "DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": f"{fake.url}/api/",
            **{f"PRECEPTOR_{k.upper()}": v for k, v in settings.items()}}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Instance:
    """One `preceptor serve` on its own port; `client` sends it signed Slack requests."""

    def __init__(self, url: str, fake, **settings: str):
        self.environment, self.fake = env(url, fake, **settings), fake
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log, self.log_path = tempfile.mkstemp(prefix="serve-", suffix=".log")
        self.process: asyncio.subprocess.Process | None = None

    def client(self) -> SlackClient:
        """A client of its own per request, so concurrent requests keep their own names."""
        return SlackClient(self.base, self.fake)

    async def start(self) -> "Instance":
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.app.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port),
            cwd=ROOT,
            env=self.environment, stdout=self._log, stderr=self._log)
        deadline = time.monotonic() + STARTUP_SECONDS
        while await self.health() != 200:
            if self.process.returncode is not None or time.monotonic() > deadline:
                raise AssertionError(f"serve did not start:\n{self.output()}")
            await asyncio.sleep(0.1)
        return self

    async def health(self, timeout: float = 5, probe: str = "healthz") -> int | None:
        """The status of /healthz (alive) or /readyz (able to serve people)."""
        try:
            async with aiohttp.ClientSession() as session, session.get(f"{self.base}/{probe}",
                                   timeout=aiohttp.ClientTimeout(total=timeout)) as response:
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return None

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        if self.process and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.kill()
                await self.process.wait()

    def output(self) -> str:
        return Path(self.log_path).read_text(errors="replace")[-4000:]


class HangingProxy:
    """Forwards TCP to the database; `hang()` holds every byte (the server looks alive but
    never answers, as a frozen or partitioned PostgreSQL does) until `resume()`."""

    def __init__(self, host: str, port: int):
        self.target, self.port = (host, port), free_port()
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    async def start(self) -> "HangingProxy":
        self._server = await asyncio.start_server(self._connected, "127.0.0.1", self.port)
        return self

    def hang(self) -> None:
        self._flowing.clear()

    def resume(self) -> None:
        self._flowing.set()

    async def _connected(self, reader, writer) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        for source, sink in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.get_running_loop().create_task(self._pump(source, sink))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pump(self, source, sink) -> None:
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            while data := await source.read(65536):
                await self._flowing.wait()
                sink.write(data)
                await sink.drain()
        sink.close()

    async def stop(self) -> None:
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
