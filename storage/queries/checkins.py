"""Check-in rounds: what prompting a batch of pairs needs, a person's open rounds, reflections."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, or_, tuple_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Aspect, CheckIn, LearningRequest, Member, Mentorship, Reflection
from storage.queries.common import either_side


@dataclass
class PromptContext:
    """What prompting a batch of pairs needs, read in four queries rather than five a pair."""

    members: dict[int, Member]
    aspects: dict[int, str]
    goals: dict[int | None, str]     # the mentee's own words from `/learn`, by request
    last_rounds: dict[int, CheckIn]  # each pair's latest check-in, if it had one


async def prompt_context(*, session: AsyncSession, pairs: list[Mentorship]) -> PromptContext:
    people = {p.mentor_id for p in pairs} | {p.mentee_id for p in pairs}
    members = await session.exec(select(Member).where(col(Member.id).in_(people)))
    aspects = await session.exec(select(Aspect.id, Aspect.name).where(
        col(Aspect.id).in_({p.aspect_id for p in pairs})))
    goals = await session.exec(select(LearningRequest.id, LearningRequest.details).where(
        col(LearningRequest.id).in_({p.request_id for p in pairs if p.request_id})))
    rounds = [(p.id, p.rounds) for p in pairs if p.rounds]
    last: Iterable[CheckIn] = await session.exec(select(CheckIn).where(
        tuple_(CheckIn.mentorship_id, CheckIn.round).in_(rounds))) if rounds else []
    return PromptContext(members={m.id: m for m in members}, aspects=dict(aspects.all()),
                         goals=dict(goals.all()), last_rounds={c.mentorship_id: c for c in last})


async def open_rounds_of(*, session: AsyncSession, member_id: int) -> list[CheckIn]:
    """The latest rounds of the person's active pairs that wait for their answer (the other
    side may have answered "met" or "not yet"), newest first, locked."""
    return list((await session.exec(
        select(CheckIn).join(Mentorship)
        .where(or_(col(CheckIn.outcome).is_(None), col(CheckIn.outcome).in_(("met", "not_yet"))),
               Mentorship.status == "active", CheckIn.round == Mentorship.rounds,
               or_(and_(Mentorship.mentor_id == member_id, col(CheckIn.mentor_answer).is_(None)),
                   and_(Mentorship.mentee_id == member_id, col(CheckIn.mentee_answer).is_(None))))
        .order_by(col(CheckIn.asked_at).desc(), col(CheckIn.id).desc())
        .with_for_update(of=CheckIn))).all())


async def open_rounds_of_pair(*, session: AsyncSession, mentorship_id: int) -> list[CheckIn]:
    """A pair's rounds nobody has answered yet (at most its latest), locked."""
    return list((await session.exec(
        select(CheckIn).where(CheckIn.mentorship_id == mentorship_id, col(CheckIn.outcome).is_(None))
        .with_for_update())).all())


async def last_answered_round(*, session: AsyncSession, mentorship_id: int) -> CheckIn | None:
    return (await session.exec(
        select(CheckIn).where(CheckIn.mentorship_id == mentorship_id, col(CheckIn.outcome).is_not(None))
        .order_by(col(CheckIn.round).desc()))).first()


async def unreflected_wrapped_pair(*, session: AsyncSession, member_id: int) -> Mentorship | None:
    """The person's most recently wrapped mentorship they have not reflected on."""
    reflected = select(Reflection.mentorship_id).where(Reflection.member_id == member_id)
    return (await session.exec(
        select(Mentorship)
        .where(Mentorship.status == "wrapped",
               either_side(Mentorship, member_id),
               col(Mentorship.id).not_in(reflected))
        .order_by(col(Mentorship.ended_at).desc()))).first()
