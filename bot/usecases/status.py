"""`/mentor status`: everything in flight for one person, on both sides."""

from bot.core.domain import Source, Status
from bot.core.grammar import HELP, Command
from bot.core.messages import Button, Message
from bot.core.turn import Turn, is_paused, tag
from bot.core.wording import plural
from bot.delivery import outbox
from bot.matching import ranking as matching
from bot.usecases.profile import expertise_of
from storage.models import LearningRequest, Member
from storage.queries.asks import has_pending_ask, pending_asks_involving
from storage.queries.checkins import last_answered_round
from storage.queries.mentorships import live_mentorships_of, past_mentorships_of
from storage.queries.requests import open_requests_of


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
        lines, wrap_ups = await _mentorships(t, side, other_side)
        if lines:
            sections.append(f"*{title}*\n" + "\n".join(lines))
            buttons += wrap_ups
    waiting, asks_buttons = await _asks(t)
    sections += waiting
    buttons += asks_buttons
    sections += await _past(t)
    offers = await expertise_of(t, t.me, Source.DECLARED)
    if offers:
        sections.append(f"*You offer to mentor*: {', '.join(offers)}")
    if not sections:
        sections.append("Nothing yet. Try `/learn <aspect>` or `/mentor offer <aspect>`.")
    return Message("Your mentoring at a glance", sections=tuple(sections), buttons=tuple(buttons),
                   context=(f"You take up to {plural(t.me.capacity, 'mentee')} at once.",))


async def _requests(t: Turn) -> tuple[list[str], list[Button]]:
    """Open requests, each with fresh suggestions while nobody has been asked."""
    rows = await open_requests_of(session=t.session, member_id=t.me.id)
    lines, buttons = [], []
    for request in rows:
        aspect = await t.aspect_name(request.aspect_id)
        lines.append(f"• {aspect} ({'public' if request.public else 'private'}, "
                     f"since {t.date(request.created_at)})")
        buttons.append(Button(f"Withdraw: {aspect}", "request_cancel", str(request.id)))
        if await has_pending_ask(session=t.session, request_id=request.id):
            continue
        for s in await matching.suggest(
            t.session, mentee=t.me, aspect_id=request.aspect_id, aspect_name=aspect, now=t.now,
            another_perspective=request.another_perspective, programs=await t.programs(),
        ):
            lines.append(f"   suggested: {tag(s.mentor)} ({'; '.join(s.reasons[1:3]) or aspect})")
            buttons.append(Button(f"Request intro: {s.mentor.name} ({aspect})", "request_intro",
                                  f"{request.id}:{s.mentor.id}"))
    return (["*Looking for a mentor*\n" + "\n".join(lines)] if lines else []), buttons


async def _mentorships(t: Turn, side: str, other_side: str) -> tuple[list[str], list[Button]]:
    """Live mentorships on one side, each with a Wrap up button."""
    rows = await live_mentorships_of(session=t.session, member_id=t.me.id, side=side)
    lines, buttons = [], []
    for pair in rows:
        other = await t.session.get_one(Member, getattr(pair, f"{other_side}_id"))
        state = (
            f"next check-in {t.date(pair.next_checkin_at)}" if pair.status == Status.ACTIVE
            else "paused"
        )
        last = await last_answered_round(session=t.session, mentorship_id=pair.id)
        last_text = (
            f"; last check-in {t.date(last.answered_at)}: {(last.outcome or '').replace('_', ' ')}"
            if last else ""
        )
        aspect = await t.aspect_name(pair.aspect_id)
        lines.append(f"• {aspect} with {tag(other)}: {state}{last_text}")
        buttons.append(Button(f"Wrap up: {aspect} with {other.name}", "pair_wrap_up",
                              str(pair.id), "danger"))
    return lines, buttons


async def _past(t: Turn) -> list[str]:
    """Mentorships that wrapped up, so they do not vanish from the person's own view."""
    lines = []
    for pair, reflection in await past_mentorships_of(session=t.session, member_id=t.me.id):
        other = await t.session.get_one(Member, pair.other_side(t.me.id))
        role = "mentor" if pair.mentor_id == other.id else "mentee"
        said = f"; you said: “{reflection}”" if reflection else ""
        lines.append(f"• {await t.aspect_name(pair.aspect_id)} with {tag(other)} (your {role}), "
                     f"wrapped up {t.date(pair.ended_at)}{said}")
    return ["*Past mentorships*\n" + "\n".join(lines)] if lines else []


async def _asks(t: Turn) -> tuple[list[str], list[Button]]:
    """Asks waiting for the person's answer (with its buttons) or for someone else's; an ask
    still held for the other's waking hours says when it reaches them."""
    pending = await pending_asks_involving(session=t.session, member_id=t.me.id)
    others = {f"ask:{a.id}": await t.session.get_one(Member, a.asked_id)
              for a in pending if a.asked_id != t.me.id}
    held = await outbox.held(t.session, dedupe_keys=others, now=t.now)
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
            asked, when = others[f"ask:{ask.id}"], held.get(f"ask:{ask.id}")
            waits = f"; waiting for their waking hours, {t.arrives(asked, when)}" if when else ""
            theirs.append(f"• {tag(asked)}: {aspect} (expires {t.date(ask.expires_at)}{waits})")
    sections = []
    if mine:
        sections.append("*Waiting for your answer*\n" + "\n".join(mine))
    if theirs:
        sections.append("*Waiting on others*\n" + "\n".join(theirs))
    return sections, buttons
