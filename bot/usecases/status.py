"""`/mentor status`: everything in flight for one person, on both sides."""

from sqlmodel import col, select

from bot.core.domain import Source, Status
from bot.core.grammar import HELP, Command
from bot.core.messages import Button, Message
from bot.core.turn import Turn, is_paused, tag
from bot.matching import ranking as matching
from bot.usecases.profile import expertise_of
from storage.models import CheckIn, IntroAsk, LearningRequest, Member, Mentorship
from storage.queries.common import LIVE


async def help_(t: Turn, cmd: Command) -> Message:
    return Message(HELP)


async def status(t: Turn, cmd: Command) -> Message:
    sections: list[str] = []
    buttons: list[Button] = []
    if is_paused(t.me, t.now):
        until = f"until {t.date(t.me.paused_until)}" if t.me.paused_until else "until you resume"
        sections.append(f"⏸ You're paused {until}.")
    requests, suggestion_buttons = await _requests(t)
    sections += requests
    buttons += suggestion_buttons
    for side, other_side, title in (("mentee", "mentor", "Your mentors"),
                                    ("mentor", "mentee", "Your mentees")):
        lines = await _mentorships(t, side, other_side)
        if lines:
            sections.append(f"*{title}*\n" + "\n".join(lines))
    waiting, asks_buttons = await _asks(t)
    sections += waiting
    buttons += asks_buttons
    offers = await expertise_of(t, t.me, Source.DECLARED)
    if offers:
        sections.append(f"*You offer to mentor*: {', '.join(offers)}")
    if not sections:
        sections.append("Nothing yet. Try `/learn <aspect>` or `/mentor offer <aspect>`.")
    return Message("Your mentoring at a glance", sections=tuple(sections), buttons=tuple(buttons),
                   context=(f"You take up to {t.me.capacity} mentee(s) at once.",))


async def _requests(t: Turn) -> tuple[list[str], list[Button]]:
    """Open requests, each with fresh suggestions while nobody has been asked."""
    rows = (
        await t.session.exec(
            select(LearningRequest)
            .where(LearningRequest.member_id == t.me.id, LearningRequest.status == Status.OPEN)
            .order_by(LearningRequest.created_at)
        )
    ).all()
    lines, buttons = [], []
    for request in rows:
        aspect = await t.aspect_name(request.aspect_id)
        lines.append(f"• {aspect} ({'public' if request.public else 'private'}, "
                     f"since {t.date(request.created_at)})")
        if await _has_pending_ask(t, request.id):
            continue
        for s in await matching.suggest(
            t.session, mentee=t.me, aspect_id=request.aspect_id, aspect_name=aspect, now=t.now,
            another_perspective=request.another_perspective,
        ):
            lines.append(f"   suggested: {tag(s.mentor)} ({'; '.join(s.reasons[1:3]) or aspect})")
            buttons.append(Button(f"Request intro: {s.mentor.name} ({aspect})", "request_intro",
                                  f"{request.id}:{s.mentor.id}"))
    return (["*Looking for a mentor*\n" + "\n".join(lines)] if lines else []), buttons


async def _has_pending_ask(t: Turn, request_id: int) -> bool:
    return (
        await t.session.exec(
            select(IntroAsk.id).where(
                IntroAsk.request_id == request_id, IntroAsk.status == Status.PENDING
            )
        )
    ).first() is not None


async def _mentorships(t: Turn, side: str, other_side: str) -> list[str]:
    me = getattr(Mentorship, f"{side}_id")
    rows = (
        await t.session.exec(
            select(Mentorship).where(me == t.me.id, col(Mentorship.status).in_(LIVE))
            .order_by(Mentorship.started_at)
        )
    ).all()
    lines = []
    for pair in rows:
        other = await t.session.get_one(Member, getattr(pair, f"{other_side}_id"))
        state = (
            f"next check-in {t.date(pair.next_checkin_at)}" if pair.status == Status.ACTIVE
            else "paused"
        )
        last = (
            await t.session.exec(
                select(CheckIn)
                .where(CheckIn.mentorship_id == pair.id, col(CheckIn.outcome).is_not(None))
                .order_by(col(CheckIn.round).desc())
            )
        ).first()
        last_text = (
            f"; last check-in {t.date(last.answered_at)}: {last.outcome.replace('_', ' ')}"
            if last else ""
        )
        lines.append(
            f"• {await t.aspect_name(pair.aspect_id)} with {tag(other)}: {state}{last_text}"
        )
    return lines


async def _asks(t: Turn) -> tuple[list[str], list[Button]]:
    pending = (
        await t.session.exec(
            select(IntroAsk).where(
                IntroAsk.status == Status.PENDING,
                (IntroAsk.asked_id == t.me.id) | (IntroAsk.asker_id == t.me.id),
            ).order_by(IntroAsk.created_at)
        )
    ).all()
    mine, theirs, buttons = [], [], []
    for ask in pending:
        request = await t.session.get_one(LearningRequest, ask.request_id)
        aspect = await t.aspect_name(request.aspect_id)
        if ask.asked_id == t.me.id:
            asker = await t.session.get_one(Member, ask.asker_id)
            mine.append(f"• {tag(asker)}: {aspect} (expires {t.date(ask.expires_at)})")
            buttons += [Button(f"Accept {asker.name}", "intro_accept", str(ask.id), "primary"),
                        Button(f"Decline {asker.name}", "intro_decline", str(ask.id))]
        else:
            asked = await t.session.get_one(Member, ask.asked_id)
            theirs.append(f"• {tag(asked)}: {aspect} (expires {t.date(ask.expires_at)})")
    sections = []
    if mine:
        sections.append("*Waiting for your answer*\n" + "\n".join(mine))
    if theirs:
        sections.append("*Waiting on others*\n" + "\n".join(theirs))
    return sections, buttons
