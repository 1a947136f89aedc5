"""Relationship-quality surveys and the pairs that have gone quiet: what the tick claims, and
what a person's answers are looked up by."""

from datetime import datetime

from sqlalchemy import exists, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import CheckIn, LearningRequest, Member, Mentorship, Survey
from storage.queries.common import LIVE, claim, insert_into, take_turns


async def claim_pairs_due_survey(*, session: AsyncSession, now: datetime, limit: int) -> list[Mentorship]:
    """Active pairs whose next checkpoint survey has come, locked."""
    return await claim(session, select(Mentorship).where(
        Mentorship.status == "active", col(Mentorship.next_survey_at) <= now)
        .order_by(Mentorship.next_survey_at), limit)


async def add_surveys(*, session: AsyncSession, rows: list[dict]) -> None:
    """Surveys falling due, each (pair, person, stage) once whoever adds it first."""
    if rows:
        await (await session.connection()).execute(insert_into(session, Survey.__table__)
                                                   .on_conflict_do_nothing(), rows)


SURVEY_LOCK = 0x73757276  # "surv": an advisory lock key of Preceptor's own


async def claim_due_surveys(*, session: AsyncSession, now: datetime, limit: int) -> list[Survey]:
    """Surveys due and not yet asked, oldest first, locked; instances take turns, so that two
    never each ask one person a survey at once (the fortnight rule reads who was asked)."""
    await take_turns(session, SURVEY_LOCK)
    return await claim(session, select(Survey).where(
        col(Survey.asked_at).is_(None), Survey.due_at <= now).order_by(Survey.due_at, Survey.id), limit)


async def pairs_by_id(*, session: AsyncSession, ids: set[int]) -> dict[int, Mentorship]:
    return {p.id: p for p in (await session.exec(select(Mentorship).where(
        col(Mentorship.id).in_(ids)))).all()}


async def last_asked(*, session: AsyncSession, member_ids: set[int]) -> dict[int, datetime]:
    """When each person was last asked a survey, on any pair."""
    return dict((await session.exec(select(Survey.member_id, func.max(Survey.asked_at))
                                    .where(col(Survey.member_id).in_(member_ids))
                                    .group_by(Survey.member_id))).all())


async def latest_answered(*, session: AsyncSession, member_id: int, since: datetime) -> Survey | None:
    """The person's most recently answered survey since `since` that has no line yet."""
    return (await session.exec(select(Survey).where(
        Survey.member_id == member_id, col(Survey.answered_at) >= since, col(Survey.note).is_(None))
        .order_by(col(Survey.answered_at).desc()).with_for_update())).first()


async def claim_never_met(*, session: AsyncSession, introduced_before: datetime,
                          limit: int) -> list[Mentorship]:
    """Live pairs introduced before then, not flagged yet, with no round either called "met"."""
    met = exists().where(CheckIn.mentorship_id == Mentorship.id, CheckIn.outcome == "met")
    return await claim(session, select(Mentorship).where(
        col(Mentorship.status).in_(LIVE), col(Mentorship.flagged_at).is_(None),
        Mentorship.started_at <= introduced_before, ~met).order_by(Mentorship.id), limit)


async def claim_quiet(*, session: AsyncSession, heard_before: datetime, limit: int) -> list[Mentorship]:
    """Live pairs neither side has answered since then, not yet warned."""
    return await claim(session, select(Mentorship).where(
        col(Mentorship.status).in_(LIVE), col(Mentorship.warned_at).is_(None),
        col(Mentorship.heard_at) <= heard_before).order_by(Mentorship.id), limit)


async def claim_warned(*, session: AsyncSession, warned_before: datetime, limit: int) -> list[Mentorship]:
    """Live pairs warned before then that nobody has answered since."""
    return await claim(session, select(Mentorship).where(
        col(Mentorship.status).in_(LIVE), col(Mentorship.warned_at) <= warned_before)
        .order_by(Mentorship.id), limit)


async def leads_in(*, session: AsyncSession, workspace_ids: set[int],
                   leads: frozenset[str]) -> dict[int, list[Member]]:
    """The program leads who have used Preceptor, by workspace."""
    found: dict[int, list[Member]] = {w: [] for w in workspace_ids}
    if leads and workspace_ids:
        for member in (await session.exec(select(Member).where(
                col(Member.workspace_id).in_(workspace_ids),
                col(Member.platform_user_id).in_(leads)))).all():
            found[member.workspace_id].append(member)
    return found


async def close_requests(*, session: AsyncSession, ids: set[int]) -> None:
    """The requests of pairs that ended are closed."""
    if ids:
        await session.exec(update(LearningRequest).where(col(LearningRequest.id).in_(ids))
                           .values(status="closed"))
