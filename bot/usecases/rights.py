"""Data rights: `/mentor export` (all the bot holds on you) and `/mentor forget-me`
(erase it; aggregate counts stay, unlinked from you). Each erasure goes in the audit log."""

import json
import uuid

from bot.core.domain import WRAP_UP_STAGE, Ended, Status
from bot.core.grammar import Command
from bot.core.messages import Message
from bot.core.turn import Turn
from bot.delivery import outbox
from bot.privacy import audit
from bot.usecases.intros import left
from storage.models import LearnDraft, LearningRequest, Member, Survey
from storage.queries.mentorships import live_pairs_of
from storage.queries.personal_data import erase_personal_rows, personal_rows

PROFILE = ("platform_user_id", "name", "email", "role", "specialty", "department", "site",
           "career_start_year", "capacity", "tz", "quiet_start_hour", "quiet_end_hour",
           "paused", "paused_until", "quarterly_digest", "created_at", "last_active_at")


async def export(t: Turn, cmd: Command) -> Message:
    data = await collect(t)
    return Message("Everything I hold on you is in the attached file (JSON).",
                   file=("preceptor-export.json", json.dumps(data, indent=2, default=str)))


async def collect(t: Turn) -> dict:
    """Every fact held on the person, each with its aspect and the colleague it involves."""
    me = t.me
    rows = await personal_rows(session=t.session, member_id=me.id)
    aspect = t.aspect_name

    async def name(member_id: int | None) -> str | None:
        member = await t.session.get(Member, member_id) if member_id else None
        return member.name if member else None

    async def request_aspect(request_id: int) -> str:
        return await aspect((await t.session.get_one(LearningRequest, request_id)).aspect_id)

    pairs = {p.id: p for p in rows.pairs}
    side = "mentor_answer", "mentee_answer"
    return {
        "profile": {k: getattr(me, k) for k in PROFILE},
        "expertise": [{"aspect": await aspect(e.aspect_id), "source": e.source, "weight": e.weight}
                      for e in rows.expertise],
        "inferred_signals": [{"aspect": await aspect(s.aspect_id), "thread_answers": s.answers}
                             for s in rows.signals],
        "learning_requests": [
            {"aspect": await aspect(r.aspect_id), "your_words": r.details, "public": r.public,
             "status": r.status, "created_at": r.created_at} for r in rows.requests],
        "learn_drafts": await _drafts(rows.drafts, aspect),
        "intro_asks": [
            {"aspect": await request_aspect(a.request_id), "you_are": "mentor" if a.mentor_id == me.id
             else "mentee", "with": await name(a.mentee_id if a.mentor_id == me.id else a.mentor_id),
             "asked_by_you": a.asker_id == me.id, "status": a.status, "created_at": a.created_at,
             "answered_at": a.answered_at} for a in rows.asks],
        "mentorships": [
            {"as": "mentor" if p.mentor_id == me.id else "mentee", "aspect": await aspect(p.aspect_id),
             "with": await name(p.other_side(me.id)),
             "status": p.status, "started_at": p.started_at, "ended_at": p.ended_at,
             "check_ins": [{"round": c.round, "asked_at": c.asked_at, "outcome": c.outcome,
                            "your_answer": getattr(c, side[p.mentor_id != me.id])}
                           for c in rows.checkins[p.id]]}
            for p in rows.pairs],
        "reflections": [{"aspect": await aspect(pairs[r.mentorship_id].aspect_id),
                         "with": await name(pairs[r.mentorship_id].other_side(me.id)),
                         "text": r.text, "created_at": r.created_at} for r in rows.reflections],
        "surveys": await _surveys(rows.surveys, pairs, me.id, aspect, name),
        "thanks_sent": [{"to": await name(x.to_id), "text": x.text, "quotable": x.quotable,
                         "created_at": x.created_at} for x in rows.thanks_sent],
        "thanks_received": [{"from": await name(x.from_id), "text": x.text,
                             "created_at": x.created_at} for x in rows.thanks_received],
        "interactions": [{"with": await name(i.other_id), "count": i.count, "threads": i.threads,
                          "last_at": i.last_at} for i in rows.interactions],
        "channels": rows.channels,
    }


async def _surveys(surveys: list[Survey], pairs: dict, me: int, aspect, name) -> list[dict]:
    """My answers to "how useful has this mentorship been?", with the pair they are about."""
    return [{"aspect": await aspect(pairs[s.mentorship_id].aspect_id),
             "with": await name(pairs[s.mentorship_id].other_side(me)),
             "at_wrap_up": s.stage == WRAP_UP_STAGE, "asked_at": s.asked_at, "usefulness": s.rating,
             "closeness_to_goal": s.goal, "your_line": s.note, "answered_at": s.answered_at}
            for s in surveys]


async def _drafts(drafts: list[LearnDraft], aspect) -> list[dict]:
    """`/learn` questions not answered yet: the words as typed, and the guess offered."""
    return [{"as_you_typed_it": d.typed, "your_words": d.details, "created_at": d.created_at,
             "did_you_mean": await aspect(d.suggested_id) if d.suggested_id else None}
            for d in drafts]


async def forget_me(t: Turn, cmd: Command) -> Message:
    if cmd.text != "confirm":
        return Message(
            "This erases everything I hold on you: your profile, what you offered and asked "
            "for, your reflections, thanks you wrote, and who you talked with. Mentorships end, "
            "and the other person is told you left. Counts in the program report stay, with "
            "nothing linking them to you. To go ahead, type `/mentor forget-me confirm`.")
    me = t.me
    live = await live_pairs_of(session=t.session, member_id=me.id)
    for pair in live:
        pair.status, pair.ended_at, pair.end_reason = Status.WRAPPED, t.now, Ended.LEFT
        other = await t.session.get_one(Member, pair.other_side(me.id))
        aspect = await t.aspect_name(pair.aspect_id)
        ended = (f"Your mentorship on *{aspect}* has ended: the other person left Preceptor. "
                 "Thank you for your time together.")
        await outbox.to_members(t.session, members=[other], now=t.now,
                                message=await left(t.session, t.now, me, pair, other, aspect, ended))
    await erase_personal_rows(session=t.session, member_id=me.id, workspace_id=t.workspace.id,
                              platform_user_id=me.platform_user_id)
    for key in PROFILE:
        if key not in ("capacity", "quiet_start_hour", "quiet_end_hour", "created_at",
                       "paused", "quarterly_digest", "tz"):
            setattr(me, key, None)
    me.platform_user_id = f"forgotten-{uuid.uuid4().hex}"
    me.name, me.paused, me.unreachable, me.quarterly_digest = "", True, True, False
    await audit.record(t.session, kind="erasure", now=t.now, detail={"member": me.id})
    return Message("Done: I've erased what I held on you. If you come back, you start afresh.")

