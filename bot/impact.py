"""Thanks and impact: being a mentor builds a legacy, so make it visible."""

import re

from sqlmodel import col, func, select

from bot import outbox, phi
from bot.domain import MAX_REFLECTION, Outcome
from bot.errors import BadCommand, UnknownMember
from bot.grammar import Command
from bot.messages import Message
from bot.turn import Turn, tag
from storage.models import CheckIn, Member, Mentorship, Thanks

_MENTION = re.compile(r"^<@([^|>]+)(?:\|[^>]*)?>$")


async def thanks(t: Turn, cmd: Command) -> Message:
    """`/mentor thanks @someone <message>`: the thank-you reaches them by DM."""
    phi.check(cmd.text)
    if len(cmd.text) > MAX_REFLECTION:
        raise BadCommand(f"Keep it under {MAX_REFLECTION} characters.")
    to = await _person(t, cmd.items[0])
    if to.id == t.me.id:
        raise BadCommand("Thanking yourself is allowed in spirit, but I'll only send it to others.")
    t.session.add(Thanks(from_id=t.me.id, to_id=to.id, text=cmd.text, quotable=not cmd.private,
                         created_at=t.now))
    await outbox.to_members(t.session, members=[to], now=t.now, message=Message(
        f"{tag(t.me)} thanked you: “{cmd.text}”",
        context=("`/mentor impact` shows what your mentoring has done.",)))
    kept = " It stays private: it counts in their impact but is not quoted." if cmd.private else ""
    return Message(f"Sent your thanks to {tag(to)}.{kept}")


async def _person(t: Turn, ref: str) -> Member:
    """Someone named by a platform mention (`<@U1>`), `@id` or their display name."""
    found = _MENTION.match(ref)
    user = found.group(1) if found else ref.removeprefix("@")
    try:
        return await t.member_by_platform_id(user)
    except UnknownMember:
        by_name = (await t.session.exec(select(Member).where(
            Member.workspace_id == t.workspace.id, func.lower(Member.name) == user.lower()))).all()
        if len(by_name) == 1:
            return by_name[0]
        raise UnknownMember("I don't know who that is: mention them with @ so I can tell.") from None


async def impact(t: Turn, cmd: Command) -> Message:
    """`/mentor impact`: who I helped, on what, for how long, check-ins kept, thanks."""
    pairs = (await t.session.exec(select(Mentorship).where(Mentorship.mentor_id == t.me.id))).all()
    received = (await t.session.exec(
        select(Thanks).where(Thanks.to_id == t.me.id).order_by(col(Thanks.created_at).desc())
    )).all()
    if not pairs and not received:
        return Message("No mentoring yet. `/mentor offer <aspect>` says what you can mentor; "
                       "people who want to learn it will see you suggested.")
    people = {p.mentee_id for p in pairs}
    aspects: dict[str, int] = {}
    for pair in pairs:
        name = await t.aspect_name(pair.aspect_id)
        aspects[name] = aspects.get(name, 0) + 1
    days = sum(((p.ended_at or t.now) - p.started_at).days for p in pairs)
    kept = (await t.session.exec(
        select(func.count()).select_from(CheckIn).join(Mentorship)
        .where(Mentorship.mentor_id == t.me.id, CheckIn.outcome == Outcome.MET))).one()
    on = ", ".join(f"{name} ({n})" for name, n in sorted(aspects.items(), key=lambda a: -a[1]))
    sections = [
        f"You have helped *{len(people)} {'person' if len(people) == 1 else 'people'}*"
        + (f" on {on}" if on else "") + f", over {days / 30.4:.1f} months of mentoring, "
        f"with {kept} check-in{'s' * (kept != 1)} where you met.",
        f"Thanks received: {len(received)}.",
    ]
    quotes = [r for r in received if r.quotable][:3]
    for quote in quotes:
        sender = await t.session.get_one(Member, quote.from_id)
        sections.append(f"> “{quote.text}” — {tag(sender)}")
    return Message("Your mentoring so far", sections=tuple(sections))
