"""Pace sends to a platform's published per-conversation limit, so its 429s stay rare.

Slack allows about one message a second per channel with short bursts; Teams about seven. A
token bucket per conversation on the monotonic clock (limits are about real seconds, whatever
the business clock says). The caller defers a send that must wait instead of sleeping, so one
busy conversation never holds up the others.
"""

import time
from collections.abc import Callable

MAX_TRACKED = 50_000  # conversations remembered; idle ones are dropped beyond this


class Pacer:
    def __init__(self, per_second: float, burst: int,
                 monotonic: Callable[[], float] = time.monotonic):
        self.per_second, self.burst, self._monotonic = per_second, burst, monotonic
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when counted)

    def wait(self, key: str) -> float:
        """Seconds until a send on `key` may go; 0.0 means it may go now and is counted."""
        now = self._monotonic()
        tokens, then = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.per_second)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            self._forget_idle(now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1 - tokens) / self.per_second

    def _forget_idle(self, now: float) -> None:
        if len(self._buckets) <= MAX_TRACKED:
            return
        full = self.burst / self.per_second  # seconds after which any bucket is full again
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full}
