"""All a person's rows, for `/mentor export`, and their erasure for `/mentor forget-me`
(rows that report counts stay, with nothing linking them to the person)."""

from dataclasses import dataclass

from sqlmodel import col, delete, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    AspectSignal,
    ChannelMember,
    CheckIn,
    ConversationRef,
    Expertise,
    Interaction,
    IntroAsk,
    LearnDraft,
    LearningRequest,
    Mentorship,
    Reflection,
    Survey,
    Thanks,
)
from storage.queries.common import either_side
from storage.queries.observations import erase_observations


@dataclass
class PersonalRows:
    expertise: list[Expertise]
    signals: list[AspectSignal]
    requests: list[LearningRequest]
    drafts: list[LearnDraft]             # /learn waiting for its author to confirm the aspect
    asks: list[IntroAsk]
    pairs: list[Mentorship]
    checkins: dict[int, list[CheckIn]]   # by mentorship
    reflections: list[Reflection]
    surveys: list[Survey]                # their own answers on how mentorships went
    thanks_sent: list[Thanks]
    thanks_received: list[Thanks]        # the ones the sender let be quoted
    interactions: list[Interaction]
    channels: list[str]


async def personal_rows(*, session: AsyncSession, member_id: int) -> PersonalRows:
    def all_of(query):
        return session.exec(query)

    pairs = list((await all_of(select(Mentorship).where(either_side(Mentorship, member_id)))).all())
    checkins: dict[int, list[CheckIn]] = {p.id: [] for p in pairs}
    for checkin in (await all_of(select(CheckIn).where(col(CheckIn.mentorship_id).in_(checkins)))).all():
        checkins[checkin.mentorship_id].append(checkin)
    return PersonalRows(
        expertise=list((await all_of(select(Expertise).where(Expertise.member_id == member_id))).all()),
        signals=list((await all_of(select(AspectSignal).where(AspectSignal.member_id == member_id))).all()),
        requests=list((await all_of(select(LearningRequest).where(
            LearningRequest.member_id == member_id))).all()),
        drafts=list((await all_of(select(LearnDraft).where(LearnDraft.member_id == member_id))).all()),
        asks=list((await all_of(select(IntroAsk).where(either_side(IntroAsk, member_id)))).all()),
        pairs=pairs, checkins=checkins,
        reflections=list((await all_of(select(Reflection).where(Reflection.member_id == member_id))).all()),
        surveys=list((await all_of(select(Survey).where(Survey.member_id == member_id))).all()),
        thanks_sent=list((await all_of(select(Thanks).where(Thanks.from_id == member_id))).all()),
        thanks_received=list((await all_of(select(Thanks).where(
            Thanks.to_id == member_id, Thanks.quotable == True))).all()),  # noqa: E712
        interactions=list((await all_of(select(Interaction).where(
            Interaction.member_id == member_id))).all()),
        channels=list((await all_of(select(ChannelMember.channel).where(
            ChannelMember.member_id == member_id))).all()),
    )


async def erase_personal_rows(*, session: AsyncSession, member_id: int, workspace_id: int,
                              platform_user_id: str) -> None:
    """Delete what is only the person's; blank their words where a row must stay for counts."""
    for model, owner in ((Expertise, Expertise.member_id), (AspectSignal, AspectSignal.member_id),
                         (Reflection, Reflection.member_id), (ChannelMember, ChannelMember.member_id),
                         (LearnDraft, LearnDraft.member_id)):
        await session.exec(delete(model).where(owner == member_id))
    await session.exec(delete(Interaction).where(
        or_(Interaction.member_id == member_id, Interaction.other_id == member_id)))
    await session.exec(delete(ConversationRef).where(
        ConversationRef.workspace_id == workspace_id, ConversationRef.key == platform_user_id))
    await erase_observations(session=session, workspace_id=workspace_id, user_id=platform_user_id)
    for request in (await session.exec(select(LearningRequest).where(
            LearningRequest.member_id == member_id))).all():
        request.details = ""
        request.status = "closed" if request.status == "open" else request.status
    for ask in (await session.exec(select(IntroAsk).where(either_side(IntroAsk, member_id)))).all():
        ask.reasons = []
        ask.status = "withdrawn" if ask.status == "pending" else ask.status
    for pair in (await session.exec(select(Mentorship).where(either_side(Mentorship, member_id)))).all():
        pair.reasons = []
    await session.exec(delete(Survey).where(Survey.member_id == member_id,
                                            col(Survey.answered_at).is_(None)))
    await session.exec(update(Survey).where(Survey.member_id == member_id).values(note=None))
    for thanks in (await session.exec(select(Thanks).where(
            or_(Thanks.from_id == member_id, Thanks.to_id == member_id)))).all():
        thanks.text, thanks.quotable = "", False
