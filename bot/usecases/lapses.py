"""Pairs that stall: one that never met is flagged to its program lead once; one that has gone
quiet is warned, both sides, and closed a week later unless either keeps it open. "Quiet"
means no answer from either side, to a check-in, a survey or a warning."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.domain import Ended, Status
from bot.core.errors import AlreadyDone, NotYours
from bot.core.messages import Button, Message, button_ids
from bot.core.turn import Turn, local_date, tag
from bot.core.wording import plural
from bot.delivery import outbox
from storage.models import Member, Mentorship
from storage.queries.checkins import PromptContext, prompt_context
from storage.queries.surveys import claim_never_met, claim_quiet, claim_warned, close_requests, leads_in


def heard(pair: Mentorship, now: datetime) -> None:
    """Either side answered: the pair is not quiet, and any warning is off."""
    pair.heard_at, pair.warned_at = now, None


@dataclass(frozen=True)
class Lapses:
    """PRECEPTOR_NEVER_MET_DAYS, PRECEPTOR_QUIET_DAYS, PRECEPTOR_CLOSE_WARNING_DAYS; the leads
    told are PRECEPTOR_ADMINS who have used Preceptor in the pair's workspace."""

    never_met: timedelta = timedelta(days=21)
    quiet: timedelta = timedelta(days=90)
    warning: timedelta = timedelta(days=7)
    leads: frozenset[str] = frozenset()

    def steps(self) -> dict:
        """The tick's steps, by the name its report counts them under."""
        return {"flagged": partial(flag_never_met, lapses=self),
                "warned": partial(warn_quiet, lapses=self),
                "closed": partial(close_quiet, lapses=self)}


async def flag_never_met(session: AsyncSession, now: datetime, limit: int, *, lapses: Lapses) -> int:
    pairs = await claim_never_met(session=session, introduced_before=now - lapses.never_met, limit=limit)
    if not pairs:
        return 0
    batch = await prompt_context(session=session, pairs=pairs)
    leads = await leads_in(session=session, leads=lapses.leads,
                           workspace_ids={batch.members[p.mentee_id].workspace_id for p in pairs})
    for pair in pairs:
        pair.flagged_at = now
        mentor, mentee = batch.members[pair.mentor_id], batch.members[pair.mentee_id]
        told = [lead for lead in leads[mentee.workspace_id] if lead.id not in (mentor.id, mentee.id)]
        if told:
            days = (now - pair.started_at).days
            await outbox.to_members(session, members=told, now=now, dedupe_key=f"never-met:{pair.id}",
                                    message=Message(
                f"*A pair to look in on*: {tag(mentee)} and {tag(mentor)} were introduced on "
                f"*{batch.aspects[pair.aspect_id]}* {plural(days, 'day')} ago and haven't told me "
                "they've met yet. A word from you may help them find a time.",
                context=("I tell you once per pair; `/mentor admin report` counts them.",)))
    return len(pairs)


async def warn_quiet(session: AsyncSession, now: datetime, limit: int, *, lapses: Lapses) -> int:
    pairs = await claim_quiet(session=session, heard_before=now - lapses.quiet, limit=limit)
    if not pairs:
        return 0
    batch = await prompt_context(session=session, pairs=pairs)
    for pair in pairs:
        pair.warned_at = now
        days = (now - (pair.heard_at or pair.started_at)).days
        await _to_both(session, pair, batch, now, f"quiet:{pair.id}:{now:%Y%m%d}",
                       partial(_warning, pair.id, days, now + lapses.warning))
    return len(pairs)


async def close_quiet(session: AsyncSession, now: datetime, limit: int, *, lapses: Lapses) -> int:
    pairs = await claim_warned(session=session, warned_before=now - lapses.warning, limit=limit)
    if not pairs:
        return 0
    batch = await prompt_context(session=session, pairs=pairs)
    await close_requests(session=session, ids={p.request_id for p in pairs if p.request_id})
    for pair in pairs:
        pair.status, pair.ended_at, pair.end_reason = Status.WRAPPED, now, Ended.QUIET
        await _to_both(session, pair, batch, now, f"closed:{pair.id}", _closed)
    return len(pairs)


def _warning(pair_id: int, days: int, closes: datetime, me: Member, other: Member, aspect: str) -> Message:
    return Message(
        f"Your mentorship on *{aspect}* with {tag(other)} has been quiet for {plural(days, 'day')}, "
        f"so I'll close it on {local_date(closes, me.tz)} unless one of you keeps it open.",
        buttons=(Button("Keep it open", "pair_keep", str(pair_id), "primary"),
                 Button("Wrap up now", "pair_wrap_up", str(pair_id))))


def _closed(me: Member, other: Member, aspect: str) -> Message:
    return Message(f"I've closed your mentorship on *{aspect}* with {tag(other)}: it had gone quiet. "
                   "Thank you both! `/learn` starts a new one whenever you like.")


async def _to_both(session: AsyncSession, pair: Mentorship, batch: PromptContext, now: datetime,
                   key: str, words: Callable[[Member, Member, str], Message]) -> None:
    """A DM to each side of the pair, `words(them, the other, the aspect)`."""
    for me, other in ((pair.mentor_id, pair.mentee_id), (pair.mentee_id, pair.mentor_id)):
        await outbox.to_members(session, members=[batch.members[me]], now=now, dedupe_key=key,
                                message=words(batch.members[me], batch.members[other],
                                              batch.aspects[pair.aspect_id]))


async def my_live_pair(t: Turn, value: str) -> Mentorship:
    """The live mentorship a button names, locked, if the actor is one of the pair."""
    (pair_id,) = button_ids(value, 1)
    pair = await t.get(Mentorship, pair_id, "mentorship", lock=True)
    if t.me.id not in (pair.mentor_id, pair.mentee_id):
        raise NotYours("That mentorship is between two other colleagues.")
    if pair.status not in (Status.ACTIVE, Status.PAUSED):
        ended = "closed" if pair.end_reason == Ended.QUIET else pair.status
        raise AlreadyDone(f"This mentorship was already {ended}.")
    return pair


async def keep(t: Turn, value: str) -> Message:
    """`pair_keep`: a warned pair stays open; the other side is told."""
    pair = await my_live_pair(t, value)
    heard(pair, t.now)
    other = await t.member(pair.other_side(t.me.id))
    aspect = await t.aspect_name(pair.aspect_id)
    await outbox.to_members(t.session, members=[other], now=t.now, message=Message(
        f"{tag(t.me)} kept your mentorship on *{aspect}* open."))
    paused = " It's paused: `/mentor resume` restarts the check-ins." if pair.status == Status.PAUSED else ""
    return Message(f"Kept open: your mentorship on *{aspect}* with {tag(other)} goes on.{paused}")
