"""Thanks and impact: being a mentor builds a legacy, so make it visible."""

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.domain import MAX_REFLECTION
from bot.core.errors import BadCommand
from bot.core.grammar import Command
from bot.core.messages import Message
from bot.core.turn import Turn, tag
from bot.core.wording import plural
from bot.delivery import outbox
from storage.models import Aspect, Member, Mentorship, Thanks
from storage.queries.mentorships import digest_pairs, mentorships_as_mentor, met_checkins_as_mentor
from storage.queries.thanks import thanks_received
from storage.queries.workspaces import claim_digest_workspaces


async def thanks(t: Turn, cmd: Command) -> Message:
    """`/mentor thanks @someone <message>`: the thank-you reaches them by DM."""
    if len(cmd.text) > MAX_REFLECTION:
        raise BadCommand(f"Keep it under {MAX_REFLECTION} characters.")
    to, words = await t.person_at_start(f"{cmd.items[0]} {cmd.text}")
    if not words:
        raise BadCommand(f"Say what you thank {tag(to)} for: `/mentor thanks @someone for …`.")
    if to.id == t.me.id:
        raise BadCommand("Thanking yourself is allowed in spirit, but I'll only send it to others.")
    t.session.add(Thanks(from_id=t.me.id, to_id=to.id, text=words, quotable=not cmd.private,
                         created_at=t.now))
    await outbox.to_members(t.session, members=[to], now=t.now, message=Message(
        f"{tag(t.me)} thanked you: “{words}”",
        context=("`/mentor impact` shows what your mentoring has done.",)))
    kept = " It stays private: it counts in their impact but is not quoted." if cmd.private else ""
    return Message(f"Sent your thanks to {tag(to)}.{kept}" + t.until_awake(to, "it"))


async def impact(t: Turn, cmd: Command) -> Message:
    """`/mentor impact`: who I helped, on what, for how long, check-ins kept, thanks."""
    pairs = await mentorships_as_mentor(session=t.session, member_id=t.me.id)
    received = await thanks_received(session=t.session, member_id=t.me.id)
    if not pairs and not received:
        return Message("No mentoring yet. `/mentor offer <aspect>` says what you can mentor; "
                       "people who want to learn it will see you suggested.")
    people = {p.mentee_id for p in pairs}
    aspects: dict[str, int] = {}
    for pair in pairs:
        name = await t.aspect_name(pair.aspect_id)
        aspects[name] = aspects.get(name, 0) + 1
    days = sum(((p.ended_at or t.now) - p.started_at).days for p in pairs)
    kept = await met_checkins_as_mentor(session=t.session, member_id=t.me.id)
    on = ", ".join(f"{name} ({n})" for name, n in sorted(aspects.items(), key=lambda a: -a[1]))
    sections = [
        f"You have helped *{plural(len(people), 'person', 'people')}*"
        + (f" on {on}" if on else "") + f", over {days / 30.4:.1f} months of mentoring, "
        f"with {plural(kept, 'check-in')} where you met.",
        f"Thanks received: {len(received)}.",
    ]
    quotes = [r for r in received if r.quotable][:3]
    for quote in quotes:
        sender = await t.session.get_one(Member, quote.from_id)
        sections.append(f"> “{quote.text}” — {tag(sender)}")
    return Message("Your mentoring so far", sections=tuple(sections))


def quarter_of(when: datetime) -> str:
    return f"{when.year}Q{(when.month - 1) // 3 + 1}"


def _quarter_start(when: datetime) -> datetime:
    return when.replace(month=3 * ((when.month - 1) // 3) + 1, day=1, hour=0, minute=0,
                        second=0, microsecond=0)


async def send_quarterly(session: AsyncSession, now: datetime, limit: int) -> int:
    """Once a quarter per workspace: "your mentoring last quarter" to every mentor who
    mentored in it and did not opt out; held for each person's waking hours."""
    quarter = quarter_of(now)
    workspaces = await claim_digest_workspaces(session=session, quarter=quarter, limit=limit)
    end = _quarter_start(now)
    start = _quarter_start(end - timedelta(days=1))
    for workspace in workspaces:
        first = workspace.digest_quarter is None  # a new install has no last quarter to report
        workspace.digest_quarter = quarter
        if first:
            continue
        pairs = await digest_pairs(session=session, workspace_id=workspace.id, start=start, end=end)
        by_mentor: dict[int, list[Mentorship]] = {}
        for pair in pairs:
            by_mentor.setdefault(pair.mentor_id, []).append(pair)
        for mentor_id, mine in by_mentor.items():
            mentor = await session.get_one(Member, mentor_id)
            names = sorted({(await session.get_one(Aspect, p.aspect_id)).name for p in mine})
            people = len({p.mentee_id for p in mine})
            await outbox.to_members(session, members=[mentor], now=now,
                                    dedupe_key=f"digest:{mentor.id}:{quarter}", message=Message(
                f"Your mentoring last quarter: you helped {plural(people, 'person', 'people')} "
                f"on {', '.join(names)}. Thank you!",
                context=("`/mentor impact` shows it all. Not wanted? "
                         "`/mentor profile digest=off`.",)))
    return len(workspaces)
