"""A small hospital to test in: the real core on a real database, the console as the platform."""

import asyncio
from datetime import datetime, timedelta

from bot.app.assembly import Application, build
from bot.app.settings import Settings
from bot.core.actor import Actor
from bot.core.clock import FixedClock
from bot.core.errors import answered
from bot.core.messages import Message, plain
from handlers.console.messenger import ConsoleMessenger
from storage.queries.observations import waiting_observations

TEAM = "T1"
CHANNEL = "#mentoring"


class World:
    def __init__(self, url: str, start: datetime, team: str = TEAM, **settings):
        self.team = team
        self.clock = FixedClock(start)
        self.messenger = ConsoleMessenger()
        self.settings = Settings(_env_file=None, database_url=url, **settings)
        self.app = self.build()
        self.db = self.app.db
        self.tz: dict[str, str] = {}
        self.inboxes: dict[str, list[Message]] = {}

    def build(self, **options) -> Application:
        """An application on this world's database: the console as its platform, unless
        `options` (any of `build`'s) say otherwise."""
        defaults = {"clock": self.clock, "messengers": {"console": self.messenger},
                    "channels": {"console": CHANNEL}}
        return build(self.settings, **{**defaults, **options})

    async def close(self) -> None:
        await self.app.close()

    def actor(self, who: str) -> Actor:
        return Actor("console", self.team, who, name=who.title(), tz=self.tz.get(who))

    async def person(self, who: str, profile: str = "", offers: str = "", tz: str = "America/New_York"):
        """Someone who filled in their profile (and maybe offered aspects) through the core."""
        self.tz[who] = tz
        reply = await self.cmd(who, f"mentor profile {profile}" if profile else "status")
        if offers:
            reply = await self.cmd(who, f"mentor offer {offers}")
        return reply

    async def cmd(self, who: str, text: str) -> Message:
        """`text` typed by `who`: the reply, or the refusal's sentence (as the console shows it)."""
        return await answered(self.app.dispatch.command(self.actor(who), text))

    async def press(self, who: str, action_id: str, value: str) -> Message:
        return await answered(self.app.dispatch.press(self.actor(who), action_id, value))

    async def observe(self, observation) -> None:
        """A workspace event in this world's team, written down and folded in at once (as
        the server's folder would, soon after)."""
        await self.app.events.observe("console", self.team, observation)
        await self.fold()

    async def fold(self) -> int:
        """Fold every observation waiting; how many there were."""
        total = 0
        while True:
            async with self.db.transaction() as session:
                done = await self.app.events.fold(session, self.clock.now(), 500)
            total += done
            if not done:
                return total

    async def tick(self):
        report = await self.app.tick.run()
        self._collect()
        return report

    async def advance(self, **delta):
        self.clock.advance(timedelta(**delta))
        return await self.tick()

    def _collect(self) -> None:
        for delivery in self.messenger.take():
            targets = self.messenger.members_of(delivery.to) or (delivery.to,)
            for target in targets:
                self.inboxes.setdefault(target, []).append(delivery.message)

    def inbox(self, who: str) -> list[Message]:
        """Everything delivered to `who` (or a channel) so far."""
        self._collect()
        return self.inboxes.get(who, [])

    def last(self, who: str) -> Message:
        return self.inbox(who)[-1]

    def texts(self, who: str) -> list[str]:
        return [text_of(m) for m in self.inbox(who)]


def text_of(message: Message) -> str:
    return plain("\n".join([message.text, *message.sections, *message.context]))


def button(message: Message, action_id: str, index: int = 0) -> str:
    """The value of the `index`-th button with this action id."""
    values = [b.value for b in message.buttons if b.action_id == action_id]
    assert values, f"no {action_id} button in: {message.text!r}"
    return values[index]


async def all_folded(db) -> None:
    """Wait until a server's folder has folded every observation written down (a row is
    marked folded in the transaction that folds it, so none waiting means all are in)."""
    async with asyncio.timeout(10):
        while True:
            async with db.transaction() as session:
                if not await waiting_observations(session=session):
                    return
            await asyncio.sleep(0.01)
