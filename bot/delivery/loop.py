"""Deliver the outbox: claim due rows, send each through its platform's Messenger, record.

Each row is marked sent in its own transaction right after the send, so a crash repeats at
most the one message in flight. Transient failures back off with jitter (or the platform's
`Retry-After`); after `MAX_ATTEMPTS` a row is parked. Permanent failures are recorded once.
Rate limits are not failures: a row that must wait is deferred without counting an attempt,
and a workspace-wide 429 defers the whole workspace's queue in one statement, so nothing
hammers a platform that said "wait".
"""

import asyncio
import logging
import random
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core import metrics
from bot.core.clock import Clock
from bot.core.messages import Message
from bot.delivery import reachability
from bot.delivery.messenger import Messenger, PermanentError, RateLimited, Replies, TransientError
from bot.delivery.pacing import take_slot
from storage.engine import Database
from storage.models import Outbox, Workspace
from storage.queries.outbox import (
    claim_due_outbox,
    defer_outbox_rows,
    due_outbox,
    hold_workspace_outbox,
    release_outbox_rows,
    settle_outbox_row,
)

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)  # how long a claimed batch is ours; a crash delays it this long
SEND_SHARE = 4  # a send may take a quarter of a lease: one started never outlives the lease
LONGEST_SEND = LEASE / SEND_SHARE
MAX_ATTEMPTS = 8
BASE_BACKOFF_SECONDS = 30
MAX_BACKOFF_SECONDS = 3600
Hook = Callable[[], Awaitable[object]] | None


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    deferred: int = 0  # held back by a rate limit, not counted as an attempt
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    next_due: datetime | None = None  # when the earliest row still waiting can go

    def add(self, other: "DeliveryReport") -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.deferred += other.deferred
        self.failed += other.failed
        self.errors += other.errors
        self.next_due = other.next_due


_JITTER = random.Random()


def backoff(attempts: int, retry_after: float | None, rng: random.Random = _JITTER) -> timedelta:
    """Exponential backoff with full jitter, never sooner than the platform asked."""
    ceiling = min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** (attempts - 1))
    seconds = rng.uniform(ceiling / 2, ceiling)
    return timedelta(seconds=max(seconds, retry_after or 0))


async def deliver_until_idle(
    db: Database, messengers: Mapping[str, Messenger], clock: Clock, give_way: Hook = None,
    queued: asyncio.Event | None = None, lease: timedelta = LEASE,
) -> DeliveryReport:
    """Deliver, and keep going while the next row waits less than a lease (a rate limit's
    window, a crashed instance's batch). `queued`, set when new rows are queued, cuts a wait
    short: one workspace's window must not hold back another's messages. A clock that stands
    still gets one pass, and one more each time rows were queued meanwhile."""
    async def before_batch() -> None:
        if give_way:
            await give_way()
        if queued:
            queued.clear()  # the claim that follows sees everything queued so far

    total = DeliveryReport()
    while True:
        before = clock.now()
        total.add(await deliver_due(db, messengers, clock, before_batch=before_batch, lease=lease))
        if total.next_due is None or total.next_due - clock.now() > lease:
            return total
        seconds = max((total.next_due - clock.now()).total_seconds(), 0.05)
        if not await _wait(clock, seconds, queued) and clock.now() <= before:
            return total


async def _wait(clock: Clock, seconds: float, queued: asyncio.Event | None) -> bool:
    """Sleep on the clock until the next row is due; True if rows were queued meanwhile."""
    if queued is None:
        await clock.sleep(seconds)
        return False
    waits = [asyncio.ensure_future(clock.sleep(seconds)), asyncio.ensure_future(queued.wait())]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()
    return queued.is_set()


async def deliver_due(
    db: Database, messengers: Mapping[str, Messenger], clock: Clock, batch: int = 20,
    before_batch: Hook = None, lease: timedelta = LEASE,
) -> DeliveryReport:
    """One pass: send everything due now for the platforms we have messengers for.
    `before_batch` is awaited before each batch is claimed (a server answers its requests first)."""
    report = DeliveryReport()
    if not messengers:
        return report
    platforms = list(messengers)
    paced: dict[tuple, tuple[datetime, timedelta]] = {}  # conversation -> next slot, spacing
    while True:
        if before_batch:
            await before_batch()
        token, now = uuid.uuid4().hex, clock.now()
        async with db.transaction() as session:
            rows = await claim_due_outbox(session=session, now=now, limit=batch, lease=lease, token=token,
                                          platforms=platforms)
            workspaces = {i: await session.get_one(Workspace, i) for i in {r.workspace_id for r in rows}}
        batch_of = _Batch(db, workspaces, messengers, clock, token, lease / SEND_SHARE)
        deferred = await _send_batch(batch_of, rows, paced, report)
        report.deferred += len(deferred)
        await _defer(db, deferred, token)
        if len(rows) < batch:
            break
    async with db.transaction() as session:
        report.next_due = await due_outbox(session=session, platforms=platforms)
    return report


@dataclass(frozen=True)
class _Batch:
    """What sending one claimed batch needs."""

    db: Database
    workspaces: dict[int, Workspace]
    messengers: Mapping[str, Messenger]
    clock: Clock
    token: str
    longest_send: timedelta


async def _send_batch(batch: _Batch, rows: list[Outbox], paced: dict,
                      report: DeliveryReport) -> list[tuple[int, datetime]]:
    """Send a claimed batch in order; returns the rows a paced conversation holds back."""
    held: set[int] = set()  # workspaces a 429 deferred while this batch was ours
    deferred: list[tuple[int, datetime]] = []
    for index, row in enumerate(rows):
        if row.workspace_id in held:
            continue
        if row.claimed_until is None or batch.clock.now() + batch.longest_send >= row.claimed_until:
            await _release(batch.db, rows[index:], batch.token)  # not ours long enough to send safely
            break
        conversation = (row.workspace_id, row.kind, *row.recipients)
        if conversation in paced:  # queue behind this conversation's earlier rows, in order
            slot, spacing = paced[conversation]
            paced[conversation] = (slot + spacing, spacing)
            deferred.append((row.id, slot + spacing))
            continue
        workspace = batch.workspaces[row.workspace_id]
        messenger = batch.messengers[workspace.platform]
        if wait := await _paced(batch, messenger, row):  # another instance, or we, just sent there
            paced[conversation] = (wait, messenger.pace.interval if messenger.pace else timedelta())
            deferred.append((row.id, wait))
            continue
        try:
            if await _deliver_one(batch, row, messenger, workspace.external_id, report):
                held.add(row.workspace_id)
        except RateLimited as limit:  # this conversation alone must wait
            slot = batch.clock.now() + timedelta(seconds=limit.retry_after)
            paced[conversation] = (slot, timedelta(seconds=limit.spacing))
            deferred.append((row.id, slot))
    return deferred


async def _paced(batch: _Batch, messenger: Messenger, row: Outbox) -> datetime | None:
    """When the row's conversation can next take a message, if not now (and a slot taken if
    so). An answer that goes back through the platform's reply channel is not paced."""
    now = batch.clock.now()
    pace = getattr(messenger, "pace", None)
    if pace is None or _reply_to(row, now):
        return None
    key = f"{row.workspace_id}:{'+'.join(sorted(row.recipients))}"
    return await take_slot(batch.db, key, pace, now)


def _reply_to(row: Outbox, now: datetime) -> str | None:
    """Where a reply may still go instead of a DM (a response URL not yet expired)."""
    usable = row.kind == "reply" and row.reply_until and now < row.reply_until
    return row.reply_to if usable else None


async def _deliver_one(batch: _Batch, row: Outbox, messenger, team, report) -> bool:
    """Send one row and record what happened; True when its whole workspace must now wait.
    A send that takes longer than its share of the lease is given up (and retried)."""
    gone, hold, now = None, None, batch.clock.now()
    try:
        async with asyncio.timeout(batch.longest_send.total_seconds()):
            await send(messenger, team, row, Message.from_dict(row.payload), now)
        values = {"status": "sent", "sent_at": now, "claimed_until": None, "last_error": None}
        if row.kind == "reply":
            values["payload"] = {}  # for the asker alone (an export, say): not kept once sent
        report.sent += 1
    except RateLimited as limit:
        if not limit.workspace:
            raise
        hold = now + timedelta(seconds=limit.retry_after)
        values = {"not_before": hold, "claimed_until": None, "claim_token": None}
        report.deferred += 1
    except PermanentError as error:
        values = {"status": "failed", "claimed_until": None, "last_error": str(error)[:500]}
        report.failed += 1
        report.errors.append(str(error))
        log.warning("outbox %s failed permanently: %s", row.id, error)
        gone = error.gone
    except Exception as error:  # transient, or a bug: retried with backoff, then parked
        if not isinstance(error, TransientError | TimeoutError):
            log.exception("outbox %s: unexpected error while sending", row.id)
        attempts = row.attempts + 1
        parked = attempts >= MAX_ATTEMPTS
        values = {
            "attempts": attempts, "status": "parked" if parked else "pending",
            "not_before": now + backoff(attempts, getattr(error, "retry_after", None)),
            "claimed_until": None, "last_error": (str(error) or type(error).__name__)[:500],
        }
        if parked:
            report.failed += 1
        else:
            report.retried += 1
    outcome = "deferred" if hold else str(values.get("status", "retried")).replace("pending", "retried")
    metrics.SENDS.labels(batch.workspaces[row.workspace_id].platform, outcome).inc()
    async with batch.db.transaction() as session:
        await settle_outbox_row(session=session, row_id=row.id, token=batch.token, values=values)
        if gone:
            await reachability.unreachable(session, row.workspace_id, gone, now)
        if hold:
            await hold_workspace_outbox(session=session, workspace_id=row.workspace_id, until=hold,
                                        token=batch.token, now=now)
    return hold is not None


async def _defer(db: Database, rows: list[tuple[int, datetime]], token: str) -> None:
    if rows:
        async with db.transaction() as session:
            await defer_outbox_rows(session=session, rows=rows, token=token)


async def _release(db: Database, rows: list[Outbox], token: str) -> None:
    async with db.transaction() as session:
        await release_outbox_rows(session=session, ids=[r.id for r in rows if r.id], token=token)


async def send(messenger: Messenger, team: str, row: Outbox, message: Message, now: datetime) -> None:
    kind, recipients = row.kind, row.recipients
    if kind == "reply" and isinstance(messenger, Replies):
        await messenger.reply(team, recipients[0], message, _reply_to(row, now))
    elif kind in ("dm", "reply"):
        await messenger.send_dm(team, recipients[0], message)
    elif kind == "channel":
        await messenger.post_channel(team, recipients[0], message)
    elif kind == "group":
        await messenger.introduce(team, recipients, message)
    else:
        raise PermanentError(f"unknown outbox kind {kind!r}")
