"""`preceptor try`: type commands as anyone in a demo hospital and see what each person gets.

Meta commands: `as <name>` switches who you are, `people` lists everyone, `time +15d` moves
the clock (h, d or w), a number presses that button, `quit` leaves. Everything else goes to
the core exactly as a Slack command or a Teams message would. The buttons of what was just
shown are numbered from 1 in the order shown, so a suggestion listed first is button [1].
"""

import re
from dataclasses import replace
from datetime import timedelta

from rapidfuzz import fuzz, process

from bot.app.assembly import Application
from bot.core.actor import Actor
from bot.core.clock import FixedClock
from bot.core.errors import answered
from bot.core.messages import Message, plain
from bot.core.wording import plural
from handlers.console.demo import DEMO_STAFF
from handlers.console.messenger import ConsoleMessenger

TEAM = "demo-hospital"
CHANNEL = "#mentoring"
_TIME = re.compile(r"^time\s*\+\s*(\d{1,4})\s*([hdw])$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
META_HELP = """In this local workspace you can also type:
• `as <name>` — be someone else (`people` lists everyone; the mentoring lead is marked)
• `time +<n>h`, `time +<n>d`, `time +<n>w` — move the clock, and see what it brings
• a number — press that button of what was just shown
• `quit` (or Ctrl-D, Ctrl-C) — leave"""


class ConsoleWorkspace:
    def __init__(self, app: Application, messenger: ConsoleMessenger, clock: FixedClock):
        self.app, self.messenger, self.clock = app, messenger, clock
        self.people: dict[str, str] = {}  # user id -> name
        self.me = ""  # who is typing: the first demo person once the demo is loaded
        self._buttons: dict[int, tuple[str, str]] = {}

    async def load_demo(self) -> None:
        """Create the demo staff through the core, as if each had filled in their profile."""
        for person in DEMO_STAFF:
            self.people[person["id"]] = person["name"]
            actor = self._actor(person["id"], person["tz"])
            await self.app.dispatch.command(actor, f"mentor profile {person['profile']}")
            if person["offers"]:
                await self.app.dispatch.command(actor, f"mentor offer {person['offers']}")
        self.me = DEMO_STAFF[0]["id"]
        await self.app.tick.run()
        self.messenger.take()

    def _actor(self, user_id: str, tz: str | None = None) -> Actor:
        return Actor("console", TEAM, user_id, name=self.people[user_id], tz=tz)

    @property
    def prompt(self) -> str:
        when = self.clock.now().strftime("%a %d %b %H:%M UTC")
        return f"[{self.people[self.me]} · {when}] > "

    async def handle(self, line: str) -> str:
        """Run one line and return everything it printed."""
        line = line.strip()
        if not line or line.startswith("#"):
            return ""
        word = line.lower().split()[0]
        if word == "as":
            return self._switch(line[2:].strip())
        if line.lower() == "people":
            return self._people()
        if word == "time":
            return await self._time(line)
        if line.isdecimal():
            if int(line) not in self._buttons:
                return f"There's no button [{line}].\n"
            action_id, value = self._buttons[int(line)]
            reply = await answered(self.app.dispatch.press(self._actor(self.me), action_id, value))
        else:
            reply = await answered(self.app.dispatch.command(self._actor(self.me), line))
            assert reply is not None  # None only for a platform's replayed event
            if line.lstrip("/").lower() in ("help", "mentor", "mentor help", "?"):
                reply = replace(reply, sections=(*reply.sections, META_HELP))
        shown = [(f"to {self.people[self.me]} (only you)", reply), *await self._deliveries()]
        return self._show(shown)

    def _people(self) -> str:
        lead = self.app.settings.admins
        return "".join(f"  {name} ({uid}){' — the mentoring lead' if uid in lead else ''}\n"
                       for uid, name in self.people.items())

    async def _time(self, line: str) -> str:
        match = _TIME.match(line)
        if not match:
            return ("Move the clock with `time +<n>h`, `time +<n>d` or `time +<n>w` "
                    "(up to 9999), e.g. `time +15d`.\n")
        amount, unit = int(match.group(1)), _UNITS[match.group(2).lower()]
        self.clock.advance(timedelta(**{unit: amount}))
        moved = (f"(the clock moves {plural(amount, unit[:-1])}: it is now "
                 f"{self.clock.now():%a %d %b %H:%M} UTC)\n")
        return moved + self._show(await self._deliveries())

    def _switch(self, who: str) -> str:
        if not who:
            return "Say who: `as <name>` (`people` lists everyone).\n"
        if who in self.people:
            self.me = who
        else:
            best = process.extractOne(who, self.people, scorer=fuzz.WRatio, score_cutoff=80)
            if best is None:
                return f"No one called {who!r} here; `people` lists everyone.\n"
            self.me = best[2]
        return f"(you are now {self.people[self.me]})\n"

    async def _deliveries(self) -> list[tuple[str, Message]]:
        await self.app.tick.run()
        out = []
        for delivery in self.messenger.take():
            if delivery.to.startswith("group:"):
                names = ", ".join(self.people.get(u, u) for u in self.messenger.members_of(delivery.to))
                heading = f"group message to {names}"
            else:
                heading = f"to {self.people.get(delivery.to, delivery.to)}"
            out.append((heading, delivery.message))
        return out

    def _show(self, shown: list[tuple[str, Message]]) -> str:
        """The messages, their buttons numbered from 1 in the order shown; those numbers
        replace the last ones when anything shown has buttons."""
        buttons: dict[int, tuple[str, str]] = {}
        text = "".join(_render(heading, message, buttons) for heading, message in shown)
        if buttons:
            self._buttons = buttons
        return text


def _render(heading: str, message: Message, buttons: dict[int, tuple[str, str]]) -> str:
    lines = [f"── {heading}", *("  " + plain(t) for t in message.text.splitlines())]
    for section in message.sections:
        lines += ["  " + plain(t) for t in section.splitlines()]
    for context in message.context:
        lines.append(f"  ({plain(context)})")
    if message.file:
        lines.append(f"  [file {message.file[0]}]")
        lines += ["    " + line for line in message.file[1].splitlines()]
    if message.buttons:
        labels = []
        for button in message.buttons:
            number = len(buttons) + 1
            buttons[number] = (button.action_id, button.value)
            labels.append(f"[{number}] {button.label}")
        lines.append("  " + "   ".join(labels))
    return "\n".join(lines) + "\n"
