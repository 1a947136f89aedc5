"""What every use case works with: one transaction, one moment, one workspace, one actor."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz, process
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.app.settings import Settings
from bot.core.errors import NotFound, UnknownMember
from bot.core.messages import mention
from bot.delivery.waking import next_waking_moment, zone
from bot.matching.aspects import Catalog, normalize
from bot.privacy.guard import Guard
from storage.models import Aspect, Member, Program, Workspace
from storage.queries.members import member_by_platform_id, member_handles, members_named
from storage.queries.programs import programs_in

MAX_NAME_WORDS, NEAR_NAME = 5, 80  # `@Dr. Ana Maria Souza Lima`; `@sousa` for `souza`
_MENTION = re.compile(r"^<@([^|>]+)(?:\|[^>]*)?>$")


@dataclass
class Turn:
    session: AsyncSession
    now: datetime
    settings: Settings
    workspace: Workspace
    me: Member
    curated: Catalog
    channel: str | None = None  # where the actor typed the command, if the platform said
    guard: Guard = field(default_factory=Guard)
    _programs: list[Program] | None = field(default=None, repr=False)

    @property
    def is_admin(self) -> bool:
        return self.me.platform_user_id in self.settings.admins

    async def programs(self) -> list[Program]:
        """The workspace's programs, read once a turn (and not at all where there are none)."""
        if self._programs is None:
            self._programs = (await programs_in(session=self.session, workspace_id=self.workspace.id)
                              if self.workspace.has_programs else [])
        return self._programs

    async def get(self, model, object_id: int, what: str, *, lock: bool = False):
        """A row the button or command names, or a polite `NotFound`. `lock` holds it until
        commit, so two clicks on the same button (two instances) are answered one at a time."""
        row = await self.session.get(model, object_id, with_for_update=lock or None)
        if row is None:
            raise NotFound(f"I can't find that {what} any more; it may have been removed.")
        return row

    async def member(self, member_id: int) -> Member:
        member = await self.session.get(Member, member_id)
        if member is None or member.workspace_id != self.workspace.id:
            raise UnknownMember("That person isn't in this workspace.")
        return member

    async def member_by_platform_id(self, platform_user_id: str) -> Member:
        found = await member_by_platform_id(session=self.session, workspace_id=self.workspace.id,
                                            platform_user_id=platform_user_id)
        if found is None:
            raise UnknownMember("I don't know that person yet: they haven't used Preceptor here.")
        return found

    async def person(self, ref: str) -> Member:
        """Someone named by a platform mention (`<@U1>`), `@id` or their display name."""
        found = _MENTION.match(ref)
        user = found.group(1) if found else ref.removeprefix("@")
        try:
            return await self.member_by_platform_id(user)
        except UnknownMember:
            by_name = await members_named(session=self.session, workspace_id=self.workspace.id,
                                          names=[user])
            if len(by_name) == 1:
                return by_name[0]
            raise UnknownMember("I don't know who that is: mention them with @ so I can tell.") from None

    async def person_at_start(self, text: str) -> tuple[Member, str]:
        """The person `text` starts with, and the rest: a platform mention or `@id`, else
        `@Display Name` (the longest run of words that names one person: `@Dr. Ana Souza`),
        else one person whose handle or name is a near spelling (`@sousa`)."""
        first, _, rest = text.strip().partition(" ")
        try:
            return await self.person(first), rest.strip()
        except UnknownMember:
            if not first.startswith("@"):
                raise
        words = text.strip()[1:].split(" ")
        prefixes = [" ".join(words[:n]) for n in range(1, min(MAX_NAME_WORDS, len(words)) + 1)]
        named = await members_named(session=self.session, workspace_id=self.workspace.id,
                                    names=prefixes)  # one query for every candidate length
        for n in range(len(prefixes), 0, -1):
            match = [m for m in named if m.name.lower() == prefixes[n - 1].lower()]
            if len(match) == 1:
                return match[0], " ".join(words[n:]).strip()
        near = await self._near_spelling(first[1:])
        if near is None:
            raise UnknownMember("I don't know who that is: mention them with @ so I can tell.")
        return near, rest.strip()

    async def _near_spelling(self, handle: str) -> Member | None:
        """The one member whose id or name (or a word of it) is spelled nearly so."""
        people = await member_handles(session=self.session, workspace_id=self.workspace.id)
        keys = [(key, i) for i, uid, name in people
                for key in {uid.lower(), *(name or "").lower().replace(".", "").split()}
                if len(key) > 2]
        found = process.extract(handle.lower(), [key for key, _ in keys], scorer=fuzz.ratio,
                                limit=5, score_cutoff=NEAR_NAME)
        ids = {keys[index][1] for _, _, index in found}
        return await self.session.get(Member, ids.pop()) if len(ids) == 1 else None

    async def names_aspect(self, text: str, aspect_id: int) -> bool:
        """Whether `text` (typed to pick one of several requests or pairs) names the aspect:
        part of its name, or what the curated catalogue resolves the text to."""
        return (normalize(text) in normalize(await self.aspect_name(aspect_id))
                or self.curated.match(text) == aspect_id)

    def until_awake(self, member: Member, what: str = "it", to: str = "them") -> str:
        """When a message to `member` waits for their waking hours, a sentence saying until
        when, in their time and the actor's ("" when it goes now)."""
        wake = next_waking_moment(self.now, member.tz, member.quiet_start_hour, member.quiet_end_hour)
        if wake <= self.now:
            return ""
        return (f" It's {self.now.astimezone(zone(member.tz)):%H:%M} where they are, so {what} "
                f"{self.arrives(member, wake, to)}.")

    def arrives(self, member: Member, when: datetime, to: str = "them") -> str:
        """When a held message reaches `member`, in their time and the actor's."""
        return (f"reaches {to} at {when.astimezone(zone(member.tz)):%H:%M} their time "
                f"({when.astimezone(zone(self.me.tz)):%a %H:%M} yours)")

    async def aspect_name(self, aspect_id: int) -> str:
        return (await self.session.get_one(Aspect, aspect_id)).name

    def date(self, when: datetime, member: Member | None = None) -> str:
        """A short local date for `member` (the actor by default): "Tue 10 Dec"."""
        return local_date(when, (member or self.me).tz)


def local_date(when: datetime, tz: str) -> str:
    """A short date in zone `tz`: "Tue 10 Dec"."""
    return when.astimezone(zone(tz)).strftime("%a %d %b").replace(" 0", " ")


def tag(member: Member) -> str:
    return mention(member.platform_user_id, member.name or member.platform_user_id)


def describe(member: Member) -> str:
    """Role · specialty · site, whatever the profile holds."""
    parts = [member.role, member.specialty or member.department, member.site]
    return " · ".join(p for p in parts if p)


def is_paused(member: Member, now: datetime) -> bool:
    return member.paused and (member.paused_until is None or member.paused_until > now)
