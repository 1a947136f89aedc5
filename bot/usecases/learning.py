"""`/learn`: record what someone wants to learn, announce it, and suggest mentors."""

from dataclasses import replace
from datetime import timedelta

from bot.core.domain import MAX_DETAILS, Status
from bot.core.errors import AlreadyDone, BadCommand, NotYours
from bot.core.grammar import Command
from bot.core.messages import Button, Message, button_ids, channel_ref
from bot.core.turn import Turn, describe, tag
from bot.delivery import outbox
from bot.matching import aspects
from bot.matching import ranking as matching
from bot.usecases.programs import announce_channel
from storage.models import Aspect, LearnDraft, LearningRequest, Member
from storage.queries.asks import other_pending_asks
from storage.queries.mentorships import mentors_of
from storage.queries.requests import open_request_on, open_requests_of
from storage.queries.retention import purge_drafts

DRAFT_KEPT = timedelta(days=1)  # an unanswered "did you mean" is forgotten after this


async def learn(t: Turn, cmd: Command) -> Message:
    """A sure aspect is recorded at once; a near spelling or a new topic is asked about
    first, privately, so nothing is announced under a name the person did not mean."""
    if len(cmd.text) > MAX_DETAILS:
        raise BadCommand(f"Keep the details under {MAX_DETAILS} characters.")
    typed = aspects.checked(cmd.items[0])
    aspect, sure = await aspects.look_up(
        t.session, curated=t.curated, workspace_id=t.workspace.id, text=typed)
    if sure:
        return await _record(t, aspect, cmd.text, public=not cmd.private,
                             another=cmd.another_perspective)
    draft = LearnDraft(member_id=t.me.id, typed=typed, suggested_id=aspect and aspect.id,
                       details=cmd.text, public=not cmd.private,
                       another_perspective=cmd.another_perspective, created_at=t.now)
    t.session.add(draft)
    await t.session.flush()
    return confirm_question(draft, aspect, await announce_channel(t) if draft.public else None)


def confirm_question(draft: LearnDraft, aspect: Aspect | None, channel: str | None) -> Message:
    """"Did you mean …?" for a near spelling; "post it?" for a topic nobody has asked for."""
    mine = f"{draft.typed[:40]}…" if len(draft.typed) > 41 else draft.typed
    where = f" in {channel_ref(channel)}" if draft.public and channel else ""
    if aspect is not None:
        return Message(f"Did you mean *{aspect.name}*?", buttons=(
            Button(f"Yes: {aspect.name}"[:75], "learn_confirm", f"{draft.id}:suggested", "primary"),
            Button(f"No, post '{mine}'", "learn_confirm", f"{draft.id}:typed")),
            context=("Nothing is posted until you choose.",))
    return Message(f"Nobody here has asked to learn *{draft.typed}* yet, so it would be a new "
                   f"topic{' posted' + where if where else ''}. Is that the name you want?",
                   buttons=(Button(f"Yes, post '{mine}'", "learn_confirm", f"{draft.id}:typed", "primary"),
                            Button("Cancel", "learn_confirm", f"{draft.id}:cancel")),
                   context=("To use a topic that exists, cancel and try `/learn` with another "
                            "name; `/mentor help` lists examples.",))


async def confirmed(t: Turn, value: str) -> Message:
    """`learn_confirm`: the author's answer to `confirm_question`; the draft goes either way."""
    draft_id, _, choice = value.partition(":")
    draft = await t.session.get(LearnDraft, int(draft_id)) if draft_id.isdigit() else None
    if draft is None or choice not in ("suggested", "typed", "cancel"):
        raise AlreadyDone("That question has been answered already (or expired after a day); "
                          "`/mentor status` shows your requests.")
    if draft.member_id != t.me.id:
        raise NotYours("Only the person who asked can answer that.")
    await t.session.delete(draft)
    if choice == "cancel":
        return Message("Cancelled: nothing was posted.")
    if choice == "suggested" and draft.suggested_id:
        aspect = await t.session.get_one(Aspect, draft.suggested_id)
    else:
        aspect = await aspects.create(t.session, workspace_id=t.workspace.id, text=draft.typed)
    return await _record(t, aspect, draft.details, public=draft.public,
                         another=draft.another_perspective)


async def _record(t: Turn, aspect: Aspect, details: str, *, public: bool, another: bool) -> Message:
    """The request written down, announced when public, and the mentors to suggest."""
    await _check_not_duplicate(t, aspect.id, aspect.name, another)
    request = LearningRequest(
        member_id=t.me.id, aspect_id=aspect.id, details=details, public=public,
        another_perspective=another, created_at=t.now,
    )
    t.session.add(request)
    await t.session.flush()
    posted = await _announce(t, request, aspect.name)
    suggestions = await matching.suggest(
        t.session, mentee=t.me, aspect_id=aspect.id, aspect_name=aspect.name, now=t.now,
        another_perspective=another, programs=await t.programs(),
    )
    return suggestions_message(request, aspect.name, suggestions, posted)


async def drop_unconfirmed(session, now, limit: int) -> int:
    """Tick step: drafts nobody answered within a day go (they hold the person's words)."""
    return await purge_drafts(session=session, before=now - DRAFT_KEPT, limit=limit)


async def _check_not_duplicate(t: Turn, aspect_id: int, name: str, another: bool) -> None:
    mentors = await mentors_of(session=t.session, mentee_id=t.me.id, aspect_id=aspect_id)
    if another and not mentors:
        raise BadCommand(
            f"You don't have a mentor on {name} yet, so there's no first perspective: "
            f"use `/learn {name}`."
        )
    if mentors and not another:
        raise AlreadyDone(
            f"{tag(mentors[0])} is already your mentor on {name}. For a second view, "
            f"use `/learn --another-perspective {name}`."
        )
    open_request = await open_request_on(session=t.session, member_id=t.me.id, aspect_id=aspect_id)
    if open_request:
        raise AlreadyDone(
            f"You already asked to learn {name} on {t.date(open_request.created_at)}; "
            "`/mentor status` shows it and who has been asked."
        )


async def _announce(t: Turn, request: LearningRequest, aspect_name: str) -> str | None:
    """Post a public request in the mentoring channel (of the person's program, if it has
    one); returns the channel, if posted."""
    channel = await announce_channel(t) if request.public else None
    if not channel:
        return None
    await outbox.to_channel(
        t.session, workspace_id=t.workspace.id, channel=channel, now=t.now,
        dedupe_key=f"announce:{request.id}", message=announcement(request, t.me, aspect_name),
    )
    return channel


def announcement(request: LearningRequest, learner: Member, aspect_name: str) -> Message:
    """The channel post of a public request: "I can help" while it is open; once settled,
    the same words with what became of it, for everyone who sees the post."""
    who = describe(learner)
    words = f"\n> {request.details}" if request.details else ""
    text = f"{tag(learner)} wants to learn *{aspect_name}*.{words}"
    refresh = ("offer_help", str(request.id))
    if request.status == Status.OPEN:
        return Message(text, context=(who,) if who else (), refresh=refresh, buttons=(
            Button("I can help", "offer_help", str(request.id), "primary"),))
    outcome = ("has been introduced to a mentor. Thank you, everyone!"
               if request.status == Status.MATCHED else "has closed this request.")
    return Message(text, context=(*((who,) if who else ()), f"Update: {tag(learner)} {outcome}"),
                   refresh=refresh)


async def announcement_view(t: Turn, value: str) -> Message:
    """How a channel post stands now (Teams asks when someone looks at it)."""
    request = await t.session.get(LearningRequest, button_ids(value, 1)[0])
    if request is None or not request.public:
        return Message("This request is no longer open.")
    learner = await t.member(request.member_id)  # another workspace's: UnknownMember
    return announcement(request, learner, await t.aspect_name(request.aspect_id))


def suggestions_message(request, aspect_name, suggestions, posted) -> Message:
    where = (
        f"I'm posting it in {channel_ref(posted)} so mentors can volunteer."
        if posted
        else "I kept it private."
    )
    head = f"Got it: you want to learn *{aspect_name}*. {where}"
    if not suggestions:
        return Message(
            head,
            sections=("Nobody has offered to mentor this yet. I'll tell you when someone "
                      "volunteers; colleagues can offer with `/mentor offer " f"{aspect_name}`.",),
        )
    return replace(suggested(request, suggestions, head + " Suggested mentors, best first:"),
                   context=("Nothing happens until you ask, and they accept.",))


def suggested(request: LearningRequest, suggestions, text: str) -> Message:
    """Numbered suggestions with their reasons, and a Request intro button for each."""
    return Message(
        text,
        sections=tuple(f"{i}. {tag(s.mentor)}: {'; '.join(s.reasons)}"
                       for i, s in enumerate(suggestions, 1)),
        buttons=tuple(Button(f"Request intro: {s.mentor.name}", "request_intro",
                             f"{request.id}:{s.mentor.id}") for s in suggestions),
    )


async def cancel(t: Turn, cmd: Command) -> Message:
    """`/learn cancel [aspect]`: withdraw an open request (a choice when several fit)."""
    requests = await open_requests_of(session=t.session, member_id=t.me.id)
    if cmd.text:
        requests = [r for r in requests if await t.names_aspect(cmd.text, r.aspect_id)]
    if not requests:
        raise BadCommand("You have no open request" + (" that matches" if cmd.text else "")
                         + " to withdraw; `/mentor status` shows yours.")
    if len(requests) == 1:
        return await withdraw(t, str(requests[0].id))
    return Message(f"You have {len(requests)} open requests. Which one do you withdraw?",
                   buttons=tuple([Button(f"Withdraw: {await t.aspect_name(r.aspect_id)}",
                                         "request_cancel", str(r.id), "danger") for r in requests]))


async def withdraw(t: Turn, value: str) -> Message:
    """`request_cancel`: the request closes, its pending asks are withdrawn (each mentor
    asked hears there is nothing to answer), and its announcement shows it closed."""
    request = await t.get(LearningRequest, button_ids(value, 1)[0], "request", lock=True)
    if request.member_id != t.me.id:
        raise NotYours("Only the person who asked can withdraw that request.")
    if request.status != Status.OPEN:
        raise AlreadyDone("That request is no longer open; `/mentor status` shows yours.")
    request.status = Status.CLOSED
    aspect = await t.aspect_name(request.aspect_id)
    for ask in await other_pending_asks(session=t.session, request_id=request.id):
        ask.status, ask.answered_at = Status.WITHDRAWN, t.now
        mentor = await t.member(ask.mentor_id)
        if await outbox.take_back(t.session, dedupe_key=f"ask:{ask.id}", member=mentor):
            continue  # the ask was still waiting for their waking hours: it never reaches them
        await outbox.to_members(t.session, members=[mentor], now=t.now, dedupe_key=f"withdrawn:{ask.id}",
                                message=Message(f"No action needed: {tag(t.me)} withdrew their "
                                                f"request to learn *{aspect}*. Thank you!"))
    return Message(f"Withdrawn: your request to learn *{aspect}*. Nobody new will be asked, and "
                   "the announcement shows it closed where it can.")
