"""What came of the pairs, for the program report: each pair once (grouped like the rest of
the report, by its mentee's department or role, or by the month it started), with its
meetings, what both sides answered when asked how useful it was, and how it ended."""

from collections import defaultdict
from datetime import datetime, timedelta

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


RETAINED_AFTER = timedelta(days=365)


async def retention_counts(*, session: AsyncSession, workspace_id: int | None, group: str,
                           now: datetime, within=None) -> dict[str, dict]:
    """Per group, of the people whose roster gives a hiring date: mentees whose first
    mentorship began 12 months ago or more (and who were on staff then), and how many were
    still on staff 12 months after it; staff of the same roles never mentored who were on
    staff 12 months ago, and how many still are."""
    first = (select(func.min(Mentorship.started_at)).where(Mentorship.mentee_id == Member.id)
             .scalar_subquery())
    key = key_of(session, group, None)
    rows = await session.exec(scoped(
        select(key, Member.role, Member.hired_on, Member.left_on, first)
        .where(col(Member.hired_on).is_not(None)), workspace_id, None, None, within))
    cohort_end = now - RETAINED_AFTER
    mentees: dict[str, list[tuple[str | None, bool]]] = defaultdict(list)
    others: dict[str, list[tuple[str | None, bool]]] = defaultdict(list)
    for k, role, hired, left, started in rows.all():
        if started is None and hired <= cohort_end.date() and (left is None or left > cohort_end.date()):
            others[k].append((role, left is None or left > now.date()))
        elif started is not None and started <= cohort_end and hired <= started.date():
            mentees[k].append((role, left is None or left > (started + RETAINED_AFTER).date()))
    out = {}
    for k, people in mentees.items():
        roles = {role for role, _ in people}
        alike = [kept for role, kept in others.get(k, []) if role in roles]
        out[k] = {"retention_mentees": len(people), "retained_mentees": sum(kept for _, kept in people),
                  "retention_others": len(alike), "retained_others": sum(alike)}
    return out
