"""The program report's counts, aggregated by the database, grouped by the mentee's department
or role, or by month, scoped to one workspace (None: all) and to activity since a date.

Requests, asks and pairs are counted by the mentee's group; a pair's check-ins go with the
pair. A month is that of the row's own date (a request's or an ask's creation, a pair's start).
"""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import case, func, literal
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Aspect, CheckIn, Expertise, IntroAsk, LearningRequest, Member, Mentorship
from storage.queries.common import LIVE, seen_through

GROUPS = ("overall", "department", "role", "month")
ANSWERED = ("accepted", "declined", "expired")


def _month(session: AsyncSession, when):
    """The row's month in UTC, as "2026-10" (PostgreSQL's own time zone setting aside)."""
    if session.bind.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", when), "YYYY-MM")
    return func.strftime("%Y-%m", when)


def key_of(session: AsyncSession, group: str, when):
    if group == "overall":
        return literal("all")
    if group == "month":
        return _month(session, when)
    return func.coalesce(getattr(Member, group), "not set")


def scoped(query, workspace_id: int | None, since: datetime | None, when, within=None):
    """Rows of the workspace (and of the people `within` picks: a program), since then."""
    if workspace_id is not None:
        query = query.where(Member.workspace_id == workspace_id)
    if within is not None:
        query = query.where(within)
    return query if since is None else query.where(when >= since)


async def group_sizes(*, session: AsyncSession, workspace_id: int | None, group: str,
                      within=None) -> dict[str, int]:
    """How many people each department (or role) holds."""
    key = key_of(session, group, None)
    query = scoped(select(key, func.count()).select_from(Member), workspace_id, None, None, within)
    return dict((await session.exec(query.group_by(key))).all())


async def report_counts(*, session: AsyncSession, workspace_id: int | None, since: datetime | None,
                        group: str, within=None) -> dict[str, dict]:
    """Per group: requests, hours to the first intro (a list, for the percentiles), asks
    answered and accepted, active, stalled and wrapped pairs, check-ins asked and replied."""
    out: dict[str, dict] = defaultdict(lambda: {"hours": []})
    when = LearningRequest.created_at
    key = key_of(session, group, when)
    base = select(key, func.count()).select_from(LearningRequest).join(
        Member, Member.id == LearningRequest.member_id)
    for k, n in (await session.exec(scoped(base, workspace_id, since, when, within).group_by(key))).all():
        out[k]["requests"] = n
    timed = (select(key, LearningRequest.created_at, LearningRequest.first_intro_at)
             .select_from(LearningRequest).join(Member, Member.id == LearningRequest.member_id)
             .where(col(LearningRequest.first_intro_at).is_not(None)))
    for k, created, first in (await session.exec(scoped(timed, workspace_id, since, when, within))).all():
        out[k]["hours"].append((first - created).total_seconds() / 3600)
    when = IntroAsk.created_at
    key = key_of(session, group, when)
    asks = (select(key, func.count(), func.sum(case((IntroAsk.status == "accepted", 1), else_=0)))
            .select_from(IntroAsk).join(Member, Member.id == IntroAsk.mentee_id)
            .where(col(IntroAsk.status).in_(ANSWERED)))
    asks = scoped(asks, workspace_id, since, when, within).group_by(key)
    for k, n, accepted in (await session.exec(asks)).all():
        out[k].update(asks_answered=n, asks_accepted=accepted or 0)
    await _pair_counts(session, out, workspace_id, since, group, within)
    return dict(out)


async def _pair_counts(session, out, workspace_id, since, group, within) -> None:
    when = Mentorship.started_at
    key = key_of(session, group, when)
    stalled = (Mentorship.status == "paused") & col(Mentorship.paused_by_id).is_(None)
    pairs = select(
        key, func.sum(case((Mentorship.status == "active", 1), else_=0)),
        func.sum(case((stalled, 1), else_=0)), func.sum(case((seen_through(Mentorship), 1), else_=0)),
    ).select_from(Mentorship).join(Member, Member.id == Mentorship.mentee_id)
    for k, active, stalled, wrapped in (await session.exec(
            scoped(pairs, workspace_id, since, when, within).group_by(key))).all():
        out[k].update(active_pairs=active or 0, stalled_pairs=stalled or 0, wrap_ups=wrapped or 0)
    replied = case((col(CheckIn.outcome).is_not(None) & (CheckIn.outcome != "silent"), 1), else_=0)
    checkins = select(key, func.count(), func.sum(replied)).select_from(CheckIn).join(
        Mentorship, Mentorship.id == CheckIn.mentorship_id).join(Member, Member.id == Mentorship.mentee_id)
    for k, asked, answered in (await session.exec(
            scoped(checkins, workspace_id, since, when, within).group_by(key))).all():
        out[k].update(checkins_asked=asked, checkins_replied=answered or 0)


async def month_sizes(*, session: AsyncSession, workspace_id: int | None, within=None,
                      since: datetime | None) -> dict[str, int]:
    """Each month with requests, and how many people asked in it (its group's size)."""
    month = _month(session, LearningRequest.created_at)
    query = select(month, func.count(func.distinct(LearningRequest.member_id))).join(
        Member, Member.id == LearningRequest.member_id)
    rows = await session.exec(scoped(query, workspace_id, since, LearningRequest.created_at, within)
                              .group_by(month))
    return dict(sorted(rows.all()))


async def unmet_aspects(*, session: AsyncSession, workspace_id: int | None, since: datetime | None,
                        now: datetime, limit: int = 10, within=None) -> list[tuple[str, int]]:
    """Aspects with requests waiting for a first intro that no available mentor offers, with
    how many wait (most first): whom to recruit."""
    waiting = scoped(
        select(LearningRequest.aspect_id, func.count()).join(Member, Member.id == LearningRequest.member_id)
        .where(LearningRequest.status == "open", col(LearningRequest.first_intro_at).is_(None)),
        workspace_id, since, LearningRequest.created_at, within).group_by(LearningRequest.aspect_id)
    counts = dict((await session.exec(waiting)).all())
    if not counts:
        return []
    live = (select(func.count()).where(Mentorship.mentor_id == Member.id, col(Mentorship.status).in_(LIVE))
            .scalar_subquery())
    available = scoped(
        select(Expertise.aspect_id).join(Member, Member.id == Expertise.member_id)
        .where(col(Expertise.aspect_id).in_(counts), Member.unreachable == False,  # noqa: E712
               (Member.paused == False) | (col(Member.paused_until).is_not(None)  # noqa: E712
                                           & (col(Member.paused_until) <= now)),
               live < Member.capacity),
        workspace_id, None, None, within).distinct()
    covered = set((await session.exec(available)).all())
    names = dict((await session.exec(select(Aspect.id, Aspect.name).where(col(Aspect.id).in_(counts)))).all())
    gaps = [(names[a], n) for a, n in counts.items() if a not in covered]
    return sorted(gaps, key=lambda g: (-g[1], g[0]))[:limit]
