"""The core every platform calls: commands, button presses, profile forms and the tick.

A handler turns its platform's payload into an `Actor` plus words or a button, calls one
method here, and renders the `Message` that comes back. Each call is one transaction: a
refusal rolls everything back and becomes a private sentence.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import col, or_, select

from bot.app.admission import Admission
from bot.app.settings import Settings
from bot.core.clock import Clock, FixedClock
from bot.core.errors import PreceptorError
from bot.core.grammar import Command, parse
from bot.core.messages import Message
from bot.core.turn import Turn, is_paused
from bot.delivery import outbox
from bot.delivery.loop import DeliveryReport, deliver_until_idle
from bot.delivery.messenger import Messenger, ReadsRosters
from bot.delivery.waking import is_valid_zone
from bot.matching import familiarity
from bot.matching.aspects import Catalog
from bot.matching.familiarity import Observation
from bot.privacy.guard import Guard
from bot.usecases import admin, checkins, impact, intros, learning, profile, rights, status
from storage.engine import Database
from storage.models import InboundEvent, Member, Workspace
from storage.queries import (
    find_reference,
    get_or_create_member,
    get_or_create_workspace,
    members_by_platform_id,
    save_reference,
)

log = logging.getLogger(__name__)
BATCH = 200
SHUTDOWN_GRACE_SECONDS = 5
RETRIES = 3
ROSTER_EVERY = timedelta(days=1)
MAX_COMMAND = 4000

COMMANDS: dict[str, Callable[[Turn, Command], Awaitable[Message]]] = {
    "help": status.help_,
    "status": status.status,
    "learn": learning.learn,
    "offer": profile.offer,
    "profile": profile.profile,
    "capacity": profile.capacity,
    "pause": profile.pause,
    "resume": profile.resume,
    "reply": checkins.typed_reply,
    "reflect": checkins.reflect,
    "admin_channel": admin.set_channel,
    "admin_report": admin.report,
    "clear_inferred": profile.clear_inferred,
    "thanks": impact.thanks,
    "impact": impact.impact,
    "export": rights.export,
    "forget_me": rights.forget_me,
}

BUTTONS: dict[str, Callable[[Turn, str], Awaitable[Message]]] = {
    "offer_help": intros.volunteer,
    "request_intro": intros.request_intro,
    "intro_accept": intros.accept,
    "intro_decline": intros.decline,
    **{action: (lambda a: lambda t, v: checkins.press(t, a, v))(action)
       for action in checkins.BY_ACTION},
}


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the platform names them; `name`/`tz` refresh the profile when given."""

    platform: str
    team: str
    user_id: str
    name: str | None = None
    tz: str | None = None
    email: str | None = None  # the sign-in name, where a platform needs it (Teams chat links)
    channel: str | None = None  # where the command was typed, when the platform says


@dataclass
class TickReport:
    expired_asks: int = 0
    resumed: int = 0
    checkins: int = 0
    delivery: DeliveryReport | None = None


class Preceptor:
    def __init__(self, db: Database, settings: Settings, clock: Clock,
                 messengers: Mapping[str, Messenger] | None = None,
                 channels: Mapping[str, str | None] | None = None, guard: Guard | None = None):
        self.db, self.settings, self.clock = db, settings, clock
        self.guard = guard or Guard()
        self.messengers = dict(messengers or {})
        self.channels = dict(channels or {})
        self._curated: Catalog | None = None
        self._curated_lock = asyncio.Lock()
        self.deliver_immediately = False  # the server turns this on; tests tick by hand
        self._delivering: asyncio.Task | None = None
        self._queued = asyncio.Event()  # rows queued since delivery last looked
        self.admission = Admission()  # acknowledgements first, then the work they started

    async def curated(self) -> Catalog:
        """The curated aspects, read once (the first requests after a start wait together)."""
        if self._curated is not None:
            return self._curated
        async with self._curated_lock:
            if self._curated is None:
                async with self.db.transaction() as session:
                    self._curated = await Catalog.load(session, None)
        return self._curated

    async def command(self, actor: Actor, text: str, event_key: str | None = None) -> Message | None:
        """Words typed or sent as a slash command. With `event_key`, None means "already
        handled" (a platform retry)."""
        if len(text) > MAX_COMMAND:
            return Message(f"That's longer than I take ({MAX_COMMAND:,} characters); "
                           "please shorten it. Nothing was changed.")
        try:
            cmd = parse(text)
        except PreceptorError as error:
            return Message(error.message)
        return await self._run(actor, lambda t: COMMANDS[cmd.name](t, cmd), event_key)

    async def press(self, actor: Actor, action_id: str, value: str,
                    event_key: str | None = None) -> Message | None:
        """A button: `action_id` says what, `value` names the object it acts on."""
        handler = BUTTONS.get(action_id)
        if handler is None:
            return Message("That button isn't one I know.")
        return await self._run(actor, lambda t: handler(t, str(value)[:100]), event_key)

    async def home(self, actor: Actor) -> tuple[Message, bool]:
        """The status for a platform's home tab, and whether the person is paused."""

        async def home_(t: Turn):
            mine = await status.status(t, Command("status"))
            lead = await admin.headline(t)
            if lead:
                mine = replace(mine, sections=(lead, *mine.sections))
            return mine, is_paused(t.me, t.now)

        return await self._run(actor, home_)

    async def profile_fields(self, actor: Actor) -> dict[str, str]:
        """Current profile values, as strings, to fill a platform's profile form."""
        return await self._run(actor, lambda t: _as_fields(t.me))

    async def workspace_removed(self, platform: str, team: str) -> None:
        """The app was uninstalled or its tokens revoked: stop sending there."""
        async with self.db.transaction() as session:
            workspace = await get_or_create_workspace(
                session=session, platform=platform, external_id=team, now=self.clock.now()
            )
            workspace.active = False

    async def save_profile(self, actor: Actor, fields: dict[str, str]) -> Message:
        return await self._run(
            actor, lambda t: profile.profile(t, Command("profile", fields=dict(fields)))
        )

    async def _run(self, actor: Actor, use_case, event_key: str | None = None):
        """One use case in one transaction. A refusal rolls back and becomes the reply; a
        deadlock or lock timeout is retried; `event_key` makes a platform retry a no-op
        (None is returned) and is recorded with the work, so a failure leaves it retryable."""
        curated = await self.curated()

        async def attempt():
            now = self.clock.now()
            async with self.db.transaction() as session:
                if event_key and not await _record_event(session, event_key, now):
                    return None, False
                result = await use_case(await self._turn(session, actor, now, curated))
                return result, session.info.pop("outbox", False)

        try:
            result, queued = await _with_retries(attempt)
        except PreceptorError as error:
            return Message(error.message)
        except IntegrityError:
            # Two instances raced on the same click; the other one did the work.
            return Message("That was just done (perhaps a double click); nothing more to do.")
        except OperationalError:
            log.exception("database busy; gave up after %d attempts", RETRIES)
            return Message("I'm very busy right now and couldn't do that; please try "
                           "again in a minute. Nothing was changed.")
        if queued:
            self.deliver_soon()
        return result

    async def _turn(self, session, actor: Actor, now: datetime, curated: Catalog) -> Turn:
        workspace = await get_or_create_workspace(
            session=session, platform=actor.platform, external_id=actor.team, now=now
        )
        workspace.active = True  # someone is using it, so it is installed
        if workspace.channel is None and self.channels.get(actor.platform):
            workspace.channel = self.channels[actor.platform]
        me, _ = await get_or_create_member(
            session=session, workspace_id=workspace.id, platform_user_id=actor.user_id, now=now
        )
        if actor.name:
            me.name = actor.name
        if actor.tz and is_valid_zone(actor.tz):
            me.tz = actor.tz
        if actor.email:
            me.email = actor.email
        me.last_active_at = now
        return Turn(session, now, self.settings, workspace, me, curated, actor.channel, self.guard)

    async def remember_conversation(self, platform: str, team: str, key: str,
                                    reference: dict) -> None:
        """Keep where to reach `key` (a user or channel) later; the newest wins."""
        async with self.db.transaction() as session:
            workspace = await get_or_create_workspace(
                session=session, platform=platform, external_id=team, now=self.clock.now()
            )
            await save_reference(session=session, workspace_id=workspace.id, key=key,
                                 reference=reference, now=self.clock.now())

    async def conversation(self, platform: str, team: str, key: str | None) -> dict | None:
        """A saved reference for `key`, or (key None) any of the workspace's, newest first."""
        async with self.db.transaction() as session:
            return await find_reference(session=session, platform=platform, team=team, key=key)

    async def contacts(self, platform: str, team: str, user_ids: list[str]) -> dict[str, Member]:
        """Profiles of these platform users (names, sign-in names), for platform rendering."""
        async with self.db.transaction() as session:
            return await members_by_platform_id(session=session, platform=platform, team=team,
                                                user_ids=user_ids)

    async def observe(self, platform: str, team: str, observation: Observation,
                      event_key: str | None = None) -> None:
        """Learn familiarity from a workspace event (who with whom; never the words)."""
        curated = await self.curated()

        async def attempt() -> None:
            now = self.clock.now()
            async with self.db.transaction() as session:
                if event_key and not await _record_event(session, event_key, now):
                    return
                workspace = await get_or_create_workspace(
                    session=session, platform=platform, external_id=team, now=now)
                await familiarity.observe(session, workspace_id=workspace.id, obs=observation,
                                          now=now, curated=curated)

        await _with_retries(attempt)

    async def workspaces(self, platform: str) -> list[str]:
        """External ids of this platform's workspaces that are installed."""
        async with self.db.transaction() as session:
            rows = await session.exec(select(Workspace.external_id).where(
                Workspace.platform == platform, Workspace.active == True))  # noqa: E712
            return list(rows.all())

    async def first_time(self, key: str) -> bool:
        """Record an inbound event id; False if it was already handled (a platform retry)."""
        async with self.db.transaction() as session:
            return await _record_event(session, key, self.clock.now())

    def deliver_soon(self) -> None:
        """Send what was just queued now rather than at the next tick (when enabled); a
        delivery already under way looks again, even if it was waiting out a window."""
        if not self.deliver_immediately:
            return
        self._queued.set()
        if not self._delivering or self._delivering.done():
            self._delivering = asyncio.get_running_loop().create_task(self._deliver_now())

    async def _deliver_now(self) -> None:
        try:
            while self._queued.is_set():  # rows queued just as the last pass finished
                await deliver_until_idle(self.db, self.messengers, self.clock,
                                         self.admission.give_way, self._queued)
        except Exception:
            log.exception("immediate delivery failed; the next tick retries")

    async def settle(self) -> None:
        """Wait for an immediate delivery in flight (tests)."""
        if self._delivering:
            await asyncio.gather(self._delivering, return_exceptions=True)

    async def close(self) -> None:
        """Stop: a delivery in flight gets a few seconds to finish; one still waiting out a
        rate limit then is cancelled (its rows stay in the outbox for the next tick)."""
        if self._delivering and not self._delivering.done():
            await asyncio.wait({self._delivering}, timeout=SHUTDOWN_GRACE_SECONDS)
            self._delivering.cancel()
        await self.settle()
        await self.db.dispose()

    async def tick(self, now: datetime | None = None) -> TickReport:
        """Everything due at `now`, once: expire asks, auto-resume, check-ins, deliveries."""
        clock = self.clock if now is None else FixedClock(now)
        now = clock.now()
        report = TickReport()
        report.expired_asks = await self._drain(lambda s: intros.expire_asks(s, now, BATCH))
        report.resumed = await self._drain(lambda s: self._auto_resume(s, now))
        report.checkins = await self._drain(lambda s: checkins.run_due(s, now, BATCH))
        await self._drain(lambda s: impact.send_quarterly(s, now, BATCH))
        await self._read_rosters(now)
        report.delivery = await deliver_until_idle(self.db, self.messengers, clock)
        return report

    async def _read_rosters(self, now: datetime) -> None:
        """Channel membership, read on install and refreshed daily, from platforms that can."""
        for platform, messenger in self.messengers.items():
            if not isinstance(messenger, ReadsRosters):
                continue
            async with self.db.transaction() as session:
                due = (await session.exec(
                    select(Workspace).where(
                        Workspace.platform == platform, Workspace.active == True,  # noqa: E712
                        or_(col(Workspace.rosters_read_at).is_(None),
                            col(Workspace.rosters_read_at) <= now - ROSTER_EVERY))
                    .with_for_update(skip_locked=True))).all()
                for workspace in due:
                    workspace.rosters_read_at = now  # claimed; a failure waits a day
            for workspace in due:
                try:
                    rosters = await messenger.channel_rosters(workspace.external_id)
                except Exception as error:
                    log.warning("reading channel rosters failed: %s", type(error).__name__)
                    continue
                for channel, members in rosters.items():
                    for user in members:
                        await self.observe(platform, workspace.external_id,
                                           Observation("joined", user, channel=channel))

    async def _drain(self, step) -> int:
        total = 0
        while True:
            async with self.db.transaction() as session:
                done = await step(session)
            total += done
            if done < BATCH:
                return total

    async def _auto_resume(self, session, now: datetime) -> int:
        due = (
            await session.exec(
                select(Member)
                .where(Member.paused == True, col(Member.paused_until) <= now)  # noqa: E712
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for member in due:
            # Only the person's own pause ends; their pairs were never paused by it.
            member.paused, member.paused_until = False, None
            await outbox.to_members(session, members=[member], now=now, message=Message(
                "Your pause has ended: you're available for asks and check-ins again. "
                "`/mentor pause` if you need more time."
            ))
        return len(due)


async def _as_fields(member: Member) -> dict[str, str]:
    values = {
        "role": member.role, "specialty": member.specialty, "department": member.department,
        "site": member.site, "career_start_year": member.career_start_year,
        "capacity": member.capacity,
        "quiet_hours": f"{member.quiet_start_hour}-{member.quiet_end_hour}",
    }
    return {k: str(v) for k, v in values.items() if v is not None}


async def _record_event(session, key: str, now: datetime) -> bool:
    """False if this inbound event was already recorded (and so handled)."""
    try:
        async with session.begin_nested():
            session.add(InboundEvent(key=key[:200], received_at=now))
    except IntegrityError:
        return False
    return True


async def _with_retries(attempt):
    """Run one transaction; a deadlock or a lock timeout (OperationalError) is retried."""
    for n in range(1, RETRIES + 1):
        try:
            return await attempt()
        except OperationalError:
            if n == RETRIES:
                raise
            await asyncio.sleep(0.05 * n)
