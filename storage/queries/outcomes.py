"""What came of the pairs, for the program report: each pair once (grouped like the rest of
the report, by its mentee's department or role, or by the month it started), with its
meetings, what both sides answered when asked how useful it was, and how it ended."""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import CheckIn, Member, Mentorship, Survey
from storage.queries.common import LIVE
from storage.queries.report import key_of, scoped

DAYS_A_MONTH = 30.44


async def outcome_counts(*, session: AsyncSession, workspace_id: int | None, since: datetime | None,
                         group: str, now: datetime, within=None) -> dict[str, dict]:
    """Per group: mentees with a live pair, pair-months, meetings, days to the first one,
    pairs flagged as never met, closures by reason, ratings 1–5, closeness to goals."""
    out: dict[str, dict] = defaultdict(lambda: {"first_meeting_days": [], "ratings": [0] * 5})
    when = Mentorship.started_at
    key = key_of(session, group, when)
    pairs = scoped(select(key, Mentorship).join(Member, Member.id == Mentorship.mentee_id),
                   workspace_id, since, when, within)
    group_of: dict[int, str] = {}
    mentored: dict[str, set[int]] = defaultdict(set)
    for k, pair in (await session.exec(pairs)).all():
        group_of[pair.id], counts = k, out[k]
        counts["pair_months"] = counts.get("pair_months", 0.0) + (
            (pair.ended_at or now) - pair.started_at).total_seconds() / 86400 / DAYS_A_MONTH
        counts["flagged_never_met"] = counts.get("flagged_never_met", 0) + (pair.flagged_at is not None)
        if pair.status in LIVE:
            mentored[k].add(pair.mentee_id)
        if pair.end_reason in ("quiet", "left"):
            name = f"closed_{pair.end_reason}"
            counts[name] = counts.get(name, 0) + 1
    for k, people in mentored.items():
        out[k]["mentored"] = len(people)
    if group_of:  # the same pairs, as a subquery (not thousands of bound ids)
        ids = scoped(select(Mentorship.id).join(Member, Member.id == Mentorship.mentee_id),
                     workspace_id, since, when, within)
        await _meetings(session, out, group_of, ids)
        await _answers(session, out, group_of, ids)
    return dict(out)


async def _meetings(session: AsyncSession, out: dict, group_of: dict[int, str], pairs) -> None:
    rows = await session.exec(
        select(CheckIn.mentorship_id, Mentorship.started_at, func.count(),
               func.min(CheckIn.answered_at), func.min(CheckIn.asked_at))
        .join(Mentorship, Mentorship.id == CheckIn.mentorship_id)
        .where(CheckIn.outcome == "met", col(CheckIn.mentorship_id).in_(pairs))
        .group_by(CheckIn.mentorship_id, Mentorship.started_at))
    for pair_id, started, met, answered, asked in rows.all():
        counts = out[group_of[pair_id]]
        counts["meetings"] = counts.get("meetings", 0) + met
        counts["first_meeting_days"].append(((answered or asked) - started).total_seconds() / 86400)


async def _answers(session: AsyncSession, out: dict, group_of: dict[int, str], pairs) -> None:
    rows = await session.exec(select(Survey.mentorship_id, Survey.rating, Survey.goal).where(
        col(Survey.mentorship_id).in_(pairs), col(Survey.answered_at).is_not(None)))
    for pair_id, rating, goal in rows.all():
        counts = out[group_of[pair_id]]
        if rating:
            counts["ratings"][rating - 1] += 1
        if goal:
            counts.setdefault("goals", []).append(goal)
