"""Check-ins: ask both sides on a cadence, in their waking hours, until they wrap up."""

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.domain import (
    MAX_REFLECTION,
    NOT_YET_DAYS,
    PAUSED_RECHECK_DAYS,
    SILENT_ROUNDS_TO_PAUSE,
    Ended,
    Outcome,
    Status,
)
from bot.core.errors import AlreadyDone, BadCommand, NotFound, NotYours
from bot.core.grammar import Command
from bot.core.messages import Button, Message
from bot.core.turn import Turn, is_paused, tag
from bot.delivery import outbox
from bot.usecases import surveys
from bot.usecases.lapses import heard, my_live_pair
from bot.usecases.profile import pause
from storage.models import CheckIn, LearningRequest, Member, Mentorship, Reflection
from storage.queries.checkins import (
    open_rounds_of,
    open_rounds_of_pair,
    prompt_context,
    unreflected_wrapped_pair,
)
from storage.queries.mentorships import claim_due_mentorships, live_pairs_of

PAUSED_RECHECK = timedelta(days=PAUSED_RECHECK_DAYS)
BUTTONS = (
    ("We met", "checkin_met", "primary"),
    ("Not yet", "checkin_not_yet", None),
    ("Pause", "checkin_pause", None),
    ("Wrap up", "checkin_wrap_up", "danger"),
)
BY_ACTION = {
    "checkin_met": Outcome.MET, "checkin_not_yet": Outcome.NOT_YET,
    "checkin_pause": Outcome.PAUSE, "checkin_wrap_up": Outcome.WRAP_UP,
}


async def run_due(session: AsyncSession, now: datetime, limit: int) -> int:
    """Prompt every due pair once; returns how many mentorships were handled."""
    due = await claim_due_mentorships(session=session, now=now, limit=limit)
    if not due:
        return 0
    batch = await prompt_context(session=session, pairs=due)
    asked: list[tuple[Mentorship, CheckIn, str]] = []
    for pair in due:
        mentor, mentee = batch.members[pair.mentor_id], batch.members[pair.mentee_id]
        aspect = batch.aspects[pair.aspect_id]
        if is_paused(mentor, now) or is_paused(mentee, now):
            until = [m.paused_until for m in (mentor, mentee) if is_paused(m, now) and m.paused_until]
            # Ask again when the pause ends, or in a week for an open-ended pause.
            pair.next_checkin_at = max(until) if until else now + PAUSED_RECHECK
            continue
        last = batch.last_rounds.get(pair.id)
        if last is not None and last.outcome is None:
            last.outcome, last.answered_at = Outcome.SILENT, now
            pair.silent_rounds += 1
        if pair.silent_rounds >= SILENT_ROUNDS_TO_PAUSE:
            pair.status = Status.PAUSED
            await outbox.to_members(
                session, members=[mentor, mentee], now=now, dedupe_key=f"silent:{pair.id}:{pair.rounds}",
                message=Message(
                    f"No answers to the last {SILENT_ROUNDS_TO_PAUSE} check-ins on *{aspect}*, "
                    "so I've paused this mentorship. `/mentor resume` restarts it whenever you like."
                ),
            )
            continue
        pair.rounds += 1
        checkin = CheckIn(mentorship_id=pair.id, round=pair.rounds, asked_at=now)
        session.add(checkin)
        pair.next_checkin_at = now + timedelta(days=pair.cadence_days)
        asked.append((pair, checkin, aspect))
    await session.flush()  # one round trip numbers every new check-in
    for pair, checkin, aspect in asked:
        mentor, mentee = batch.members[pair.mentor_id], batch.members[pair.mentee_id]
        goal = batch.goals.get(pair.request_id, "")
        for me, other in ((mentor, mentee), (mentee, mentor)):
            await outbox.to_members(
                session, members=[me], now=now, dedupe_key=f"checkin:{checkin.id}",
                message=_prompt(checkin, aspect, other, goal),
            )
    return len(due)


def _prompt(checkin: CheckIn, aspect: str, other: Member, goal: str) -> Message:
    value = str(checkin.id)
    return Message(
        f"Check-in: how is *{aspect}* going with {tag(other)}?",
        sections=(f"The goal: “{goal}”. Any progress toward it?",) if goal else (),
        buttons=tuple(Button(label, action, value, style) for label, action, style in BUTTONS),
        context=("You can also type `met`, `not yet`, `pause` or `wrap up`.",),
    )


async def press(t: Turn, value: str, *, outcome: str) -> Message:
    """A check-in button: `value` names the round, `outcome` is what the button says."""
    if not value.isdecimal() or len(value) > 12:
        raise NotFound("That button doesn't point at a check-in I know.")
    checkin = await t.get(CheckIn, int(value), "check-in", lock=True)
    return await answer(t, checkin, outcome)


async def typed_reply(t: Turn, cmd: Command) -> Message:
    """A typed "met" / "not yet" / "pause" / "wrap up" answers my open check-in; with
    several open, I'm asked which one (with buttons), rather than guessing."""
    open_rounds = await open_rounds_of(session=t.session, member_id=t.me.id)
    if not open_rounds:
        if cmd.text == Outcome.PAUSE:
            return await pause(t, Command("pause"))
        if cmd.text == Outcome.WRAP_UP:
            return await wrap_up(t, Command("wrap_up"))
        raise BadCommand(
            "There's no check-in waiting for your answer right now; `/mentor status` shows "
            "your mentorships."
        )
    if len(open_rounds) == 1:
        return await answer(t, open_rounds[0], cmd.text)
    action = next(a for a, outcome in BY_ACTION.items() if outcome == cmd.text)
    label = next(label for label, a, _ in BUTTONS if a == action)
    buttons = []
    for checkin in open_rounds:
        pair = await t.session.get_one(Mentorship, checkin.mentorship_id)
        other = await t.member(pair.other_side(t.me.id))
        aspect = await t.aspect_name(pair.aspect_id)
        buttons.append(Button(f"{label}: {aspect} with {other.name}", action, str(checkin.id)))
    return Message(f"You have {len(open_rounds)} check-ins waiting. Which one?",
                   buttons=tuple(buttons))


async def answer(t: Turn, checkin: CheckIn, outcome: str) -> Message:
    """One side's answer to a round. Both are kept; a "met" from either counts, so the
    mentor's "We met" after the mentee's "not yet" makes the round a meeting."""
    pair = await t.session.get_one(Mentorship, checkin.mentorship_id, with_for_update=True)
    if t.me.id not in (pair.mentor_id, pair.mentee_id):
        raise NotYours("This check-in belongs to another pair; only they can answer it.")
    side = "mentor_answer" if t.me.id == pair.mentor_id else "mentee_answer"
    if (checkin.round != pair.rounds or pair.status != Status.ACTIVE
            or checkin.outcome not in (None, Outcome.MET, Outcome.NOT_YET)):
        settled = f" ({checkin.outcome.replace('_', ' ')})" if checkin.outcome else ""
        raise AlreadyDone(f"This check-in was already settled{settled}.")
    if getattr(checkin, side):
        raise AlreadyDone(f"You already answered this check-in "
                          f"({getattr(checkin, side).replace('_', ' ')}).")
    other = await t.member(pair.other_side(t.me.id))
    aspect = await t.aspect_name(pair.aspect_id)
    setattr(checkin, side, outcome)
    heard(pair, t.now)
    if checkin.outcome is None:
        checkin.answered_by_id, checkin.answered_at = t.me.id, t.now
    before, pair.silent_rounds = checkin.outcome, 0
    theirs = None
    if outcome == Outcome.MET:
        checkin.outcome = Outcome.MET
        pair.next_checkin_at = t.now + timedelta(days=pair.cadence_days)
        yours = "Great, noted that you met."
        if before != Outcome.MET:
            theirs = f"{tag(t.me)} says you met about *{aspect}*."
    elif outcome == Outcome.NOT_YET and before == Outcome.MET:
        yours = f"Noted. {tag(other)} said you two met, so this round counts as a meeting."
    elif outcome == Outcome.NOT_YET:
        checkin.outcome = Outcome.NOT_YET
        pair.next_checkin_at = t.now + timedelta(days=NOT_YET_DAYS)
        yours = "No problem; I'll ask again in a week."
        theirs = f"{tag(t.me)} says you haven't met yet on *{aspect}*; I'll ask again in a week."
    elif outcome == Outcome.PAUSE:
        checkin.outcome = Outcome.PAUSE
        pair.status, pair.paused_by_id = Status.PAUSED, t.me.id
        yours = "Paused this mentorship; `/mentor resume` restarts it."
        theirs = f"{tag(t.me)} paused your mentorship on *{aspect}* for now."
    else:
        return await _wrap_up(t, pair, other, aspect)
    when = f" Next check-in around {t.date(pair.next_checkin_at)}." if pair.status == Status.ACTIVE else ""
    if theirs:
        await outbox.to_members(t.session, members=[other], now=t.now, message=Message(theirs))
    return Message(yours + when)


async def wrap_up(t: Turn, cmd: Command) -> Message:
    """`/mentor wrap-up [@person] [aspect]`, at any time: the one live mentorship that fits,
    or a choice of them, with buttons."""
    pairs = await live_pairs_of(session=t.session, member_id=t.me.id)
    aspect = cmd.text
    if cmd.items:
        person, aspect = await t.person_at_start(f"{cmd.items[0]} {cmd.text}")
        pairs = [p for p in pairs if person.id in (p.mentor_id, p.mentee_id)]
    if aspect:
        pairs = [p for p in pairs if await t.names_aspect(aspect, p.aspect_id)]
    if not pairs:
        raise BadCommand("You have no live mentorship" + (" that matches" if cmd.items or aspect
                         else "") + " to wrap up; `/mentor status` shows yours.")
    if len(pairs) == 1:
        return await wrap_up_pair(t, str(pairs[0].id))
    buttons = []
    for pair in pairs:
        other = await t.member(pair.other_side(t.me.id))
        buttons.append(Button(f"Wrap up: {await t.aspect_name(pair.aspect_id)} with {other.name}",
                              "pair_wrap_up", str(pair.id), "danger"))
    return Message(f"You have {len(pairs)} live mentorships. Which one is wrapping up?",
                   buttons=tuple(buttons))


async def wrap_up_pair(t: Turn, value: str) -> Message:
    """`pair_wrap_up`: end this mentorship now (from status, App Home, a choice or a warning)."""
    pair = await my_live_pair(t, value)
    for checkin in await open_rounds_of_pair(session=t.session, mentorship_id=pair.id):
        checkin.outcome, checkin.answered_at = Outcome.WRAP_UP, t.now
        checkin.answered_by_id = checkin.answered_by_id or t.me.id
    other = await t.member(pair.other_side(t.me.id))
    return await _wrap_up(t, pair, other, await t.aspect_name(pair.aspect_id))


async def _wrap_up(t: Turn, pair: Mentorship, other: Member, aspect: str) -> Message:
    pair.status, pair.ended_at, pair.end_reason = Status.WRAPPED, t.now, Ended.WRAPPED
    await surveys.at_wrap_up(t.session, pair, t.now)
    if pair.request_id:
        request = await t.session.get_one(LearningRequest, pair.request_id)
        request.status = Status.CLOSED
    ask = "In one line, what did you gain? Reply `reflect <your line>`."
    mentor = t.me if t.me.id == pair.mentor_id else other
    thank = (f" Want to thank {tag(mentor)}? `/mentor thanks @{mentor.platform_user_id} "
             "<a line>` reaches them directly.")
    await outbox.to_members(t.session, members=[other], now=t.now, message=Message(
        f"{tag(t.me)} wrapped up your mentorship on *{aspect}*. Thank you both! {ask}"
        + (thank if other is not mentor else "")
    ))
    return Message(f"Wrapped up *{aspect}* with {tag(other)}. Thank you! {ask}"
                   + (thank if t.me is not mentor else ""))


async def reflect(t: Turn, cmd: Command) -> Message:
    """A one-line reflection on my most recently wrapped mentorship."""
    if len(cmd.text) > MAX_REFLECTION:
        raise BadCommand(f"Keep it to one line (under {MAX_REFLECTION} characters).")
    pair = await unreflected_wrapped_pair(session=t.session, member_id=t.me.id)
    if pair is None:
        raise BadCommand("There's no wrapped-up mentorship waiting for your reflection.")
    t.session.add(Reflection(mentorship_id=pair.id, member_id=t.me.id, text=cmd.text,
                             created_at=t.now))
    return Message(f"Thank you: saved your reflection on *{await t.aspect_name(pair.aspect_id)}*.")
