"""A person's side of things: profile, what they offer, capacity, pause and resume."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from bot.core.domain import MAX_CAPACITY, ROLES, Source, Status
from bot.core.errors import BadCommand, PreceptorError
from bot.core.grammar import Command
from bot.core.messages import Message
from bot.core.turn import Turn, describe, tag
from bot.core.wording import plural
from bot.delivery import outbox
from bot.delivery.waking import is_valid_zone
from bot.matching import aspects
from bot.privacy.guard import Guard
from bot.usecases.lapses import heard
from storage.models import Member
from storage.queries.expertise import (
    declare_expertise,
    expertise_aspect_ids,
    forget_inferred,
    inferred_signals,
)
from storage.queries.mentorships import pairs_to_resume

TEXT_FIELDS = ("name", "specialty", "department", "site")
ABOUT_WORK = ("specialty", "department", "site")   # "name" is the person's own, so no name rule
MAX_FIELD = 120


async def offer(t: Turn, cmd: Command) -> Message:
    names = []
    for text in cmd.items:
        aspect = await aspects.resolve(
            t.session, curated=t.curated, workspace_id=t.workspace.id, text=text
        )
        await declare(t.session, member_id=t.me.id, aspect_id=aspect.id, now=t.now)
        if aspect.name not in names:
            names.append(aspect.name)
    return Message(
        f"You're listed as a mentor for: {', '.join(names)}. When someone wants to learn "
        f"these, you may be suggested; you take up to {plural(t.me.capacity, 'mentee')} at once "
        "(`/mentor capacity <n>` changes that)."
    )


async def declare(session, *, member_id: int, aspect_id: int, now) -> None:
    """The person says they can mentor the aspect (once; saying it again changes nothing)."""
    await declare_expertise(session=session, member_id=member_id, aspect_id=aspect_id,
                            source=Source.DECLARED, now=now)


async def profile(t: Turn, cmd: Command) -> Message:
    """No fields: show the profile (platforms open their form). Fields: validate and save."""
    if not cmd.fields:
        offers = ", ".join(await expertise_of(t, t.me, Source.DECLARED)) or (
            "nothing yet (`/mentor offer <aspect>`)")
        sections = [summary(t.me), f"Can mentor: {offers}"]
        inferred = await _inferred(t)
        if inferred:
            sections.append(
                "Inferred from your answers to colleagues' threads (only who and which "
                f"aspect, never the words): {inferred}. `/mentor profile clear-inferred` "
                "forgets these.")
        return Message(
            "Your profile", sections=tuple(sections),
            context=("Change it with `/mentor profile role=resident; specialty=Internal "
                     "Medicine; site=Main campus; started=2023; quiet=21-7`.",),
            form="profile",
        )
    save_profile(t.me, cmd.fields, year=t.now.year, guard=t.guard)
    return Message("Saved your profile.", sections=(summary(t.me),))


def summary(member: Member) -> str:
    quiet = f"{member.quiet_start_hour:02d}:00–{member.quiet_end_hour:02d}:00 ({member.tz})"
    started = member.career_start_year or "not set"
    return "\n".join((
        f"*{member.name or member.platform_user_id}* — {describe(member) or 'role not set'}",
        f"Department: {member.department or 'not set'} · Career started: {started}",
        f"Capacity: {plural(member.capacity, 'mentee')} at once · Quiet hours: {quiet}",
    ))


def check_fields(fields: dict[str, str], *, year: int, guard: Guard) -> None:
    """Refuse profile text that looks like patient information (`PhiRefused`, naming the field)."""
    for key in (*ABOUT_WORK, "name"):
        with _about(key):
            guard.check(fields.get(key), year=year, people=key != "name")


@contextmanager
def _about(key: str) -> Iterator[None]:
    """A refusal raised inside names the field `key`."""
    try:
        yield
    except PreceptorError as error:
        error.field = key
        raise


def save_profile(member: Member, fields: dict[str, str], *, year: int, guard: Guard) -> None:
    """Check every field first, then apply them all: a bad field changes nothing."""
    changes: dict[str, object] = {}
    check_fields(fields, year=year, guard=guard)
    for key, value in fields.items():
        with _about(key):
            changes.update(_change(key, value.strip(), year))
    for key, changed in changes.items():
        setattr(member, key, changed)


def _change(key: str, value: str, year: int) -> dict[str, object]:
    """What one form field changes, or the refusal saying what it must be."""
    changes: dict[str, object] = {}
    if key in TEXT_FIELDS:
        if len(value) > MAX_FIELD:
            raise BadCommand(f"Keep {key} under {MAX_FIELD} characters.")
        changes[key] = value if key == "name" else (value or None)
    elif key == "role":
        role = value.lower()
        if role not in ROLES:
            raise BadCommand(f"Role must be one of: {', '.join(ROLES)}.")
        changes["role"] = role
    elif key == "career_start_year":
        if not value.isdecimal() or not 1950 <= int(value) <= year:
            raise BadCommand(f"The year you started must be between 1950 and {year}.")
        changes[key] = int(value)
    elif key == "capacity":
        if not value.isdecimal() or int(value) > MAX_CAPACITY:
            raise BadCommand(f"Capacity is a whole number from 0 to {MAX_CAPACITY}.")
        changes[key] = int(value)
    elif key == "quiet_hours":
        changes.update(_quiet_hours(value))
    elif key == "digest":
        if value.lower() not in ("on", "off"):
            raise BadCommand("The quarterly summary is `digest=on` or `digest=off`.")
        changes["quarterly_digest"] = value.lower() == "on"
    elif key == "tz":
        if not is_valid_zone(value):
            raise BadCommand("Time zone must be like `America/Chicago` or `Europe/London`.")
        changes[key] = value
    return changes


def _quiet_hours(value: str) -> dict[str, int]:
    start, sep, end = value.replace("–", "-").partition("-")
    if not sep or not start.strip().isdecimal() or not end.strip().isdecimal():
        raise BadCommand("Quiet hours are two hours of the day, like `21-7`.")
    start_hour, end_hour = int(start), int(end)
    if not (0 <= start_hour <= 23 and 0 <= end_hour <= 23):
        raise BadCommand("Quiet hours are two hours of the day, like `21-7`.")
    return {"quiet_start_hour": start_hour, "quiet_end_hour": end_hour}


async def capacity(t: Turn, cmd: Command) -> Message:
    assert cmd.number is not None  # the grammar refuses `capacity` without one
    t.me.capacity = cmd.number
    note = " You won't be suggested to anyone new." if cmd.number == 0 else ""
    return Message(f"You now take up to {plural(cmd.number, 'mentee')} at once.{note}")


async def pause(t: Turn, cmd: Command) -> Message:
    t.me.paused = True
    t.me.paused_until = t.now + timedelta(weeks=cmd.number) if cmd.number else None
    until = f"until {t.date(t.me.paused_until)}" if cmd.number else "until you `/mentor resume`"
    return Message(
        f"Paused {until}: no new asks and no check-ins for you. Your mentorships stay as they are."
    )


async def resume(t: Turn, cmd: Command) -> Message:
    t.me.paused, t.me.paused_until = False, None
    resumed = await resume_pairs(t, t.me)
    extra = f" Restarted check-ins for {plural(resumed, 'paused mentorship')}." if resumed else ""
    return Message(f"Welcome back — you're available again.{extra}")


async def resume_pairs(t: Turn, member: Member) -> int:
    """Restart the mentorships this person paused, or that the bot paused (silence); a pair
    the other side paused stays paused. Tell the other side of each."""
    paused = await pairs_to_resume(session=t.session, member_id=member.id)
    for pair in paused:
        pair.status, pair.silent_rounds, pair.paused_by_id = Status.ACTIVE, 0, None
        heard(pair, t.now)
        pair.next_checkin_at = t.now + timedelta(days=pair.cadence_days)
        other = await t.session.get_one(
            Member, pair.other_side(member.id))
        aspect = await t.aspect_name(pair.aspect_id)
        await outbox.to_members(t.session, members=[other], now=t.now, message=Message(
            f"{tag(member)} resumed your mentorship on *{aspect}*. "
            f"Next check-in around {t.date(pair.next_checkin_at, other)}."
        ))
    return len(paused)


async def expertise_of(t: Turn, member: Member, source: str | None = None) -> list[str]:
    ids = await expertise_aspect_ids(session=t.session, member_id=member.id, source=source)
    return [await t.aspect_name(a) for a in ids]


async def _inferred(t: Turn) -> str:
    rows = await inferred_signals(session=t.session, member_id=t.me.id)
    return ", ".join([f"{await t.aspect_name(s.aspect_id)} ({s.answers} answers)" for s in rows])


async def clear_inferred(t: Turn, cmd: Command) -> Message:
    """Forget everything inferred about me from conversations (declared offers stay)."""
    removed = await forget_inferred(session=t.session, member_id=t.me.id)
    return Message(f"Done: I forgot {plural(removed, 'inferred aspect')} and the counts behind them. "
                   "What you offered yourself stays.")
