"""What `/metrics` shows (Prometheus): counters and histograms updated where things happen,
and the queues' depths read from the database when scraped. One process, one registry:
every instance is scraped on its own and the monitoring system sums them."""

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.inbox import waiting_inbox_items
from storage.queries.outbox import pending_outbox

REGISTRY = CollectorRegistry()
REQUESTS = Counter("preceptor_requests", "Commands, clicks and events received, by outcome "
                   "(written, replay, refused, busy; answered: a read-only command answered in "
                   "its acknowledgement)", ["kind", "outcome"], registry=REGISTRY)
ACK_SECONDS = Histogram("preceptor_ack_seconds", "Time to answer a platform's HTTP request",
                        ["route"], registry=REGISTRY,
                        buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5))
SENDS = Counter("preceptor_sends", "Messages the outbox tried to send, by outcome",
                ["platform", "outcome"], registry=REGISTRY)
TICK_SECONDS = Histogram("preceptor_tick_seconds", "Duration of one scheduled tick", registry=REGISTRY,
                         buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
DATABASE_ERRORS = Counter("preceptor_database_errors", "Errors the database driver raised",
                          ["backend"], registry=REGISTRY)
INBOX_DEPTH = Gauge("preceptor_work_queue_depth", "Commands and clicks written down, not yet "
                    "worked", registry=REGISTRY)
OUTBOX_DEPTH = Gauge("preceptor_outbox_depth", "Messages due to be sent now, not yet sent",
                     registry=REGISTRY)
OUTBOX_OLDEST = Gauge("preceptor_outbox_oldest_seconds", "Age of the oldest message due and "
                      "not yet sent (0 when none)", registry=REGISTRY)


async def read_queues(session: AsyncSession, now: datetime) -> None:
    """Set the queue gauges from the database, just before a scrape."""
    INBOX_DEPTH.set(await waiting_inbox_items(session=session))
    depth, oldest = await pending_outbox(session=session, now=now)
    OUTBOX_DEPTH.set(depth)
    OUTBOX_OLDEST.set((now - oldest).total_seconds() if oldest else 0)


def exposition() -> bytes:
    return generate_latest(REGISTRY)
