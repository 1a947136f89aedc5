"""What every Slack listener is handed: the core's entry points, the inbox, and the Slack calls
they share (who someone is, the home tab, the profile form). It is also the inbox worker's
Slack part: who sent an item, and the follow-up an item named."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.core import metrics
from bot.core.actor import Actor
from bot.core.dispatch import Dispatch
from bot.core.errors import Busy, PreceptorError, answered
from bot.core.inbox import Inbox, Received
from bot.core.messages import Message
from bot.core.workspace_events import WorkspaceEvents
from handlers.slack import render
from handlers.slack.directory import Directory
from handlers.slack.installs import Installs
from storage.models import InboxItem

log = logging.getLogger(__name__)
# Slack lets an app answer through a response URL for 30 minutes; a minute is kept for a send
# under way. After that the answer goes by DM.
RESPONSE_URL_LIFETIME = timedelta(minutes=29)
# A read-only command answered within this goes back in the acknowledgement itself; slower, it
# is written down and answered as any other (still well inside Slack's 3 s when the database
# is away: this, then the inbox's own 2 s).
AT_ONCE_SECONDS = 0.5


@dataclass(frozen=True)
class SlackEdge:
    dispatch: Dispatch
    events: WorkspaceEvents
    inbox: Inbox
    directory: Directory
    installs: Installs
    _later: set = field(default_factory=set, compare=False, repr=False)

    async def take(self, item: Received, ack: Callable[[], Awaitable],
                   refused: Callable[[Message], Awaitable]) -> None:
        """Write the item down, then acknowledge. A refusal (words that do not parse or look
        like patient information, a database out of reach) is answered by `refused` at once,
        which acknowledges too, and nothing is kept."""
        try:
            await self.inbox.receive(item)
        except PreceptorError as error:
            await refused(Message(error.message))
            return
        await ack()

    async def at_once(self, item: Received) -> Message | None:
        """A read-only command's answer, for the acknowledgement itself; None when the command
        writes, or its answer did not come within `AT_ONCE_SECONDS` (or the database was
        busy): then it is written down and answered as any other."""
        if not self.dispatch.read_only(item.text):
            return None
        try:
            async with asyncio.timeout(AT_ONCE_SECONDS):
                actor = replace(await self.actor_of(item.team, item.user_id), channel=item.channel)
                reply = await self.dispatch.command(actor, item.text)
            metrics.REQUESTS.labels(item.kind, "answered").inc()
            return reply
        except Busy:
            return None
        except PreceptorError as error:
            return Message(error.message)
        except (TimeoutError, OSError):
            return None

    async def actor(self, item: InboxItem) -> Actor:
        who = await self.actor_of(item.team, item.user_id)
        return replace(who, channel=item.channel)

    async def after(self, item: InboxItem, actor: Actor, reply: Message) -> None:
        if item.body.get("after") == "home":
            await self.publish_home((await self.installs.of(item.team)).client, actor)

    def later(self, work: Awaitable) -> None:
        """Run `work` after Slack is answered: a nicety (the home tab, a form's contents), so
        an instance that dies first loses nothing anyone was promised."""
        task = asyncio.ensure_future(work)
        self._later.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task) -> None:
        self._later.discard(task)
        if not task.cancelled() and task.exception():
            log.warning("Slack follow-up failed: %s", type(task.exception()).__name__)

    async def actor_of(self, team: str, user: str) -> Actor:
        return await self.directory.actor(await self.installs.of(team), team, user)

    async def first_time(self, key: str) -> bool:
        return await self.events.first_time(f"slack:{key}")

    async def publish_home(self, client: AsyncWebClient, who: Actor) -> None:
        reply, paused = await self.dispatch.home(who)
        await client.views_publish(user_id=who.user_id, view=render.home_view(reply, paused))

    async def open_profile(self, client: AsyncWebClient, team: str, body: dict) -> None:
        """Open the form at once (the trigger lasts 3 s); fill it in after Slack is answered."""
        opened = await client.views_open(trigger_id=body["trigger_id"], view=render.profile_modal())
        self.later(self._fill_profile(client, team, user_of(body), opened["view"]))

    async def _fill_profile(self, client: AsyncWebClient, team: str, user: str, view: dict) -> None:
        who = await self.actor_of(team, user)
        values = await answered(self.dispatch.profile_fields(who))
        if isinstance(values, dict):
            await client.views_update(view_id=view["id"], hash=view["hash"],
                                      view=render.profile_modal(values))


def user_of(body: dict) -> str:
    return body.get("user_id") or body["user"]["id"]
