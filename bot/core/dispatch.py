"""What a command or a button means: the tables that name each use case, and the calls the
platform edges make. Every use case runs through the unit of work; refusals are raised."""

from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial

from bot.core.actor import Actor
from bot.core.errors import BadCommand
from bot.core.grammar import Command, parse
from bot.core.messages import Message
from bot.core.screening import screen
from bot.core.turn import Turn, is_paused
from bot.core.unit_of_work import UnitOfWork
from bot.delivery.reachability import unreachable
from bot.usecases import (
    admin,
    checkins,
    impact,
    intros,
    lapses,
    learning,
    profile,
    rights,
    status,
    surveys,
)
from storage.models import Member

MAX_COMMAND = 4000

# Every command handler takes (turn, cmd=the parsed command).
COMMANDS: dict[str, Callable[..., Awaitable[Message]]] = {
    "help": status.help_,
    "status": status.status,
    "learn": learning.learn,
    "learn_cancel": learning.cancel,
    "offer": profile.offer,
    "profile": profile.profile,
    "capacity": profile.capacity,
    "pause": profile.pause,
    "resume": profile.resume,
    "reply": checkins.typed_reply,
    "reflect": checkins.reflect,
    "feedback": surveys.feedback,
    "wrap_up": checkins.wrap_up,
    "admin_channel": admin.set_channel,
    "admin_report": admin.report,
    "admin_program": admin.define_program,
    "admin_programs": admin.list_programs,
    "clear_inferred": profile.clear_inferred,
    "thanks": impact.thanks,
    "impact": impact.impact,
    "export": rights.export,
    "forget_me": rights.forget_me,
}

# Commands that only read what is there (and note that their sender was here): a platform may
# answer them in its acknowledgement instead of writing them down first, since a crash before
# that answer loses nothing the person was told was done.
READ_ONLY = frozenset({"help", "status", "impact"})

# Every button handler takes (turn, the button's value).
BUTTONS: dict[str, Callable[..., Awaitable[Message]]] = {
    "offer_help": intros.volunteer,
    "request_intro": intros.request_intro,
    "intro_accept": intros.accept,
    "intro_decline": intros.decline,
    "pair_wrap_up": checkins.wrap_up_pair,
    "request_cancel": learning.withdraw,
    "learn_confirm": learning.confirmed,
    "survey_rate": surveys.rate,
    "survey_goal": surveys.goal,
    "pair_keep": lapses.keep,
    **{action: partial(checkins.press, outcome=outcome) for action, outcome in checkins.BY_ACTION.items()},
}

# How the object a card's buttons act on stands now, by the card's `Message.refresh` key.
VIEWS: dict[str, Callable[..., Awaitable[Message]]] = {
    "offer_help": learning.announcement_view,
    "intro_accept": intros.ask_view,
    "intro_decline": intros.ask_view,
}

UseCase = Callable[[Turn], Awaitable[Message]]


class Dispatch:
    def __init__(self, work: UnitOfWork):
        self.work = work

    @staticmethod
    def form(text: str) -> str | None:
        """The form a command asks for ("profile" for a bare `/mentor profile`), if any: a
        platform opens it at once instead of answering in words."""
        try:
            cmd = parse(text)
        except BadCommand:
            return None
        return "profile" if cmd.name == "profile" and not cmd.fields else None

    @staticmethod
    def read_only(text: str) -> bool:
        """Whether the words are a command in `READ_ONLY`."""
        try:
            return _parse(text).name in READ_ONLY
        except BadCommand:
            return False

    def screen(self, text: str) -> None:
        """Refuse, before anything is written down, a command that does not parse or whose
        kept words look like patient information."""
        screen(_parse(text), self.work.guard, self.work.clock.now().year)

    @staticmethod
    def command_use_case(text: str, screened: bool = False) -> UseCase:
        """What the words mean: their use case, screened where it runs unless they were
        already (an inbox item was screened before it was written down)."""
        cmd = _parse(text)
        return partial(COMMANDS[cmd.name], cmd=cmd) if screened else partial(_screened, cmd=cmd)

    @staticmethod
    def button_use_case(action_id: str, value: str) -> UseCase:
        """A button: `action_id` says what, `value` names the object it acts on."""
        handler = BUTTONS.get(action_id)
        if handler is None:
            raise BadCommand("That button isn't one I know.")
        return partial(handler, value=str(value)[:100])

    @classmethod
    def item_use_case(cls, kind: str, body: dict) -> UseCase:
        """An inbox item's use case (built as it runs, so a refusal becomes its answer)."""
        async def run(t: Turn) -> Message:
            use_case = (cls.command_use_case(body["text"], screened=True) if kind == "command"
                        else cls.button_use_case(body["action_id"], body["value"]))
            return await use_case(t)

        return run

    async def command(self, actor: Actor, text: str, event_key: str | None = None) -> Message | None:
        """Words typed or sent as a slash command. With `event_key`, None means "already
        handled" (a platform retry)."""
        return await self.work.run(actor, self.command_use_case(text), event_key)

    async def press(self, actor: Actor, action_id: str, value: str,
                    event_key: str | None = None) -> Message | None:
        return await self.work.run(actor, self.button_use_case(action_id, value), event_key)

    async def view(self, actor: Actor, action_id: str, value: str) -> Message:
        """The card named by `Message.refresh`, as it stands now (a refusal if not theirs)."""
        handler = VIEWS.get(action_id)
        if handler is None:
            raise BadCommand("That card isn't one I can refresh.")
        return await self.work.run(actor, partial(handler, value=str(value)[:100]))

    async def reachable(self, actor: Actor, reachable: bool) -> None:
        """The person (re)installed the app, or removed it: sending to them resumes, or
        stops (their mentorships pause and the other side of each is told, once)."""
        async def mark(t: Turn) -> None:
            if not reachable:
                await unreachable(t.session, t.workspace.id, t.me.platform_user_id, t.now)

        await self.work.run(actor, mark)  # every turn marks its actor reachable

    async def home(self, actor: Actor) -> tuple[Message, bool]:
        """The status for a platform's home tab, and whether the person is paused."""
        return await self.work.run(actor, _home)

    async def profile_fields(self, actor: Actor) -> dict[str, str]:
        """Current profile values, as strings, to fill a platform's profile form."""
        return await self.work.run(actor, lambda t: _as_fields(t.me))

    async def save_profile(self, actor: Actor, fields: dict[str, str]) -> Message:
        """A submitted profile form."""
        cmd = Command("profile", fields=dict(fields))
        return await self.work.run(actor, partial(profile.profile, cmd=cmd))


def _parse(text: str) -> Command:
    if len(text) > MAX_COMMAND:
        raise BadCommand(f"That's longer than I take ({MAX_COMMAND:,} characters); please "
                         "shorten it. Nothing was changed.")
    return parse(text)


async def _screened(t: Turn, cmd: Command) -> Message:
    screen(cmd, t.guard, t.now.year)
    return await COMMANDS[cmd.name](t, cmd)


async def _home(t: Turn) -> tuple[Message, bool]:
    mine = await status.status(t, Command("status"))
    lead = await admin.headline(t)
    if lead:
        mine = replace(mine, sections=(lead, *mine.sections))
    return mine, is_paused(t.me, t.now)


async def _as_fields(member: Member) -> dict[str, str]:
    values = {
        "role": member.role, "specialty": member.specialty, "department": member.department,
        "site": member.site, "career_start_year": member.career_start_year,
        "capacity": member.capacity,
        "quiet_hours": f"{member.quiet_start_hour}-{member.quiet_end_hour}",
    }
    return {k: str(v) for k, v in values.items() if v is not None}
