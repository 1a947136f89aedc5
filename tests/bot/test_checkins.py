"""Check-ins on a cadence, inside waking hours, never while paused; answers and silence."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from storage.models import CheckIn, Mentorship, Outbox, Reflection
from tests.bot.test_learning_and_intros import FELLOW, RESIDENT
from tests.helpers import World, button, text_of


async def paired(world, mentee_tz="America/New_York", mentor_profile=FELLOW):
    await world.person("priya", RESIDENT, tz=mentee_tz)
    await world.person("souza", mentor_profile, offers="POCUS, ventilator management")
    suggestions = await world.cmd("priya", "/learn POCUS: FAST exams")
    await world.press("priya", "request_intro", button(suggestions, "request_intro"))
    await world.tick()
    await world.press("souza", "intro_accept", button(world.last("souza"), "intro_accept"))
    await world.tick()


def prompts(world, who):
    return [m for m in world.inbox(who) if any(b.action_id == "checkin_met" for b in m.buttons)]


async def rows(world, model) -> list:
    async with world.db.transaction() as session:
        return list((await session.exec(select(model))).all())


async def pair_row(world) -> Mentorship:
    async with world.db.transaction() as session:
        return (await session.exec(select(Mentorship))).one()


async def test_both_sides_are_asked_when_due_and_not_before(world):
    await paired(world)
    await world.advance(days=13)
    assert prompts(world, "priya") == [] and prompts(world, "souza") == []
    await world.advance(days=1, minutes=1)
    assert len(prompts(world, "priya")) == 1 and len(prompts(world, "souza")) == 1
    assert "with @Souza" in text_of(prompts(world, "priya")[0])
    assert "The goal: “FAST exams”" in text_of(prompts(world, "souza")[0])
    assert [b.action_id for b in prompts(world, "souza")[0].buttons] == [
        "checkin_met", "checkin_not_yet", "checkin_pause", "checkin_wrap_up"]


async def test_tick_twice_at_the_same_moment_sends_nothing_twice(world):
    await paired(world)
    world.clock.advance(timedelta(days=15))
    first = await world.tick()
    second = await world.tick()
    assert first.checkins == 1 and first.delivery.sent == 2
    assert second.checkins == 0 and second.delivery.sent == 0
    assert len(prompts(world, "priya")) == 1


async def test_met_resets_the_cadence_and_status_shows_the_last_check_in(world):
    await paired(world)
    await world.advance(days=15)
    reply = await world.press("priya", "checkin_met", button(prompts(world, "priya")[0], "checkin_met"))
    await world.tick()
    assert "noted that you met" in text_of(reply)
    assert "@Priya says you met" in text_of(world.last("souza"))
    status = text_of(await world.cmd("souza", "/mentor status"))
    assert "Point-of-care ultrasound with @Priya: next check-in" in status
    assert "last check-in Wed 16 Dec: met" in status
    pair = await pair_row(world)
    assert pair.next_checkin_at == world.clock.now() + timedelta(days=14)


async def test_each_side_answers_once_a_stranger_never_and_a_settled_round_is_closed(world):
    await paired(world)
    await world.person("chair", "role=attending")
    await world.advance(days=15)
    value = button(prompts(world, "priya")[0], "checkin_met")
    assert "only they can answer" in text_of(await world.press("chair", "checkin_wrap_up", value))
    await world.press("priya", "checkin_met", value)
    again = await world.press("priya", "checkin_not_yet", value)
    assert "You already answered this check-in (met)" in text_of(again)
    await world.press("souza", "checkin_pause", value)  # the other side's answer still counts
    assert (await pair_row(world)).status == "paused"
    late = await world.press("priya", "checkin_wrap_up", value)
    assert "already settled (pause)" in text_of(late)
    assert (await pair_row(world)).status == "paused"


async def test_a_met_from_either_side_counts_whoever_answered_first(world):
    """The mentee's "not yet" no longer decides for both: the mentor's "We met" after it
    makes the round a meeting, and both answers are kept."""
    await paired(world)
    await world.advance(days=15)
    value = button(prompts(world, "priya")[0], "checkin_met")
    await world.press("priya", "checkin_not_yet", value)
    reply = await world.press("souza", "checkin_met", value)
    assert "noted that you met" in text_of(reply)
    pair = await pair_row(world)
    assert pair.next_checkin_at == world.clock.now() + timedelta(days=14)
    (checkin,) = await rows(world, CheckIn)
    assert (checkin.outcome, checkin.mentee_answer, checkin.mentor_answer) == (
        "met", "not_yet", "met")
    reply = await world.cmd("priya", "met")  # nothing of hers waits any more
    assert "There's no check-in waiting" in text_of(reply)


async def test_a_not_yet_after_the_other_sides_met_keeps_the_meeting(world):
    await paired(world)
    await world.advance(days=15)
    value = button(prompts(world, "priya")[0], "checkin_met")
    await world.press("souza", "checkin_met", value)
    reply = await world.press("priya", "checkin_not_yet", value)
    assert "said you two met, so this round counts as a meeting" in text_of(reply)
    (checkin,) = await rows(world, CheckIn)
    assert (checkin.outcome, checkin.mentee_answer) == ("met", "not_yet")


async def test_wrap_up_names_the_person_and_aspect_or_offers_a_choice(world):
    await paired(world)
    suggestions = await world.cmd("priya", "/learn ventilator management")
    await world.press("priya", "request_intro", button(suggestions, "request_intro"))
    await world.tick()
    await world.press("souza", "intro_accept", button(world.last("souza"), "intro_accept"))
    choice = await world.cmd("priya", "/mentor wrap up")
    assert "2 live mentorships" in text_of(choice)
    assert [b.action_id for b in choice.buttons] == ["pair_wrap_up", "pair_wrap_up"]
    reply = await world.cmd("priya", "/mentor wrap up <@souza|Souza> ventilator")
    assert "Wrapped up *Ventilator management*" in text_of(reply)
    assert "Wrapped up *Point-of-care ultrasound*" in text_of(
        await world.cmd("priya", "/mentor wrap up @souza"))


async def test_wrap_up_at_any_time_by_command_from_status_or_with_a_choice(world):
    await paired(world)
    reply = await world.cmd("priya", "wrap up")  # no check-in open: still possible
    assert "Wrapped up *Point-of-care ultrasound*" in text_of(reply)
    assert (await pair_row(world)).status == "wrapped"
    assert "no live mentorship" in text_of(await world.cmd("priya", "/mentor wrap-up"))


async def test_status_has_a_wrap_up_button_per_live_mentorship(world):
    await paired(world)
    status = await world.cmd("souza", "/mentor status")
    value = button(status, "pair_wrap_up")
    assert "Wrapped up" in text_of(await world.press("souza", "pair_wrap_up", value))
    assert "already wrapped" in text_of(await world.press("priya", "pair_wrap_up", value))


async def test_typed_not_yet_asks_again_in_a_week(world):
    await paired(world)
    await world.advance(days=15)
    reply = await world.cmd("souza", "not yet")
    assert "ask again in a week" in text_of(reply)
    await world.advance(days=6)
    assert len(prompts(world, "priya")) == 1
    await world.advance(days=1, minutes=1)
    assert len(prompts(world, "priya")) == 2


async def test_typed_words_with_nothing_to_answer_are_refused(world):
    await paired(world)
    assert "no check-in waiting" in text_of(await world.cmd("priya", "met"))


async def test_two_silent_rounds_pause_the_pair_and_tell_both(world):
    await paired(world)
    await world.advance(days=15)
    await world.advance(days=14)
    assert len(prompts(world, "priya")) == 2
    await world.advance(days=14)
    assert len(prompts(world, "priya")) == 2
    for who in ("priya", "souza"):
        assert any("paused this mentorship" in text for text in world.texts(who))
    assert (await pair_row(world)).status == "paused"
    await world.advance(days=30)
    assert len(prompts(world, "priya")) == 2
    resumed = await world.cmd("souza", "/mentor resume")
    assert "Restarted check-ins for 1" in text_of(resumed)
    await world.tick()
    told, asked = world.inbox("priya")[-2:]  # the day-30 survey the pause held back comes too
    assert "resumed your mentorship" in text_of(told) and button(asked, "survey_rate")


async def test_pause_button_pauses_the_pair(world):
    await paired(world)
    await world.advance(days=15)
    await world.press("souza", "checkin_pause", button(prompts(world, "souza")[0], "checkin_pause"))
    await world.tick()
    assert "paused your mentorship" in text_of(world.last("priya"))
    await world.advance(days=60)
    assert len(prompts(world, "priya")) == 1


async def test_no_check_ins_while_a_person_is_paused_then_auto_resume(world):
    await paired(world)
    reply = await world.cmd("priya", "/mentor pause 3")
    assert "until Tue 22 Dec" in text_of(reply)
    await world.advance(days=15)
    assert prompts(world, "souza") == []
    await world.advance(days=6, minutes=1)
    assert any("pause has ended" in text_of(m) for m in world.inbox("priya"))
    assert len(prompts(world, "souza")) == 1


async def test_paused_people_are_not_suggested(world):
    await paired(world)
    await world.person("nguyen", "role=student")
    await world.cmd("souza", "/mentor pause")
    suggestions = await world.cmd("nguyen", "/learn POCUS")
    assert suggestions.buttons == ()
    await world.cmd("souza", "/mentor resume")
    again = await world.cmd("nguyen", "/learn --private ventilator management")
    assert [b.label for b in again.buttons] == ["Request intro: Souza"]


async def test_wrap_up_asks_both_for_a_reflection(world):
    await paired(world)
    await world.advance(days=15)
    reply = await world.cmd("priya", "wrap up")
    await world.tick()
    assert "Wrapped up" in text_of(reply) and "reflect" in text_of(reply)
    told, asked = world.inbox("souza")[-2:]
    assert "wrapped up your mentorship" in text_of(told) and button(asked, "survey_rate")
    saved = await world.cmd("priya", "reflect I now do FAST exams on my own")
    assert "saved your reflection" in text_of(saved)
    refused = await world.cmd("souza", "reflect called her at 555-123-4567")
    assert "phone number" in text_of(refused)
    async with world.db.transaction() as session:
        assert len((await session.exec(select(Reflection))).all()) == 1
    await world.advance(days=30)
    assert len(prompts(world, "priya")) == 1


@pytest.mark.parametrize(
    "tz, local_wake",
    [("America/New_York", 7), ("Asia/Kolkata", 7), ("Australia/Sydney", 7), ("Europe/London", 7)],
)
async def test_check_ins_wait_for_waking_hours_in_each_time_zone(db_url, tz, local_wake):
    # Start at 02:00 local time for the mentee, so the due moment falls in quiet hours.
    from zoneinfo import ZoneInfo

    start = datetime(2026, 12, 1, 2, 0, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    world = World(db_url, start)
    try:
        await paired(world, mentee_tz=tz, mentor_profile=FELLOW + "; quiet=0-0")
        await world.advance(days=14, minutes=1)
        async with world.db.transaction() as session:
            pending = (await session.exec(select(Outbox).where(Outbox.status == "pending"))).all()
        held = [row for row in pending if row.recipients == ["priya"]]
        assert len(held) == 1
        woke = held[0].not_before.astimezone(ZoneInfo(tz))
        assert (woke.hour, woke.minute) == (local_wake, 0)
        assert prompts(world, "priya") == []
        assert len(prompts(world, "souza")) == 1  # never quiet: asked at once
        world.clock.set(held[0].not_before)
        await world.tick()
        assert len(prompts(world, "priya")) == 1
    finally:
        await world.close()


async def test_check_in_rounds_are_unique_per_mentorship(world):
    await paired(world)
    await world.advance(days=15)
    async with world.db.transaction() as session:
        rounds = (await session.exec(select(CheckIn.round))).all()
    assert rounds == [1]


async def test_resume_restarts_only_pairs_i_paused_or_the_bot_paused(world):
    await paired(world)
    await world.advance(days=15)
    await world.press("priya", "checkin_pause", button(prompts(world, "priya")[0], "checkin_pause"))
    reply = await world.cmd("souza", "/mentor resume")
    assert "Restarted" not in text_of(reply)
    assert (await pair_row(world)).status == "paused"
    assert "Restarted check-ins for 1" in text_of(await world.cmd("priya", "/mentor resume"))
    assert (await pair_row(world)).status == "active"


async def test_the_end_of_a_timed_pause_does_not_restart_pairs_someone_paused(world):
    await paired(world)
    await world.advance(days=15)
    await world.press("souza", "checkin_pause", button(prompts(world, "souza")[0], "checkin_pause"))
    await world.cmd("priya", "/mentor pause 1")
    await world.advance(weeks=1, minutes=1)
    assert any("pause has ended" in text for text in world.texts("priya"))
    assert (await pair_row(world)).status == "paused"


async def test_typed_met_with_two_open_check_ins_asks_which_one(world):
    await paired(world)
    await world.person("nguyen", "role=student")
    suggestions = await world.cmd("nguyen", "/learn ventilator management")
    await world.press("nguyen", "request_intro", button(suggestions, "request_intro"))
    await world.tick()
    await world.press("souza", "intro_accept", button(world.last("souza"), "intro_accept"))
    await world.advance(days=15)
    which = await world.cmd("souza", "met")
    assert "2 check-ins waiting" in text_of(which)
    labels = sorted(b.label for b in which.buttons)
    assert labels == ["We met: Point-of-care ultrasound with Priya",
                      "We met: Ventilator management with Nguyen"]
    chosen = next(b for b in which.buttons if "Nguyen" in b.label)
    assert "noted that you met" in text_of(await world.press("souza", chosen.action_id, chosen.value))
    assert "noted that you met" in text_of(await world.cmd("souza", "met"))


async def test_wrap_up_invites_the_mentee_to_thank_and_thanks_reach_the_mentor(world):
    await paired(world)
    await world.advance(days=15)
    await world.cmd("souza", "met")
    await world.advance(days=15)
    await world.cmd("souza", "wrap up")
    await world.tick()
    assert "/mentor thanks @souza" in text_of(world.last("priya"))
    sent = await world.cmd("priya", "/mentor thanks <@souza|Souza> for teaching me FAST exams")
    assert "Sent your thanks to @Souza" in text_of(sent)
    await world.tick()
    assert "@Priya thanked you: “for teaching me FAST exams”" in text_of(world.last("souza"))
    await world.person("nguyen", "role=student")
    await world.cmd("nguyen", "/mentor thanks --private @Souza you were kind")
    assert "phone number" in text_of(
        await world.cmd("nguyen", "/mentor thanks @souza call 555-123-4567"))
    assert "don't know who that is" in text_of(await world.cmd("nguyen", "/mentor thanks @ghost hi"))
    impact = text_of(await world.cmd("souza", "/mentor impact"))
    assert "You have helped *1 person* on Point-of-care ultrasound (1)" in impact
    assert "1.0 months of mentoring, with 1 check-in where you met" in impact
    assert "Thanks received: 2." in impact
    assert "“for teaching me FAST exams” — @Priya" in impact and "you were kind" not in impact


async def test_impact_before_any_mentoring_says_how_to_start(world):
    await world.person("lee", "role=attending")
    assert "No mentoring yet" in text_of(await world.cmd("lee", "/mentor impact"))


async def test_a_quarterly_summary_reaches_mentors_once_unless_they_opt_out(world):
    await paired(world)  # December: the first tick of the workspace marks the quarter
    await world.person("lee", "role=attending", offers="grant writing")
    await world.advance(days=31)  # into January: last quarter had Souza mentoring
    summaries = [t for t in world.texts("souza") if "Your mentoring last quarter" in t]
    assert summaries == ["Your mentoring last quarter: you helped 1 person on Point-of-care "
                         "ultrasound. Thank you!\n`/mentor impact` shows it all. Not wanted? "
                         "`/mentor profile digest=off`."]
    assert not any("last quarter" in t for t in world.texts("lee") + world.texts("priya"))
    await world.advance(days=1)
    assert len([t for t in world.texts("souza") if "last quarter" in t]) == 1
    await world.cmd("souza", "/mentor profile digest=off")
    await world.advance(days=90)
    assert len([t for t in world.texts("souza") if "last quarter" in t]) == 1


async def test_counts_read_as_english_in_the_singular(world):
    """"1 mentee", "1 day", "1 paused mentorship": never "mentee(s)" or "1 days"."""
    await paired(world)
    assert "up to 1 mentee at once" in text_of(await world.cmd("souza", "/mentor capacity 1"))
    await world.advance(days=15)
    await world.press("souza", "checkin_pause", button(prompts(world, "souza")[0], "checkin_pause"))
    assert "Restarted check-ins for 1 paused mentorship." in text_of(
        await world.cmd("souza", "/mentor resume"))
    assert "up to 1 mentee at once" in " ".join((await world.cmd("souza", "/mentor status")).context)
    profile = await world.cmd("souza", "/mentor profile")
    assert "Capacity: 1 mentee at once" in text_of(profile) and "Change it here" not in str(profile)


async def test_past_mentorships_stay_in_status_with_my_reflection(world):
    await paired(world)
    await world.cmd("priya", "/mentor wrap-up")
    await world.cmd("priya", "reflect I now do FAST exams alone")
    status = text_of(await world.cmd("priya", "/mentor status"))
    assert "Nothing yet" not in status and "*Past mentorships*" in status
    assert "Point-of-care ultrasound with @Souza (your mentor), wrapped up" in status
    assert "you said: “I now do FAST exams alone”" in status
    theirs = text_of(await world.cmd("souza", "/mentor status"))
    assert "with @Priya (your mentee)" in theirs and "FAST exams alone" not in theirs

