"""Data rights: `/mentor export` (all the bot holds on you) and `/mentor forget-me`
(erase it; aggregate counts stay, unlinked from you). Each erasure goes in the audit log."""

import json
import uuid

from sqlmodel import col, delete, or_, select

from bot.core.domain import Status
from bot.core.grammar import Command
from bot.core.messages import Message
from bot.core.turn import Turn
from bot.delivery import outbox
from bot.privacy import audit
from storage.models import (
    AspectSignal,
    ChannelMember,
    CheckIn,
    ConversationRef,
    Expertise,
    Interaction,
    IntroAsk,
    LearningRequest,
    Member,
    Mentorship,
    Reflection,
    Thanks,
)

PROFILE = ("platform_user_id", "name", "email", "role", "specialty", "department", "site",
           "career_start_year", "capacity", "tz", "quiet_start_hour", "quiet_end_hour",
           "paused", "paused_until", "quarterly_digest", "created_at", "last_active_at")


async def export(t: Turn, cmd: Command) -> Message:
    data = await collect(t)
    return Message("Everything I hold on you is in the attached file (JSON).",
                   file=("preceptor-export.json", json.dumps(data, indent=2, default=str)))


async def collect(t: Turn) -> dict:
    me = t.me
    rows = lambda query: t.session.exec(query)  # noqa: E731
    pairs = (await rows(select(Mentorship).where(
        or_(Mentorship.mentor_id == me.id, Mentorship.mentee_id == me.id)))).all()
    names = {}
    for pair in pairs:
        for who in (pair.mentor_id, pair.mentee_id):
            names.setdefault(who, (await t.session.get_one(Member, who)).name)

    async def aspect(aspect_id: int) -> str:
        return await t.aspect_name(aspect_id)

    return {
        "profile": {k: getattr(me, k) for k in PROFILE},
        "expertise": [{"aspect": await aspect(e.aspect_id), "source": e.source, "weight": e.weight}
                      for e in (await rows(select(Expertise).where(Expertise.member_id == me.id))).all()],
        "inferred_signals": [
            {"aspect": await aspect(s.aspect_id), "thread_answers": s.answers}
            for s in (await rows(select(AspectSignal).where(AspectSignal.member_id == me.id))).all()],
        "learning_requests": [
            {"aspect": await aspect(r.aspect_id), "your_words": r.details, "public": r.public,
             "status": r.status, "created_at": r.created_at}
            for r in (await rows(select(LearningRequest).where(LearningRequest.member_id == me.id))).all()],
        "intro_asks": [
            {"mentor": a.mentor_id == me.id, "status": a.status, "created_at": a.created_at}
            for a in (await rows(select(IntroAsk).where(
                or_(IntroAsk.mentor_id == me.id, IntroAsk.mentee_id == me.id)))).all()],
        "mentorships": [
            {"as": "mentor" if p.mentor_id == me.id else "mentee", "aspect": await aspect(p.aspect_id),
             "with": names[p.mentee_id if p.mentor_id == me.id else p.mentor_id],
             "status": p.status, "started_at": p.started_at, "ended_at": p.ended_at,
             "check_ins": [{"round": c.round, "outcome": c.outcome, "answered_by_you":
                            c.answered_by_id == me.id} for c in (await rows(
                                select(CheckIn).where(CheckIn.mentorship_id == p.id))).all()]}
            for p in pairs],
        "reflections": [r.text for r in (await rows(select(Reflection).where(
            Reflection.member_id == me.id))).all()],
        "thanks_sent": [x.text for x in (await rows(select(Thanks).where(Thanks.from_id == me.id))).all()],
        "thanks_received": [x.text for x in (await rows(select(Thanks).where(
            Thanks.to_id == me.id, Thanks.quotable == True))).all()],  # noqa: E712
        "interactions": [{"with_member": i.other_id, "count": i.count, "threads": i.threads,
                          "last_at": i.last_at}
                         for i in (await rows(select(Interaction).where(
                             Interaction.member_id == me.id))).all()],
        "channels": list((await rows(select(ChannelMember.channel).where(
            ChannelMember.member_id == me.id))).all()),
    }


async def forget_me(t: Turn, cmd: Command) -> Message:
    if cmd.text != "confirm":
        return Message(
            "This erases everything I hold on you: your profile, what you offered and asked "
            "for, your reflections, thanks you wrote, and who you talked with. Mentorships end, "
            "and the other person is told you left. Counts in the program report stay, with "
            "nothing linking them to you. To go ahead, type `/mentor forget-me confirm`.")
    me = t.me
    live = (await t.session.exec(select(Mentorship).where(
        or_(Mentorship.mentor_id == me.id, Mentorship.mentee_id == me.id),
        col(Mentorship.status).in_((Status.ACTIVE, Status.PAUSED))))).all()
    for pair in live:
        pair.status, pair.ended_at = Status.WRAPPED, t.now
        other = await t.session.get_one(
            Member, pair.mentee_id if pair.mentor_id == me.id else pair.mentor_id)
        await outbox.to_members(t.session, members=[other], now=t.now, message=Message(
            f"Your mentorship on *{await t.aspect_name(pair.aspect_id)}* has ended: the other "
            "person left Preceptor. Thank you for your time together."))
    for model, owner in ((Expertise, Expertise.member_id), (AspectSignal, AspectSignal.member_id),
                         (Reflection, Reflection.member_id), (ChannelMember, ChannelMember.member_id)):
        await t.session.exec(delete(model).where(owner == me.id))
    await t.session.exec(delete(Interaction).where(
        or_(Interaction.member_id == me.id, Interaction.other_id == me.id)))
    await t.session.exec(delete(ConversationRef).where(
        ConversationRef.workspace_id == t.workspace.id, ConversationRef.key == me.platform_user_id))
    for request in (await t.session.exec(select(LearningRequest).where(
            LearningRequest.member_id == me.id))).all():
        request.details = ""
        request.status = Status.CLOSED if request.status == Status.OPEN else request.status
    for ask in (await t.session.exec(select(IntroAsk).where(
            or_(IntroAsk.mentor_id == me.id, IntroAsk.mentee_id == me.id)))).all():
        ask.reasons = []
        ask.status = Status.WITHDRAWN if ask.status == Status.PENDING else ask.status
    for pair in (await t.session.exec(select(Mentorship).where(
            or_(Mentorship.mentor_id == me.id, Mentorship.mentee_id == me.id)))).all():
        pair.reasons = []
    for thanks in (await t.session.exec(select(Thanks).where(
            or_(Thanks.from_id == me.id, Thanks.to_id == me.id)))).all():
        thanks.text, thanks.quotable = "", False
    for key in PROFILE:
        if key not in ("capacity", "quiet_start_hour", "quiet_end_hour", "created_at",
                       "paused", "quarterly_digest", "tz"):
            setattr(me, key, None)
    me.platform_user_id = f"forgotten-{uuid.uuid4().hex}"
    me.name, me.paused, me.unreachable, me.quarterly_digest = "", True, True, False
    await audit.record(t.session, kind="erasure", now=t.now, detail={"member": me.id})
    return Message("Done: I've erased what I held on you. If you come back, you start afresh.")

