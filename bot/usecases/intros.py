"""Double opt-in introductions: one side asks, the other accepts, and only then they meet."""

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.domain import DECLINE_MEMORY_DAYS, Status
from bot.core.errors import AlreadyDone, AtCapacity, NotFound, NotYours, Paused
from bot.core.messages import Button, Message, button_ids
from bot.core.turn import Turn, is_paused, tag
from bot.core.wording import plural
from bot.delivery import outbox
from bot.matching import ranking as matching
from bot.privacy import audit
from bot.usecases.learning import suggested
from bot.usecases.surveys import first_survey
from storage.models import Aspect, IntroAsk, LearningRequest, Member, Mentorship
from storage.queries.asks import claim_expired_asks, declined_since, other_pending_asks, pending_ask_between
from storage.queries.candidates import has_expertise
from storage.queries.mentorships import has_live_pair, live_mentee_counts


async def volunteer(t: Turn, value: str) -> Message:
    """`offer_help`: the actor offers to mentor the person behind a public request."""
    (request_id,) = button_ids(value, 1)
    request = await t.get(LearningRequest, request_id, "request", lock=True)
    mentee = await t.member(request.member_id)
    if mentee.id == t.me.id:
        raise NotYours("That's your own request; your colleagues can volunteer on it.")
    if not request.public:
        raise NotFound("I can't find that request any more; it may have been removed.")
    if request.status != Status.OPEN:
        raise AlreadyDone(f"{tag(mentee)} has already found a mentor for this. Thank you!")
    ask = await _create_ask(t, request, mentor=t.me, mentee=mentee, asked=mentee, origin="volunteer")
    aspect = await t.aspect_name(request.aspect_id)
    await outbox.to_members(t.session, members=[mentee], now=t.now, dedupe_key=f"ask:{ask.id}",
                            message=ask_card(t, ask, request, mentor=t.me, mentee=mentee,
                                             aspect=aspect))
    return Message(f"Thank you! I've asked {tag(mentee)}; I'll introduce you both if they accept."
                   + t.until_awake(mentee, "your offer"))


async def request_intro(t: Turn, value: str) -> Message:
    """`request_intro`: the mentee asks a suggested mentor."""
    request_id, mentor_id = button_ids(value, 2)
    request = await t.get(LearningRequest, request_id, "request", lock=True)
    if request.member_id != t.me.id:
        raise NotYours("Only the person who asked to learn this can request that intro.")
    if request.status != Status.OPEN:
        raise AlreadyDone("You already have a mentor for this request; `/mentor status` shows it.")
    mentor = await t.member(mentor_id)
    if not await has_expertise(session=t.session, member_id=mentor.id, aspect_id=request.aspect_id):
        raise NotFound("That person doesn't mentor this aspect; pick one of your suggestions.")
    ask = await _create_ask(t, request, mentor=mentor, mentee=t.me, asked=mentor, origin="request")
    aspect = await t.aspect_name(request.aspect_id)
    await outbox.to_members(t.session, members=[mentor], now=t.now, dedupe_key=f"ask:{ask.id}",
                            message=ask_card(t, ask, request, mentor=mentor, mentee=t.me,
                                             aspect=aspect))
    return Message(
        f"I've asked {tag(mentor)}. You'll hear from me when they answer "
        f"(by {t.date(ask.expires_at)} at the latest)." + t.until_awake(mentor, "your ask")
    )


def ask_card(t: Turn, ask: IntroAsk, request: LearningRequest, *, mentor: Member,
             mentee: Member, aspect: str) -> Message:
    """The card an ask is answered on: for the mentor a mentee asked, or for the mentee a
    volunteer offered to. Once answered or expired it says so, without its buttons."""
    asked = mentor if ask.asked_id == mentor.id else mentee
    reasons = "; ".join(ask.reasons)
    expires = t.date(ask.expires_at, asked)
    if ask.origin == "request":
        words = f"\n> {request.details}" if request.details else ""
        text = f"{tag(mentee)} would like your help with *{aspect}*.{words}"
        sections: tuple[str, ...] = (f"Why you: {reasons}.",
                    "It starts light: a 15-minute coffee or a call between shifts.")
        waiting = f"This ask expires {expires}."
    else:
        text = f"{tag(mentor)} offered to help you with *{aspect}*."
        sections = (f"Why they could fit: {reasons}.",)
        waiting = f"Accept and I'll introduce you both. This offer expires {expires}."
    refresh = ("intro_accept", str(ask.id))
    if ask.status == Status.PENDING and ask.expires_at > t.now:
        return Message(text, sections, context=(waiting,), refresh=refresh, buttons=(
            Button("Accept", "intro_accept", str(ask.id), "primary"),
            Button("Not now", "intro_decline", str(ask.id))))
    when = t.date(ask.answered_at or ask.expires_at, asked)
    standing = {
        Status.ACCEPTED: f"Accepted on {when}: you've been introduced.",
        Status.DECLINED: f"Answered \"Not now\" on {when}.",
        Status.WITHDRAWN: f"Closed on {when}: {tag(mentee)} has found a mentor for this.",
    }.get(ask.status, f"This ask expired on {when}.")
    return Message(text, sections, context=(standing,), refresh=refresh)


async def ask_view(t: Turn, value: str) -> Message:
    """How an ask card stands now, for either side of it (Teams asks when it is looked at)."""
    ask = await t.get(IntroAsk, button_ids(value, 1)[0], "ask")
    if t.me.id not in (ask.mentor_id, ask.mentee_id):
        raise NotYours("This ask is between two other colleagues.")
    request = await t.get(LearningRequest, ask.request_id, "request")
    mentor, mentee = await t.member(ask.mentor_id), await t.member(ask.mentee_id)
    return ask_card(t, ask, request, mentor=mentor, mentee=mentee,
                    aspect=await t.aspect_name(request.aspect_id))


async def _create_ask(t: Turn, request, *, mentor: Member, mentee: Member, asked: Member,
                      origin: str) -> IntroAsk:
    await _check_can_mentor(t, mentor, mentee, request.aspect_id)
    pending = await pending_ask_between(session=t.session, request_id=request.id, mentor_id=mentor.id)
    if pending:
        waiting_on = "you: answer it with its buttons or in `/mentor status`" if (
            pending.asked_id == t.me.id) else "them"
        raise AlreadyDone(f"There's already an ask between you two, waiting on {waiting_on}.")
    aspect = await t.aspect_name(request.aspect_id)
    reasons = await matching.explain(
        t.session, mentee=mentee, mentor=mentor, aspect_id=request.aspect_id, aspect_name=aspect,
        now=t.now,
    )
    ask = IntroAsk(
        request_id=request.id, mentor_id=mentor.id, mentee_id=mentee.id, asker_id=t.me.id,
        asked_id=asked.id, origin=origin, reasons=list(reasons), created_at=t.now,
        expires_at=t.now + timedelta(hours=t.settings.preceptor_ask_ttl_hours),
    )
    t.session.add(ask)
    await t.session.flush()
    return ask


async def _check_can_mentor(t: Turn, mentor: Member, mentee: Member, aspect_id: int) -> None:
    """The hard filters, as refusals a person can understand. The mentor's row stays locked
    until commit, so two accepts at once cannot both take the last free place."""
    await t.session.refresh(mentor, with_for_update=True)
    you = mentor.id == t.me.id
    if mentor.id == mentee.id:
        raise NotYours("You can't be your own mentor.")
    if is_paused(mentor, t.now) or mentor.unreachable:
        raise Paused("You're paused; `/mentor resume` first." if you
                     else f"{tag(mentor)} is not taking mentees right now.")
    count = (await live_mentee_counts(session=t.session, mentor_ids=[mentor.id])).get(mentor.id, 0)
    if count >= mentor.capacity:
        raise AtCapacity(
            f"You're at capacity ({mentor.capacity}). Raise it with `/mentor capacity <n>` "
            "or wrap up a mentorship first." if you
            else f"{tag(mentor)} has no room for another mentee right now."
        )
    if await has_live_pair(session=t.session, mentor_id=mentor.id, mentee_id=mentee.id,
                           aspect_id=aspect_id):
        raise AlreadyDone("You two already have a mentorship on this.")
    since = t.now - timedelta(days=DECLINE_MEMORY_DAYS)
    if await declined_since(session=t.session, mentor_id=mentor.id, mentee_id=mentee.id, since=since):
        raise AlreadyDone("One of you declined an intro recently, so I won't ask again for now.")


async def _pending_ask_for_me(t: Turn, value: str) -> tuple[IntroAsk, LearningRequest]:
    """The ask and its request, both locked until commit. Every use case that touches asks
    locks the request first, so accepts and volunteers on one request take turns."""
    (ask_id,) = button_ids(value, 1)
    ask = await t.get(IntroAsk, ask_id, "ask")
    request = await t.get(LearningRequest, ask.request_id, "request", lock=True)
    await t.session.refresh(ask, with_for_update=True)
    if ask.asked_id != t.me.id:
        raise NotYours("This ask is for someone else; only they can answer it.")
    if ask.status == Status.WITHDRAWN:
        raise AlreadyDone("This ask was withdrawn: a mentor has been found for that request.")
    if ask.status != Status.PENDING:
        raise AlreadyDone(f"This ask was already {ask.status}.")
    if ask.expires_at <= t.now:
        raise AlreadyDone("This ask has expired; a new `/learn` or offer can start another.")
    return ask, request


async def accept(t: Turn, value: str) -> Message:
    """`intro_accept`: create the mentorship and introduce both (Slack: one group message;
    Teams, which cannot open a group chat for a bot: a card to each with a chat link)."""
    ask, request = await _pending_ask_for_me(t, value)
    mentor, mentee = await t.member(ask.mentor_id), await t.member(ask.mentee_id)
    if request.status != Status.OPEN:
        raise AlreadyDone("You already have a mentor for this request; `/mentor status` shows it."
                          if t.me.id == mentee.id
                          else f"{tag(mentee)} has already found a mentor for this. Thank you!")
    await _check_can_mentor(t, mentor, mentee, request.aspect_id)
    ask.status, ask.answered_at = Status.ACCEPTED, t.now
    pair = Mentorship(
        mentor_id=mentor.id, mentee_id=mentee.id, aspect_id=request.aspect_id,
        request_id=request.id, reasons=ask.reasons, cadence_days=t.settings.preceptor_checkin_days,
        next_checkin_at=t.now + timedelta(days=t.settings.preceptor_checkin_days),
        started_at=t.now, heard_at=t.now, next_survey_at=first_survey(t.now),
    )
    t.session.add(pair)
    request.status = Status.MATCHED
    request.first_intro_at = request.first_intro_at or t.now
    await t.session.flush()
    aspect = await t.aspect_name(request.aspect_id)
    await audit.record(t.session, kind="introduction", now=t.now, detail={
        "mentorship": pair.id, "mentor": mentor.id, "mentee": mentee.id,
        "aspect": request.aspect_id, "ask": ask.id})
    await _withdraw_others(t, request, ask, mentee, aspect)
    words = f"\n> {request.details}" if request.details else ""
    await outbox.to_members(
        t.session, members=[mentor, mentee], group=True, now=t.now,
        dedupe_key=f"intro:{pair.id}",
        message=Message(
            f"{tag(mentor)}, meet {tag(mentee)}: {mentee.name or 'they'} wants to get better at "
            f"*{aspect}*, and you said yes to helping.{words}",
            sections=(
                f"Why you two: {'; '.join(pair.reasons)}.",
                f"Suggested first step: a 15-minute coffee or call in the next week. "
                f"{tag(mentee)}, propose two times that suit your shifts.",
            ),
            context=(f"I'll check in with you both in {plural(pair.cadence_days, 'day')}.",),
        ),
    )
    other = mentee if t.me.id == mentor.id else mentor
    held = t.until_awake(other, "the introduction", "you both")
    if held:  # the introduction waits until both are awake
        return Message(f"Wonderful: I'm introducing you and {tag(other)}.{held}")
    return Message(f"Wonderful: I've introduced you and {tag(other)}: the introduction is "
                   "in your messages with me.")


async def _withdraw_others(t, request, accepted, mentee, aspect) -> None:
    """The request's other asks end, and each other mentor hears it kindly: the one who was
    asked has nothing left to answer, the one who volunteered was promised an answer."""
    others = await other_pending_asks(session=t.session, request_id=request.id, except_id=accepted.id)
    for ask in others:
        ask.status, ask.answered_at = Status.WITHDRAWN, t.now
        mentor = await t.member(ask.mentor_id)
        text = (f"No action needed: {tag(mentee)} has found a mentor for *{aspect}*. Thank you!"
                if ask.origin == "request" else
                f"{tag(mentee)} has found a mentor for *{aspect}*, so your offer is closed. "
                "Thank you for offering: it counts, and others may ask you.")
        await outbox.to_members(t.session, members=[mentor], now=t.now, message=Message(text),
                                dedupe_key=f"withdrawn:{ask.id}")


async def decline(t: Turn, value: str) -> Message:
    """`intro_decline`: say no kindly; the pair is not suggested again for 90 days."""
    ask, request = await _pending_ask_for_me(t, value)
    ask.status, ask.answered_at = Status.DECLINED, t.now
    asker = await t.member(ask.asker_id)
    aspect = await t.aspect_name(request.aspect_id)
    if ask.origin == "request":
        message = await instead(t.session, t.now, ask.mentor_id, request, asker, aspect,
                                 f"{tag(t.me)} can't take on *{aspect}* right now.")
    else:
        message = Message(f"{tag(t.me)} has decided not to go ahead on *{aspect}* for now. "
                          "Thanks for offering!")
    await outbox.to_members(t.session, members=[asker], now=t.now, message=message)
    return Message(f"Thanks for letting me know. I've told {tag(asker)} kindly.")


async def expire_asks(session: AsyncSession, now: datetime, limit: int) -> int:
    """Expire unanswered asks past their time and tell the mentee; returns how many."""
    asks = await claim_expired_asks(session=session, now=now, limit=limit)
    for ask in asks:
        ask.status, ask.answered_at = Status.EXPIRED, now
        mentor = await session.get_one(Member, ask.mentor_id)
        mentee = await session.get_one(Member, ask.mentee_id)
        request = await session.get_one(LearningRequest, ask.request_id)
        aspect = (await session.get_one(Aspect, request.aspect_id)).name
        message = (
            await instead(session, now, ask.mentor_id, request, mentee, aspect,
                           f"{tag(mentor)} didn't answer in time about *{aspect}*.")
            if ask.origin == "request"
            else Message(f"The offer from {tag(mentor)} to help with *{aspect}* has expired.")
        )
        await outbox.to_members(session, members=[mentee], now=now, message=message,
                                dedupe_key=f"expired:{ask.id}")
    return len(asks)


async def instead(session: AsyncSession, now: datetime, mentor_id: int, request: LearningRequest,
                  mentee: Member, aspect: str, what_happened: str) -> Message:
    """After a mentor's no, silence or leaving, what the mentee can do now: the next
    suggestions (not that mentor) with their buttons, or, when there are none, the truth."""
    if request.status != Status.OPEN:
        return Message(what_happened)
    found = await matching.suggest(session, mentee=mentee, aspect_id=request.aspect_id,
                                   aspect_name=aspect, now=now,
                                   another_perspective=request.another_perspective)
    found = [s for s in found if s.mentor.id != mentor_id]
    if not found:
        later = ("your request stays posted, and I'll tell you when someone volunteers"
                 if request.public else
                 "when someone offers it, `/mentor status` will suggest them")
        return Message(what_happened, sections=(f"Nobody else mentors this yet: {later}.",))
    return suggested(request, found, what_happened + " Here's who else could help:")


async def left(session: AsyncSession, now: datetime, gone: Member, pair: Mentorship, other: Member,
               aspect: str, what_happened: str) -> Message:
    """What the other side of a pair hears when `gone` leaves (forget-me, unreachable): a
    mentee still wanting to learn gets their request back, with the next suggestions."""
    request = await session.get(LearningRequest, pair.request_id) if pair.request_id else None
    if request is None or other.id != pair.mentee_id:
        return Message(what_happened)
    request.status = Status.OPEN
    return await instead(session, now, gone.id, request, other, aspect, what_happened)
