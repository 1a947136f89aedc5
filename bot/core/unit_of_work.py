"""One use case, one transaction: who is acting, retries, idempotency, what it queued.

A refusal (a `PreceptorError`) rolls everything back and travels on to the platform's error
handler. A deadlock or lock timeout is retried; given up, it becomes `Busy`. Two instances
racing on one click end with `AlreadyDone` for the second. An `event_key` makes a platform's
retry a no-op (None is returned), recorded with the work so a failure leaves it retryable.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import TypeVar, overload

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.app.settings import Settings
from bot.core.actor import Actor
from bot.core.clock import Clock
from bot.core.errors import AlreadyDone, Busy, PreceptorError
from bot.core.messages import Message
from bot.core.turn import Turn
from bot.delivery import outbox
from bot.delivery.waking import is_valid_zone
from bot.matching.aspects import Catalog
from bot.privacy.guard import Guard
from storage.engine import Database
from storage.models import InboxItem
from storage.models.people import GUEST, MEMBER, STAFF
from storage.queries.events import record_event
from storage.queries.inbox import settle_inbox_item
from storage.queries.members import get_or_create_member, get_or_create_workspace

log = logging.getLogger(__name__)
RETRIES = 3
WORK_TIMEOUT = 10.0  # seconds a use case's transaction may take before it is given up
JUST_DONE = "That was just done (perhaps a double click); nothing more to do."
T = TypeVar("T")


class UnitOfWork:
    def __init__(self, *, db: Database, settings: Settings, clock: Clock, guard: Guard,
                 channels: Mapping[str, str | None], queued: Callable[[], None]):
        self.db, self.settings, self.clock, self.guard = db, settings, clock, guard
        self._channels = dict(channels)
        self._queued = queued   # told when a transaction queued messages for the outbox
        self._curated: Catalog | None = None
        self._curated_lock = asyncio.Lock()

    async def curated(self) -> Catalog:
        """The curated aspects, read once (the first requests after a start wait together)."""
        if self._curated is None:
            async with self._curated_lock:
                if self._curated is None:
                    async with self.db.transaction() as session:
                        self._curated = await Catalog.load(session, None)
        return self._curated

    @overload
    async def run(self, actor: Actor, use_case: Callable[[Turn], Awaitable[T]]) -> T: ...

    @overload
    async def run(self, actor: Actor, use_case: Callable[[Turn], Awaitable[T]],
                  event_key: str | None) -> T | None: ...

    async def run(self, actor: Actor, use_case: Callable[[Turn], Awaitable[T]],
                  event_key: str | None = None) -> T | None:
        """`use_case` on a `Turn` for `actor`; None when `event_key` was already handled."""
        curated = await self.curated()

        async def work(session: AsyncSession, now: datetime):
            return await use_case(await self._turn(session, actor, now, curated))

        return await self.transaction(work, event_key)

    async def answer(self, actor: Actor, use_case: Callable[[Turn], Awaitable[Message]],
                     item: InboxItem) -> Message | None:
        """Work a claimed inbox item in one transaction: settle it, run the use case (a
        refusal is its answer and undoes only the use case), queue the answer to the actor.
        None: the item's lease ran out and another worker has it now."""
        curated = await self.curated()

        async def work(session: AsyncSession, now: datetime) -> Message | None:
            if not await settle_inbox_item(session=session, item_id=item.id,
                                           token=item.claim_token, now=now):
                return None
            turn = await self._turn(session, actor, now, curated)
            try:
                async with session.begin_nested():
                    reply = await use_case(turn)
            except PreceptorError as error:
                reply = Message(error.message)
            except IntegrityError:
                reply = Message(JUST_DONE)
            await outbox.reply(session, workspace_id=turn.workspace.id, user_id=item.user_id,
                               message=reply, now=now, key=item.key, reply_to=item.reply_to,
                               reply_until=item.reply_until)
            return reply

        return await self.transaction(work)

    async def transaction(self, work: Callable[[AsyncSession, datetime], Awaitable[T]],
                          event_key: str | None = None) -> T | None:
        """`work(session, now)` in one transaction, retried, idempotent by `event_key`."""

        async def attempt():
            now = self.clock.now()

            async def body(session: AsyncSession):
                if event_key and not await record_event(session=session, key=event_key, now=now):
                    return None, False
                return await work(session, now), session.info.pop("outbox", False)

            return await self.db.within(WORK_TIMEOUT, body)

        try:
            result, queued = await with_retries(attempt)
        except IntegrityError:
            raise AlreadyDone(JUST_DONE) from None
        except OperationalError:
            log.exception("database busy; gave up after %d attempts", RETRIES)
            raise Busy() from None
        except TimeoutError:
            log.warning("the database did not answer within %s s; gave up", WORK_TIMEOUT)
            raise Busy() from None
        if queued:
            self._queued()
        return result

    async def first_time(self, key: str) -> bool:
        """Record an inbound event id; False if it was already handled (a platform retry)."""
        async with self.db.transaction() as session:
            return await record_event(session=session, key=key, now=self.clock.now())

    async def _turn(self, session: AsyncSession, actor: Actor, now: datetime, curated: Catalog) -> Turn:
        workspace = await get_or_create_workspace(
            session=session, platform=actor.platform, external_id=actor.team, now=now)
        workspace.active = True  # someone is using it, so it is installed
        if workspace.channel is None and self._channels.get(actor.platform):
            workspace.channel = self._channels[actor.platform]
        me, _ = await get_or_create_member(
            session=session, workspace_id=workspace.id, platform_user_id=actor.user_id, now=now,
            tz=self.settings.preceptor_timezone)
        if actor.name:
            me.name = actor.name
        if actor.tz and is_valid_zone(actor.tz):
            me.tz = actor.tz
        if actor.email:
            me.email = actor.email
        if actor.guest is not None and me.affiliation != STAFF:
            me.affiliation = GUEST if actor.guest else MEMBER
        me.last_active_at, me.unreachable = now, False  # they are here, so they can be reached
        return Turn(session, now, self.settings, workspace, me, curated, actor.channel, self.guard)


async def with_retries(attempt: Callable[[], Awaitable[T]]) -> T:
    """Run one transaction; a deadlock or a lock timeout (OperationalError) is retried."""
    for n in range(1, RETRIES):
        try:
            return await attempt()
        except OperationalError:
            await asyncio.sleep(0.05 * n)
    return await attempt()
