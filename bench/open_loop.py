"""Requests as a platform sends them: at a set rate, each at its own moment, never waiting
for the one before (an open loop), against `preceptor serve`; what came back, and when each
`/learn`'s private answer arrived at its response URL."""

import asyncio
import contextlib
import itertools
import statistics
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

import aiohttp

from bench.sustained import Answers
from tests.e2e.slack_client import sign

KEYS = itertools.count()  # response URLs and trigger ids are unique across steps, as Slack's are


def quantile(values: list[float], q: int) -> float | None:
    """The q-th percentile in milliseconds (None with fewer than two values)."""
    return round(1000 * statistics.quantiles(values, n=100)[q - 1], 1) if len(values) > 1 else None


class OpenLoop:
    def __init__(self, url: str, answers: Answers, base: str):
        self.url, self.answers, self.base = url, answers, base
        self.acks: dict[str, list[float]] = {"event": [], "learn": []}
        self.answered: list[float] = []  # seconds from sending a /learn to its answer
        self.errors, self.last_ack, self.start = 0, 0.0, 0.0

    async def _post(self, session, body: str, content_type: str, kind: str) -> bool:
        started = time.perf_counter()
        try:
            async with session.post(self.url, data=body, headers={
                    "Content-Type": content_type, **sign(body)}) as response:
                await response.read()
                if response.status == 200:
                    self.acks[kind].append(time.perf_counter() - started)
                    self.last_ack = time.perf_counter()
                    return True
        except aiohttp.ClientError:
            pass
        self.errors += 1
        return False

    async def event(self, session, body: str) -> None:
        await self._post(session, body, "application/json", "event")

    async def learn(self, session, user: str, text: str) -> None:
        key = f"ol{next(KEYS)}"
        self.answers.waiting[key] = asyncio.get_running_loop().create_future()
        started = time.perf_counter()
        data = urlencode({"team_id": "T1", "user_id": user, "command": "/learn", "text": text,
                          "channel_id": "D1", "trigger_id": f"t{key}",
                          "response_url": self.base + key})
        if await self._post(session, data, "application/x-www-form-urlencoded", "learn"):
            with contextlib.suppress(TimeoutError):
                self.answered.append(await asyncio.wait_for(self.answers.waiting[key], 60) - started)

    async def run(self, rate: int, seconds: float,
                  each: Callable[[aiohttp.ClientSession, int], list[Awaitable]],
                  sent: Callable[[], Awaitable] | None = None) -> float:
        """Send `each(session, n)`'s requests at the n-th moment, `rate` moments a second, for
        `seconds`; then `sent()`, and wait for every answer. Returns how long the sending took."""
        pending: set[asyncio.Task] = set()
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=400)) as session:
            self.start = time.perf_counter()
            for n in range(int(rate * seconds)):
                delay = self.start + n / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                for request in each(session, n):
                    task = asyncio.ensure_future(request)
                    pending.add(task)
                    task.add_done_callback(pending.discard)
            sent_for = time.perf_counter() - self.start
            if sent is not None:
                await sent()
            await asyncio.gather(*pending)
        return sent_for

    def acked(self, kind: str) -> dict:
        acks = self.acks[kind]
        return {"acked_per_s": round(len(acks) / (self.last_ack - self.start), 1) if acks else 0,
                "errors": self.errors, "acks_over_3s": sum(a > 3 for a in acks),
                "ack_p50_ms": quantile(acks, 50), "ack_p99_ms": quantile(acks, 99)}

    def answers_seen(self) -> dict:
        return {"learn_answered": len(self.answered), "learn_p50_ms": quantile(self.answered, 50),
                "learn_p99_ms": quantile(self.answered, 99)}
