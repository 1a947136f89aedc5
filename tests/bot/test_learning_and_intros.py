"""Announce, suggest, ask and introduce: the double opt-in, with every refusal."""

import asyncio

from sqlmodel import func, select

from bot.core.errors import answered
from storage.models import IntroAsk, LearningRequest, Mentorship, Outbox
from tests.helpers import CHANNEL, button, text_of

RESIDENT = "role=resident; specialty=Internal Medicine; site=Main campus; started=2024"
FELLOW = "role=fellow; specialty=Internal Medicine; site=Main campus; started=2019"
CHAIR = "role=attending; specialty=Surgery; site=North campus; started=1995"


async def hospital(world):
    await world.person("priya", RESIDENT)
    await world.person("souza", FELLOW, offers="POCUS")
    await world.person("chair", CHAIR, offers="bedside ultrasound")
    await world.tick()


async def asked_souza(world):
    """Priya asks to learn POCUS and requests an intro to Souza, who has the ask in her DM."""
    await hospital(world)
    suggestions = await world.cmd("priya", "/learn POCUS")
    await world.press("priya", "request_intro", button(suggestions, "request_intro"))
    await world.tick()
    return world.last("souza")


async def count(world, model, *where):
    async with world.db.transaction() as session:
        return (await session.exec(select(func.count()).select_from(model).where(*where))).one()


async def test_learn_announces_publicly_and_suggests_the_closer_mentor_first(world):
    await hospital(world)
    reply = await world.cmd("priya", "/learn point-of-care ultrasound: FAST exams on nights")
    await world.tick()

    assert "Point-of-care ultrasound" in text_of(reply) and CHANNEL in text_of(reply)
    suggested = [b.value.split(":")[1] for b in reply.buttons if b.action_id == "request_intro"]
    assert len(suggested) == 2
    first = text_of(reply).split("\n")[1]
    assert first.startswith("1. @Souza") and "both Internal Medicine at Main campus" in first
    assert "5 years further along" in first
    post = world.last(CHANNEL)
    assert "FAST exams on nights" in text_of(post) and "resident · Internal Medicine" in text_of(post)
    assert [b.action_id for b in post.buttons] == ["offer_help"]


async def test_private_learn_posts_nothing_in_the_channel(world):
    await hospital(world)
    reply = await world.cmd("priya", "/learn --private POCUS: nights")
    await world.tick()
    assert "kept it private" in text_of(reply)
    assert world.inbox(CHANNEL) == []


async def test_request_intro_then_accept_introduces_both_in_one_group_message(world):
    await hospital(world)
    suggestions = await world.cmd("priya", "/learn POCUS: FAST exams")
    reply = await world.press("priya", "request_intro", button(suggestions, "request_intro"))
    assert "I've asked @Souza" in text_of(reply)
    await world.tick()
    ask = world.last("souza")
    assert "FAST exams" in text_of(ask) and "Why you:" in text_of(ask)

    accepted = await world.press("souza", "intro_accept", button(ask, "intro_accept"))
    await world.tick()

    assert "introduced you and @Priya" in text_of(accepted)
    intro = world.last("priya")
    assert intro is world.last("souza")  # the same group message reaches both
    assert "@Souza, meet @Priya" in text_of(intro) and "Point-of-care ultrasound" in text_of(intro)
    assert "Suggested first step" in text_of(intro) and "Why you two" in text_of(intro)
    assert await count(world, Mentorship) == 1


async def test_a_volunteer_asks_the_mentee_who_accepts(world):
    await hospital(world)
    await world.cmd("priya", "/learn POCUS: FAST exams")
    await world.tick()
    offer_value = button(world.last(CHANNEL), "offer_help")
    await world.person("kim", "role=nurse; specialty=Critical Care", offers="POCUS")

    thanks = await world.press("kim", "offer_help", offer_value)
    await world.tick()
    assert "I've asked @Priya" in text_of(thanks)
    ask = world.last("priya")
    assert "@Kim offered to help you" in text_of(ask)
    await world.press("priya", "intro_accept", button(ask, "intro_accept"))
    await world.tick()
    assert "@Kim, meet @Priya" in text_of(world.last("kim"))


async def test_double_accept_is_refused_and_changes_nothing(world):
    await asked_souza(world)
    ask_id = button(world.last("souza"), "intro_accept")
    await world.press("souza", "intro_accept", ask_id)
    again = await world.press("souza", "intro_accept", ask_id)
    assert "already accepted" in text_of(again)
    assert await count(world, Mentorship) == 1


async def test_a_stranger_cannot_answer_someone_elses_ask(world):
    await asked_souza(world)
    ask_id = button(world.last("souza"), "intro_accept")
    refused = await world.press("chair", "intro_accept", ask_id)
    assert "only they can answer it" in text_of(refused)
    assert await count(world, Mentorship) == 0
    assert await count(world, IntroAsk, IntroAsk.status == "pending") == 1


async def test_a_stranger_cannot_request_an_intro_on_someone_elses_request(world):
    await hospital(world)
    suggestions = await world.cmd("priya", "/learn POCUS")
    refused = await world.press("chair", "request_intro", button(suggestions, "request_intro"))
    assert "Only the person who asked" in text_of(refused)
    assert await count(world, IntroAsk) == 0


async def test_decline_tells_the_asker_and_hides_the_pair_for_90_days(world):
    await asked_souza(world)
    reply = await world.press("souza", "intro_decline", button(world.last("souza"), "intro_decline"))
    await world.tick()
    assert "told @Priya kindly" in text_of(reply)
    assert "can't take on" in text_of(world.last("priya"))
    await world.cmd("priya", "/mentor status")
    async with world.db.transaction() as session:
        request = (await session.exec(select(LearningRequest))).one()
        request.status = "closed"
    again = await world.cmd("priya", "/learn POCUS")
    names = [b.label for b in again.buttons]
    assert names == ["Request intro: Chair"]


async def test_after_a_decline_the_mentee_is_offered_the_next_suggestion(world):
    await asked_souza(world)
    await world.press("souza", "intro_decline", button(world.last("souza"), "intro_decline"))
    await world.tick()
    told = world.last("priya")
    assert "can't take on" in text_of(told) and "Here's who else could help" in text_of(told)
    assert [b.label for b in told.buttons] == ["Request intro: Chair"]
    await world.press("priya", "request_intro", button(told, "request_intro"))
    await world.tick()
    assert "would like your help" in text_of(world.last("chair"))


async def test_with_nobody_else_a_decline_says_so_and_points_at_nothing_missing(world):
    await world.person("priya", RESIDENT)
    await world.person("souza", FELLOW, offers="POCUS")
    suggestions = await world.cmd("priya", "/learn --private POCUS")
    await world.press("priya", "request_intro", button(suggestions, "request_intro"))
    await world.tick()
    await world.press("souza", "intro_decline", button(world.last("souza"), "intro_decline"))
    await world.tick()
    told = world.last("priya")
    assert "Nobody else mentors this yet" in text_of(told) and not told.buttons
    assert "volunteers may" not in text_of(told) and "other suggestions" not in text_of(told)


async def close_requests(world) -> None:
    async with world.db.transaction() as session:
        for request in (await session.exec(select(LearningRequest))).all():
            request.status = "closed"


async def test_a_decline_keeps_the_pair_apart_for_90_days_and_no_longer(world):
    await asked_souza(world)
    await world.press("souza", "intro_decline", button(world.last("souza"), "intro_decline"))
    await close_requests(world)
    await world.advance(days=89, hours=23)
    within = await world.cmd("priya", "/learn POCUS")
    assert [b.label for b in within.buttons] == ["Request intro: Chair"]
    await close_requests(world)
    await world.advance(hours=2)   # 90 days and an hour since the decline
    after = await world.cmd("priya", "/learn POCUS")
    assert [b.label for b in after.buttons] == ["Request intro: Souza", "Request intro: Chair"]


async def test_at_capacity_mentor_is_not_suggested_and_cannot_accept(world):
    await hospital(world)
    await world.cmd("souza", "/mentor capacity 1")
    await world.person("nguyen", "role=student; specialty=Internal Medicine")
    first = await world.cmd("priya", "/learn POCUS")
    second = await world.cmd("nguyen", "/learn POCUS")
    await world.press("priya", "request_intro", button(first, "request_intro"))
    await world.press("nguyen", "request_intro", f"{button(second, 'request_intro').split(':')[0]}:"
                      f"{button(first, 'request_intro').split(':')[1]}")
    await world.tick()
    asks = [m for m in world.inbox("souza") if m.buttons]
    await world.press("souza", "intro_accept", button(asks[0], "intro_accept"))
    refused = await world.press("souza", "intro_accept", button(asks[1], "intro_accept"))
    assert "at capacity (1)" in text_of(refused)
    assert await count(world, Mentorship) == 1
    third = await world.cmd("chair", "/learn --private POCUS")
    assert "Souza" not in text_of(third)


async def test_phi_in_learn_is_refused_and_nothing_is_stored_or_posted(world):
    await hospital(world)
    reply = await world.cmd("priya", "/learn POCUS: how I scanned my patient John Smith, MRN 12345678")
    await world.tick()
    assert "didn't save or post" in text_of(reply) and "medical record number" in text_of(reply)
    assert "John" not in text_of(reply) and "12345678" not in text_of(reply)
    assert await count(world, LearningRequest) == 0
    assert await count(world, Outbox, Outbox.kind == "channel") == 0


async def test_unknown_person_and_junk_buttons_get_a_clear_refusal(world):
    await hospital(world)
    suggestions = await world.cmd("priya", "/learn POCUS")
    request_id = button(suggestions, "request_intro").split(":")[0]
    assert "isn't in this workspace" in text_of(
        await world.press("priya", "request_intro", f"{request_id}:99999"))
    assert "doesn't point at anything" in text_of(await world.press("priya", "intro_accept", "x; drop"))
    assert "can't find that ask" in text_of(await world.press("priya", "intro_accept", "424242"))
    assert "isn't one I know" in text_of(await world.press("priya", "launch_rocket", "1"))
    assert await count(world, IntroAsk) == 0


async def test_asks_expire_and_the_mentee_is_told(world):
    await asked_souza(world)
    ask_id = button(world.last("souza"), "intro_accept")
    report = await world.advance(hours=73)
    assert report.expired_asks == 1
    assert "didn't answer in time" in text_of(world.last("priya"))
    assert [b.label for b in world.last("priya").buttons] == ["Request intro: Chair"]
    late = await world.press("souza", "intro_accept", ask_id)
    assert "already expired" in text_of(late)
    assert await count(world, Mentorship) == 0


async def test_one_request_per_aspect_and_another_perspective_needs_a_first(world):
    await hospital(world)
    await world.cmd("priya", "/learn POCUS")
    assert "already asked to learn" in text_of(await world.cmd("priya", "/learn bedside ultrasound"))
    refused = await world.cmd("priya", "/learn --another-perspective central lines")
    assert "no first perspective" in text_of(refused)
    assert await count(world, LearningRequest) == 1


async def test_another_perspective_prefers_a_different_background(world):
    await asked_souza(world)
    await world.press("souza", "intro_accept", button(world.last("souza"), "intro_accept"))
    assert "already your mentor" in text_of(await world.cmd("priya", "/learn POCUS"))

    second = await world.cmd("priya", "/learn --another-perspective POCUS")
    assert [b.label for b in second.buttons] == ["Request intro: Chair"]
    assert "different background from your current mentor" in text_of(second)


async def test_two_instances_racing_on_one_accept_make_one_mentorship(world):
    await asked_souza(world)
    ask_id = button(world.last("souza"), "intro_accept")
    other = world.build()   # a second instance on the same database
    try:
        replies = await asyncio.gather(
            world.press("souza", "intro_accept", ask_id),
            answered(other.dispatch.press(world.actor("souza"), "intro_accept", ask_id)),
            world.press("souza", "intro_accept", ask_id),
        )
    finally:
        await other.close()
    said = sorted(text_of(r) for r in replies)
    assert sum("introduced you" in s for s in said) == 1
    assert await count(world, Mentorship) == 1
    await world.tick()
    assert sum("meet @Priya" in text_of(m) for m in world.inbox("souza")) == 1


async def test_two_accepts_at_once_never_exceed_the_mentors_capacity(world):
    await hospital(world)
    await world.cmd("souza", "/mentor capacity 1")
    await world.person("nguyen", "role=student; specialty=Internal Medicine")
    asks = []
    for mentee in ("priya", "nguyen"):
        await world.cmd(mentee, "/learn POCUS")
        await world.tick()
        await world.press("souza", "offer_help", button(world.last(CHANNEL), "offer_help"))
        await world.tick()
        asks.append(button(world.last(mentee), "intro_accept"))
    other = world.build()   # a second instance on the same database
    try:
        replies = await asyncio.gather(
            world.press("priya", "intro_accept", asks[0]),
            answered(other.dispatch.press(world.actor("nguyen"), "intro_accept", asks[1])),
        )
    finally:
        await other.close()
    assert sum("introduced you" in text_of(r) for r in replies) == 1
    assert sum("no room for another mentee" in text_of(r) for r in replies) == 1
    assert await count(world, Mentorship) == 1


async def offers_from_kim_and_souza(world):
    """Priya's public POCUS request, with a pending offer from each of Kim and Souza."""
    await hospital(world)
    await world.person("kim", "role=nurse; specialty=Critical Care", offers="POCUS")
    await world.cmd("priya", "/learn POCUS: FAST exams")
    await world.tick()
    offer = button(world.last(CHANNEL), "offer_help")
    for mentor in ("kim", "souza"):
        await world.press(mentor, "offer_help", offer)
    await world.tick()
    offers = {m: [x for x in world.inbox("priya") if f"@{m.title()} offered" in text_of(x)][-1]
              for m in ("kim", "souza")}
    return offer, offers


async def test_a_volunteer_whose_offer_is_withdrawn_is_told_kindly(world):
    _, offers = await offers_from_kim_and_souza(world)
    await world.press("priya", "intro_accept", button(offers["kim"], "intro_accept"))
    await world.tick()
    told = text_of(world.last("souza"))
    assert "@Priya has found a mentor for *Point-of-care ultrasound*" in told
    assert "your offer is closed" in told
    late = await world.press("priya", "intro_accept", button(offers["souza"], "intro_accept"))
    assert "withdrawn: a mentor has been found" in text_of(late)
    assert await count(world, Mentorship) == 1


async def test_an_accept_on_a_request_no_longer_open_is_refused(world):
    """The state a race used to leave: an ask still pending on a request already matched."""
    _, offers = await offers_from_kim_and_souza(world)
    async with world.db.transaction() as session:
        request = (await session.exec(select(LearningRequest))).one()
        request.status = "matched"
    refused = await world.press("priya", "intro_accept", button(offers["kim"], "intro_accept"))
    assert "You already have a mentor for this request" in text_of(refused)
    assert await count(world, Mentorship) == 0
    assert await count(world, IntroAsk, IntroAsk.status == "pending") == 2  # nothing changed


async def test_accepts_and_volunteers_racing_on_one_request_make_one_mentorship(world):
    """On two instances at once: Priya accepts Kim's offer while Souza and Chair volunteer,
    then Priya accepts whatever offers got through."""
    offer, offers = await offers_from_kim_and_souza(world)
    await world.press("priya", "intro_decline", button(offers["souza"], "intro_decline"))
    other = world.build()   # a second instance on the same database
    try:
        await asyncio.gather(
            world.press("priya", "intro_accept", button(offers["kim"], "intro_accept")),
            answered(other.dispatch.press(world.actor("chair"), "offer_help", offer)),
            answered(other.dispatch.press(world.actor("nguyen"), "offer_help", offer)),
        )
    finally:
        await other.close()
    await world.tick()
    for ask in [m for m in world.inbox("priya") if m.buttons]:
        await world.press("priya", "intro_accept", button(ask, "intro_accept"))
    assert await count(world, Mentorship) == 1
    assert await count(world, IntroAsk, IntroAsk.status == "pending") == 0


async def test_a_message_held_for_waking_hours_says_when_it_will_arrive(world):
    """Sam is asleep in Tokyo when Priya asks in New York: the ask waits for 07:00 there,
    and Priya is told so in both times; the introduction, held for both, says the same."""
    await world.person("priya", RESIDENT)
    await world.person("souza", FELLOW, offers="POCUS", tz="Asia/Tokyo")
    suggestions = await world.cmd("priya", "/learn POCUS")
    reply = text_of(await world.press("priya", "request_intro", button(suggestions, "request_intro")))
    assert ("It's 23:00 where they are, so your ask reaches them at 07:00 their time "
            "(Tue 17:00 yours).") in reply
    waiting = text_of(await world.cmd("priya", "/mentor status"))
    assert ("@Souza: Point-of-care ultrasound (expires Fri 4 Dec; waiting for their waking "
            "hours, reaches them at 07:00 their time (Tue 17:00 yours))") in waiting
    await world.advance(hours=9)
    assert "waiting for their waking hours" not in text_of(await world.cmd("priya", "/mentor status"))
    ask = button(world.last("souza"), "intro_accept")
    accepted = text_of(await world.press("souza", "intro_accept", ask))
    assert "the introduction is in your messages" in accepted  # Priya is awake: it goes now
    thanks = text_of(await world.cmd("priya", "/mentor thanks @souza for the tips"))
    assert "so it reaches them at" not in thanks  # 08:00 in Tokyo: awake


async def test_a_request_is_withdrawn_with_learn_cancel_or_its_status_button(world):
    await asked_souza(world)  # Priya's POCUS request, with an ask waiting on Souza
    reply = text_of(await world.cmd("priya", "/learn cancel pocus"))
    assert "Withdrawn: your request to learn *Point-of-care ultrasound*" in reply
    await world.tick()
    assert "No action needed: @Priya withdrew" in text_of(world.last("souza"))
    late = await world.press("souza", "intro_accept", button(world.inbox("souza")[-2], "intro_accept"))
    assert "withdrawn" in text_of(late) and await count(world, Mentorship) == 0
    await world.cmd("priya", "/learn breaking bad news")
    status = await world.cmd("priya", "/mentor status")
    withdraw = [b for b in status.buttons if b.action_id == "request_cancel"]
    assert [b.label for b in withdraw] == ["Withdraw: Breaking bad news"]
    assert "Withdrawn" in text_of(await world.press("priya", "request_cancel", withdraw[0].value))
    assert "no open request" in text_of(await world.cmd("priya", "/learn cancel"))
    assert "Only the person who asked" in text_of(
        await world.press("souza", "request_cancel", withdraw[0].value))


async def test_an_ask_to_someone_awake_is_not_listed_as_waiting(world):
    await hospital(world)
    suggestions = await world.cmd("priya", "/learn POCUS")
    await world.press("priya", "request_intro", button(suggestions, "request_intro"))
    status = text_of(await world.cmd("priya", "/mentor status"))  # before any delivery
    assert "*Waiting on others*\n• @Souza: Point-of-care ultrasound (expires" in status
    assert "waking hours" not in status
