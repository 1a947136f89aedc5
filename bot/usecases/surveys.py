"""Relationship quality, asked lightly: how useful has this mentorship been (1–5), at day 30
and every 60 days after, and at the wrap-up with "how close are you to the goal?" too. Each
goes in the person's waking hours, never while they or the pair are paused, and nobody gets
more than one a fortnight, however many mentorships they have."""

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.domain import (
    FEEDBACK_WINDOW_DAYS,
    FIRST_SURVEY_DAYS,
    MAX_NOTE,
    PAUSED_RECHECK_DAYS,
    SURVEY_EVERY_DAYS,
    SURVEY_GAP_DAYS,
    WRAP_UP_STAGE,
    Status,
)
from bot.core.errors import AlreadyDone, BadCommand, NotFound, NotYours
from bot.core.grammar import Command
from bot.core.messages import Button, Message, button_ids
from bot.core.turn import Turn, is_paused, tag
from bot.delivery import outbox
from bot.usecases.lapses import heard
from storage.models import Member, Mentorship, Survey
from storage.queries.checkins import prompt_context
from storage.queries.surveys import (
    add_surveys,
    claim_due_surveys,
    claim_pairs_due_survey,
    last_asked,
    latest_answered,
    pairs_by_id,
)

FIRST, EVERY = timedelta(days=FIRST_SURVEY_DAYS), timedelta(days=SURVEY_EVERY_DAYS)
GAP, PAUSED_RECHECK = timedelta(days=SURVEY_GAP_DAYS), timedelta(days=PAUSED_RECHECK_DAYS)
SCALE = range(1, 6)
PRIVACY = ("1 = not useful, 5 = very useful. They never see your answer: leads see counts, "
           "suggestions an average over several pairs. Add a line if you like: "
           "`feedback <one line>` (no patient details).")


def first_survey(started: datetime) -> datetime:
    return started + FIRST


async def schedule_due(session: AsyncSession, now: datetime, limit: int) -> int:
    """Both sides of each active pair whose checkpoint has come get a survey due now."""
    pairs = await claim_pairs_due_survey(session=session, now=now, limit=limit)
    rows = []
    for pair in pairs:
        assert pair.next_survey_at is not None  # the claim found it due
        stage = (pair.next_survey_at - pair.started_at - FIRST) // EVERY + 1
        rows += [{"mentorship_id": pair.id, "member_id": who, "stage": stage, "due_at": now}
                 for who in (pair.mentor_id, pair.mentee_id)]
        pair.next_survey_at = max(pair.next_survey_at + EVERY, now + GAP)  # no burst after a pause
    await add_surveys(session=session, rows=rows)
    return len(pairs)


async def at_wrap_up(session: AsyncSession, pair: Mentorship, now: datetime) -> None:
    """Both sides are asked the wrap-up survey (through the tick, which keeps the pace)."""
    await add_surveys(session=session, rows=[
        {"mentorship_id": pair.id, "member_id": who, "stage": WRAP_UP_STAGE, "due_at": now}
        for who in (pair.mentor_id, pair.mentee_id)])


async def ask_due(session: AsyncSession, now: datetime, limit: int) -> int:
    """Ask each due survey now, or put it off: until the pause ends, or a fortnight after the
    person's last survey. A checkpoint whose pair has ended is dropped (the wrap-up asks)."""
    due = await claim_due_surveys(session=session, now=now, limit=limit)
    if not due:
        return 0
    pairs = await pairs_by_id(session=session, ids={s.mentorship_id for s in due})
    batch = await prompt_context(session=session, pairs=list(pairs.values()))
    asked = await last_asked(session=session, member_ids={s.member_id for s in due})
    for survey in due:
        pair, member = pairs[survey.mentorship_id], batch.members[survey.member_id]
        if survey.stage != WRAP_UP_STAGE and pair.status == Status.WRAPPED:
            await session.delete(survey)
        elif (later := _later(survey, pair, member, asked.get(member.id), now)) is not None:
            survey.due_at = later
        else:
            survey.asked_at = asked[member.id] = now
            other = batch.members[pair.other_side(member.id)]
            await outbox.to_members(session, members=[member], now=now, dedupe_key=f"survey:{survey.id}",
                                    message=question(survey, batch.aspects[pair.aspect_id], other))
    return len(due)


def _later(survey: Survey, pair: Mentorship, member: Member, last: datetime | None,
           now: datetime) -> datetime | None:
    """When to ask instead of now, if not now."""
    if survey.stage != WRAP_UP_STAGE and pair.status == Status.PAUSED:
        return now + PAUSED_RECHECK
    if is_paused(member, now):
        return member.paused_until or now + PAUSED_RECHECK
    if last is not None and last + GAP > now:
        return last + GAP
    return None


def question(survey: Survey, aspect: str, other: Member) -> Message:
    how = ("was this mentorship" if survey.stage == WRAP_UP_STAGE
           else "has this mentorship been so far")
    return Message(
        f"A quick question about *{aspect}* with {tag(other)}: how useful {how}?",
        buttons=tuple(Button(str(n), "survey_rate", f"{survey.id}:{n}") for n in SCALE),
        context=(PRIVACY,))


async def rate(t: Turn, value: str) -> Message:
    """`survey_rate`: one person's 1–5; at the wrap-up, the goal question follows."""
    survey, pair, n = await _answering(t, value)
    if survey.rating is not None:
        raise AlreadyDone(f"You already answered this one ({survey.rating}/5). Thank you!")
    survey.rating, survey.answered_at = n, t.now
    heard(pair, t.now)
    if survey.stage != WRAP_UP_STAGE:
        return Message(f"Thank you: noted {n}/5.")
    mentee = await t.member(pair.mentee_id)
    whose = "are you to your goal" if mentee.id == t.me.id else f"is {tag(mentee)} to their goal"
    return Message(f"Thank you: noted {n}/5. One more: how close {whose}?",
                   buttons=tuple(Button(str(g), "survey_goal", f"{survey.id}:{g}") for g in SCALE),
                   context=("1 = not started, 5 = reached it.",))


async def goal(t: Turn, value: str) -> Message:
    """`survey_goal`: at the wrap-up, how close the mentee got to their goal (1–5)."""
    survey, pair, n = await _answering(t, value)
    if survey.stage != WRAP_UP_STAGE:
        raise NotFound("That question belongs to a wrap-up I don't know.")
    if survey.goal is not None:
        raise AlreadyDone(f"You already answered this one ({survey.goal}/5). Thank you!")
    survey.goal, survey.answered_at = n, survey.answered_at or t.now
    heard(pair, t.now)
    return Message(f"Thank you: noted {n}/5 for the goal.")


async def _answering(t: Turn, value: str) -> tuple[Survey, Mentorship, int]:
    survey_id, n = button_ids(value, 2)
    if n not in SCALE:
        raise NotFound("That button doesn't point at an answer I know.")
    survey = await t.get(Survey, survey_id, "question", lock=True)
    if survey.member_id != t.me.id:
        raise NotYours("That question was for someone else; only they can answer it.")
    return survey, await t.session.get_one(Mentorship, survey.mentorship_id, with_for_update=True), n


async def feedback(t: Turn, cmd: Command) -> Message:
    """`feedback <line>`: a line on the survey I answered last (screened like all kept text)."""
    if len(cmd.text) > MAX_NOTE:
        raise BadCommand(f"Keep it to one line (under {MAX_NOTE} characters).")
    survey = await latest_answered(session=t.session, member_id=t.me.id,
                                   since=t.now - timedelta(days=FEEDBACK_WINDOW_DAYS))
    if survey is None:
        raise BadCommand("There's no answered question waiting for a line from you; "
                         "I'll ask how your mentorships are going from time to time.")
    survey.note = cmd.text
    return Message("Thank you: saved your line with your answer.")
