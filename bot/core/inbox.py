"""The durable inbox: a command or click is written down before the platform is told "got it",
then worked from the table by whichever instance is free, and answered through the outbox.

A crash after the acknowledgement loses nothing: an item no worker finished is leased again
once its worker's lease has run out, and answered where the platform still allows (Slack's
response URL, for 30 minutes), else by DM. The platform's own id for the request is the
item's key, so a replay of the same request is acknowledged and not worked twice. An item
that fails `MAX_ATTEMPTS` times is answered with an apology and set aside.
"""

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import metrics
from bot.core.actor import Actor
from bot.core.dispatch import Dispatch
from bot.core.errors import Busy
from bot.core.group_commit import GroupCommit
from bot.core.messages import Message
from bot.core.unit_of_work import UnitOfWork
from bot.delivery import outbox
from storage.models import InboxItem
from storage.queries.inbox import (
    claim_inbox_items,
    insert_inbox_items,
    purge_inbox,
    release_inbox_item,
    settle_inbox_item,
)
from storage.queries.members import get_or_create_workspace

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)  # a worker that died with an item delays it this long (as the outbox)
MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(seconds=15)  # after a failed attempt, times the attempts so far
RECEIVE_TIMEOUT = 2.0  # seconds to write an item down: the acknowledgement must beat Slack's 3
KEPT_AGAINST_REPLAYS = timedelta(days=1)  # a worked item's key; Slack retries within minutes
SORRY = ("Something went wrong on my side and I couldn't do that; nothing was changed. "
         "Please try again in a few minutes.")


@dataclass(frozen=True)
class Received:
    """What a platform edge hands the inbox. `key` is the platform's own id for the request;
    `reply_to` is where the answer may go instead of a DM, for `reply_for`; `after` names a
    follow-up the edge does once the item is worked (Slack: "home", to redraw the home tab)."""

    key: str
    platform: str
    team: str
    user_id: str
    kind: str  # "command" | "press"
    text: str = ""
    action_id: str = ""
    value: str = ""
    channel: str | None = None
    reply_to: str | None = None
    reply_for: timedelta | None = None
    after: str | None = None

    def row(self, now: datetime) -> dict:
        body = ({"text": self.text} if self.kind == "command"
                else {"action_id": self.action_id, "value": self.value})
        return {
            "key": self.key[:200], "platform": self.platform, "team": self.team,
            "user_id": self.user_id, "channel": self.channel, "kind": self.kind,
            "body": {**body, "after": self.after}, "reply_to": self.reply_to,
            "reply_until": now + self.reply_for if self.reply_to and self.reply_for else None,
            "status": "pending", "attempts": 0, "received_at": now,
        }


class Inbox:
    def __init__(self, *, work: UnitOfWork, dispatch: Dispatch, timeout: float = RECEIVE_TIMEOUT,
                 lease: timedelta = LEASE):
        """`lease`: how long an item stays with the worker that claimed it. One still being
        worked when it runs out may be claimed again, and only one of the two is kept (the
        item is settled in the same transaction as its work), so it bounds how late an item
        a dead instance held is answered, not correctness."""
        self.work, self.dispatch, self.timeout, self.lease = work, dispatch, timeout, lease
        self.arrived = asyncio.Event()  # set when this instance wrote an item down
        self._writes = GroupCommit(work.db, insert_inbox_items, timeout)

    async def receive(self, item: Received) -> bool:
        """Write `item` down (a group commit); False if it already was (a replay). A command
        that does not parse or looks like patient information is refused first (raised:
        nothing is written); `Busy` is raised when the database cannot take it within
        `timeout`."""
        if item.kind == "command":
            try:
                self.dispatch.screen(item.text)
            except Exception:
                metrics.REQUESTS.labels(item.kind, "refused").inc()
                raise
        try:
            new = await self._writes.add(item.row(self.work.clock.now()))
        except (TimeoutError, SQLAlchemyError, OSError) as error:
            log.warning("could not write a %s down (%s); told the person to try again",
                        item.kind, type(error).__name__)
            metrics.REQUESTS.labels(item.kind, "busy").inc()
            raise Busy() from None
        metrics.REQUESTS.labels(item.kind, "written" if new else "replay").inc()
        if new:
            self.arrived.set()
        return new

    async def claim(self, platforms: list[str], limit: int) -> list[InboxItem]:
        """Lease up to `limit` waiting items to this worker."""
        async with self.work.db.transaction() as session:
            return await claim_inbox_items(session=session, now=self.work.clock.now(), limit=limit,
                                           lease=self.lease, token=uuid.uuid4().hex, platforms=platforms)

    async def answer(self, item: InboxItem, actor: Actor) -> Message | None:
        """Work one claimed item; its answer, or None when another worker has it now or the
        attempt failed (it is tried again later; after the last attempt, an apology)."""
        try:
            return await self.work.answer(actor, self.dispatch.item_use_case(item.kind, item.body), item)
        except Exception:
            log.exception("inbox item %s failed (attempt %d of %d)", item.id, item.attempts, MAX_ATTEMPTS)
        try:
            if item.attempts >= MAX_ATTEMPTS:
                await self.work.transaction(lambda session, now: self._apologise(session, now, item))
            else:
                await self._later(item)
        except Exception:
            log.exception("inbox item %s: could not record the failure; its lease runs out", item.id)
        return None

    async def _apologise(self, session: AsyncSession, now: datetime, item: InboxItem) -> None:
        if not await settle_inbox_item(session=session, item_id=item.id, token=item.claim_token,
                                       now=now, status="failed"):
            return
        workspace = await get_or_create_workspace(session=session, platform=item.platform,
                                                  external_id=item.team, now=now)
        await outbox.reply(session, workspace_id=workspace.id, user_id=item.user_id,
                           message=Message(SORRY), now=now, key=item.key, reply_to=item.reply_to,
                           reply_until=item.reply_until)

    async def _later(self, item: InboxItem) -> None:
        until = self.work.clock.now() + RETRY_AFTER * item.attempts
        async with self.work.db.transaction() as session:
            await release_inbox_item(session=session, item_id=item.id, token=item.claim_token, until=until)


async def forget_worked(session: AsyncSession, now: datetime, limit: int) -> int:
    """A tick step: items worked more than a day ago are deleted (their bodies went already)."""
    return await purge_inbox(session=session, before=now - KEPT_AGAINST_REPLAYS, limit=limit)
