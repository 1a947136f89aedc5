"""Deliver the outbox: claim due rows, send each through its platform's Messenger, record.

Each row is marked sent in its own transaction right after the send, so a crash repeats at
most the one message in flight. Transient failures back off with jitter (or the platform's
`Retry-After`); after `MAX_ATTEMPTS` a row is parked. Permanent failures are recorded once.
"""

import logging
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col

from bot import reachability
from bot.messages import Message
from bot.messenger import Messenger, PermanentError, TransientError
from storage.engine import Database
from storage.models import Outbox, Workspace
from storage.queries import claim_due_outbox

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)  # well beyond a batch of sends, each with a 30 s timeout
MAX_ATTEMPTS = 8
BASE_BACKOFF_SECONDS = 30
MAX_BACKOFF_SECONDS = 3600


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int, retry_after: float | None, rng: random.Random = random) -> timedelta:
    """Exponential backoff with full jitter, never sooner than the platform asked."""
    ceiling = min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** (attempts - 1))
    seconds = rng.uniform(ceiling / 2, ceiling)
    return timedelta(seconds=max(seconds, retry_after or 0))


async def deliver_due(
    db: Database, messengers: Mapping[str, Messenger], now: datetime, batch: int = 20
) -> DeliveryReport:
    """Send everything due at `now` for the platforms we have messengers for."""
    report = DeliveryReport()
    if not messengers:
        return report
    while True:
        token = uuid.uuid4().hex
        async with db.transaction() as session:
            rows = await claim_due_outbox(
                session=session, now=now, limit=batch, lease=LEASE, token=token,
                platforms=list(messengers),
            )
            workspaces = {
                i: await session.get_one(Workspace, i) for i in {r.workspace_id for r in rows}
            }
        if not rows:
            return report
        for row in rows:
            workspace = workspaces[row.workspace_id]
            await _deliver_one(db, row, messengers[workspace.platform], workspace.external_id,
                               token, now, report)
        if len(rows) < batch:
            return report


async def _deliver_one(db, row: Outbox, messenger, team, token, now, report) -> None:
    gone = None
    try:
        await send(messenger, team, row.kind, row.recipients, Message.from_dict(row.payload))
        values = {"status": "sent", "sent_at": now, "claimed_until": None, "last_error": None}
        report.sent += 1
    except PermanentError as error:
        values = {"status": "failed", "claimed_until": None, "last_error": str(error)[:500]}
        report.failed += 1
        report.errors.append(str(error))
        log.warning("outbox %s failed permanently: %s", row.id, error)
        gone = error.gone
    except Exception as error:  # transient, or a bug: retried with backoff, then parked
        if not isinstance(error, TransientError):
            log.exception("outbox %s: unexpected error while sending", row.id)
        attempts = row.attempts + 1
        parked = attempts >= MAX_ATTEMPTS
        values = {
            "attempts": attempts, "status": "parked" if parked else "pending",
            "not_before": now + backoff(attempts, getattr(error, "retry_after", None)),
            "claimed_until": None, "last_error": (str(error) or type(error).__name__)[:500],
        }
        report.failed += parked
        report.retried += not parked
    async with db.transaction() as session:
        await session.exec(
            update(Outbox)
            .where(col(Outbox.id) == row.id, col(Outbox.claim_token) == token)
            .values(**values)
        )
        if gone:
            await reachability.unreachable(session, row.workspace_id, gone, now)


async def send(messenger: Messenger, team: str, kind: str, recipients: list[str],
               message: Message) -> None:
    if kind == "dm":
        await messenger.send_dm(team, recipients[0], message)
    elif kind == "channel":
        await messenger.post_channel(team, recipients[0], message)
    elif kind == "group":
        conversation = await messenger.open_group_dm(team, recipients)
        await messenger.post_channel(team, conversation, message)
    else:
        raise PermanentError(f"unknown outbox kind {kind!r}")
