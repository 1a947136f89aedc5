"""What ranking mentors reads: who may mentor an aspect, and the signals about each candidate,
each a bulk query over the candidate set (never a scan of everyone)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Float, Select, case, cast, literal_column, union_all
from sqlmodel import and_, col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    ChannelMember,
    CheckIn,
    Expertise,
    Interaction,
    IntroAsk,
    LearningRequest,
    Member,
    Mentorship,
    Survey,
)
from storage.models.people import GUEST
from storage.queries.common import LIVE, seen_through

CANDIDATE_FIELDS = ("id", "name", "role", "specialty", "department", "site", "career_start_year",
                    "capacity", "last_active_at")


async def eligible_mentors(*, session: AsyncSession, mentee_id: int, workspace_id: int, aspect_id: int,
                           now: datetime, declined_since: datetime, known: list[int],
                           likeness: ColumnElement, likeness_params: dict, limit: int,
                           within: ColumnElement[bool] | None = None) -> list[tuple]:
    """`CANDIDATE_FIELDS` of people with expertise on the aspect who pass the hard filters
    (capacity aside): not the mentee, not a guest, reachable, not paused, not declined by or
    declining the mentee since `declined_since`, not already their mentor on it. All of
    them the mentee `known`s, then the best others by `likeness` (an SQL expression over
    Member, with its parameters), `limit` in all: the database sorts thousands, Python sees
    a few hundred. `within`: only these members (a program that keeps to its own people)."""
    declined = select(IntroAsk.mentor_id).where(
        IntroAsk.mentee_id == mentee_id, IntroAsk.status == "declined",
        IntroAsk.answered_at >= declined_since)
    already = select(Mentorship.mentor_id).where(
        Mentorship.mentee_id == mentee_id, Mentorship.aspect_id == aspect_id,
        col(Mentorship.status).in_(LIVE))
    # Driven from the aspect's experts (each once), so the plan stays an index walk even
    # where the statistics are stale (PostgreSQL just after a roster import).
    experts = select(Expertise.member_id).where(Expertise.aspect_id == aspect_id).distinct().subquery()
    eligible = (
        select(*(getattr(Member, f) for f in CANDIDATE_FIELDS))
        .join(experts, experts.c.member_id == Member.id)
        .where(Member.workspace_id == workspace_id,
               Member.id != mentee_id, Member.unreachable == False,  # noqa: E712
               Member.affiliation != GUEST,
               Member.capacity > 0, col(Member.id).not_in(declined), col(Member.id).not_in(already),
               or_(Member.paused == False, and_(col(Member.paused_until).is_not(None),  # noqa: E712
                                                 col(Member.paused_until) <= now))))
    if within is not None:
        eligible = eligible.where(within)
    found = list((await session.exec(eligible.where(col(Member.id).in_(known)))).all()) if known else []
    others = eligible.where(col(Member.id).not_in(known)) if known else eligible
    found += (await session.exec(others.order_by(likeness.desc(), Member.id)
                                 .limit(max(limit - len(found), 0)), params=likeness_params)).all()
    return found


async def edges_from(*, session: AsyncSession, member_id: int,
                     others: list[int] | None = None) -> dict[int, Interaction]:
    """The member's interaction edges (to `others`, if given), by the other person (a few
    dozen rows)."""
    rows = await session.exec(select(Interaction).where(Interaction.member_id == member_id))
    return {e.other_id: e for e in rows.all() if others is None or e.other_id in others}


async def expertise_weights(*, session: AsyncSession, member_ids: list[int],
                            aspect_id: int) -> dict[int, dict[str, float]]:
    """Each member's expertise on the aspect: source -> weight."""
    rows = await session.exec(
        select(Expertise.member_id, Expertise.source, Expertise.weight)
        .where(Expertise.aspect_id == aspect_id, col(Expertise.member_id).in_(member_ids)))
    found: dict[int, dict[str, float]] = {}
    for member_id, source, weight in rows.all():
        found.setdefault(member_id, {})[source] = weight
    return found


async def has_expertise(*, session: AsyncSession, member_id: int, aspect_id: int) -> bool:
    return (await session.exec(select(Expertise.id).where(
        Expertise.member_id == member_id, Expertise.aspect_id == aspect_id))).first() is not None


async def wrapped_counts(*, session: AsyncSession, mentor_ids: list[int],
                         aspect_id: int | None = None) -> dict[int, int]:
    """Mentorships each mentor saw through to a wrap-up (on the aspect, when given)."""
    query = (select(Mentorship.mentor_id, func.count())
             .where(col(Mentorship.mentor_id).in_(mentor_ids), seen_through(Mentorship))
             .group_by(Mentorship.mentor_id))
    if aspect_id is not None:
        query = query.where(Mentorship.aspect_id == aspect_id)
    return dict((await session.exec(query)).all())


@dataclass(frozen=True, slots=True)
class MentorCounts:
    live: int  # mentorships holding capacity now (active or paused)
    wrapped: int  # seen through to a wrap-up, on any aspect
    wrapped_on: int  # … on the aspect asked about
    rounds: int  # check-in rounds asked of their pairs


async def mentorship_counts(*, session: AsyncSession, mentor_ids: list[int],
                            aspect_id: int) -> dict[int, MentorCounts]:
    """Each candidate's mentorships, counted four ways in one grouped query."""
    wrapped = seen_through(Mentorship)
    rows = await session.exec(
        select(Mentorship.mentor_id,
               func.sum(case((col(Mentorship.status).in_(LIVE), 1), else_=0)),
               func.sum(case((wrapped, 1), else_=0)),
               func.sum(case((and_(wrapped, Mentorship.aspect_id == aspect_id), 1), else_=0)),
               func.sum(Mentorship.rounds))
        .where(col(Mentorship.mentor_id).in_(mentor_ids)).group_by(Mentorship.mentor_id))
    return {m: MentorCounts(int(live), int(done), int(on), int(rounds or 0))
            for m, live, done, on, rounds in rows.all()}


async def members_by_id(*, session: AsyncSession, ids: list[int]) -> dict[int, Member]:
    """Whole rows for a few members, in one query."""
    rows = await session.exec(select(Member).where(col(Member.id).in_(ids)))
    return {m.id: m for m in rows.all()}


async def shared_small_channels(*, session: AsyncSession, member_id: int, others: list[int],
                                small: int) -> dict[int, int]:
    """How many channels of at most `small` members each of `others` shares with the member."""
    mine = select(ChannelMember.channel).where(ChannelMember.member_id == member_id)
    sizes = dict((await session.exec(
        select(ChannelMember.channel, func.count())
        .where(col(ChannelMember.channel).in_(mine)).group_by(ChannelMember.channel))).all())
    shared = [c for c, n in sizes.items() if n <= small]
    if not shared:
        return {}
    rows = await session.exec(
        select(ChannelMember.member_id, func.count())
        .where(col(ChannelMember.channel).in_(shared), col(ChannelMember.member_id).in_(others))
        .group_by(ChannelMember.member_id))
    return dict(rows.all())


async def mutual_contacts(*, session: AsyncSession, member_id: int, others: list[int]) -> dict[int, int]:
    """Colleagues in common: the member's contacts who also interacted with each of `others`."""
    contacts = select(Interaction.other_id).where(Interaction.member_id == member_id)
    rows = await session.exec(
        select(Interaction.other_id, func.count())
        .where(col(Interaction.member_id).in_(contacts), col(Interaction.other_id).in_(others),
               Interaction.other_id != member_id)
        .group_by(Interaction.other_id))
    return dict(rows.all())


@dataclass
class TrackRecords:
    """What candidates did: their mentees' ratings (one mean per pair that answered), check-ins
    they answered, whether they asked to learn something since a date, and how they answered
    asks to mentor (by status: accepted, declined, expired)."""

    ratings: dict[int, list[float]] = field(default_factory=dict)
    answered: Counter = field(default_factory=Counter)
    learning: set[int] = field(default_factory=set)
    asks: Counter = field(default_factory=Counter)


async def track_records(*, session: AsyncSession, member_ids: list[int], since: datetime) -> TrackRecords:
    """`TrackRecords` for `member_ids` in one statement: a UNION ALL of four grouped queries,
    each row (signal, member, key, value), so ranking pays one round trip, not four."""
    ids, n = member_ids, cast(func.count(), Float)
    zero: ColumnElement = literal_column("0")
    by_mentee = (Survey.mentorship_id == Mentorship.id) & (Survey.member_id == Mentorship.mentee_id)
    mean = cast(func.avg(Survey.rating), Float)
    rated: Select = (
        select(literal_column("'rated'"), Mentorship.mentor_id, Mentorship.id, mean)
        .join(Survey, by_mentee).where(col(Mentorship.mentor_id).in_(ids), col(Survey.rating).is_not(None))
        .group_by(Mentorship.mentor_id, Mentorship.id))
    answered: Select = (
        select(literal_column("'answered'"), CheckIn.answered_by_id, zero, n)
        .where(col(CheckIn.answered_by_id).in_(ids)).group_by(CheckIn.answered_by_id))
    learning: Select = (
        select(literal_column("'learning'"), LearningRequest.member_id, zero, n)
        .where(col(LearningRequest.member_id).in_(ids), LearningRequest.created_at >= since)
        .group_by(LearningRequest.member_id))
    statuses = {"accepted": 1, "declined": 2, "expired": 3}
    asks: Select = (
        select(literal_column("'asks'"), IntroAsk.asked_id, case(statuses, value=IntroAsk.status), n)
        .where(col(IntroAsk.asked_id).in_(ids), IntroAsk.mentor_id == IntroAsk.asked_id,
               col(IntroAsk.status).in_(statuses))
        .group_by(IntroAsk.asked_id, IntroAsk.status))
    found = TrackRecords()
    by_number = {n: status for status, n in statuses.items()}
    for signal, member, key, value in (await session.exec(union_all(rated, answered, learning, asks))).all():
        if signal == "rated":
            found.ratings.setdefault(member, []).append(value)
        elif signal == "answered":
            found.answered[member] = int(value)
        elif signal == "learning":
            found.learning.add(member)
        else:
            found.asks[(member, by_number[key])] = int(value)
    return found
