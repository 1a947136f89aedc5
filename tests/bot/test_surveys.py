"""Relationship-quality surveys: day 30 and every 60 days, the wrap-up's two questions, waking
hours, pauses, one a fortnight per person, answers and the optional line."""

from datetime import UTC, datetime

from sqlmodel import select

from storage.models import Mentorship, Outbox, Survey
from tests.bot.test_checkins import paired, rows
from tests.bot.test_learning_and_intros import FELLOW
from tests.helpers import World, button, text_of


def surveys(world, who) -> list:
    return [m for m in world.inbox(who) if any(b.action_id == "survey_rate" for b in m.buttons)]


def rate(message, n: int) -> str:
    """The value of the `n` button of a survey message."""
    (value,) = [b.value for b in message.buttons if b.action_id == "survey_rate" and b.label == str(n)]
    return value


async def meeting(world):
    """Both answer every check-in "met", so silence never pauses the pair."""
    for who in ("priya", "souza"):
        for message in world.inbox(who):
            if any(b.action_id == "checkin_met" for b in message.buttons):
                await world.press(who, "checkin_met", button(message, "checkin_met"))


async def test_both_sides_are_asked_at_day_30_then_every_60_days(world):
    await paired(world)
    await world.advance(days=29, hours=23)
    assert surveys(world, "priya") == [] and surveys(world, "souza") == []
    await world.advance(hours=1, minutes=1)
    (mine,), (theirs,) = surveys(world, "priya"), surveys(world, "souza")
    assert "how useful has this mentorship been so far?" in text_of(mine)
    assert "Point-of-care ultrasound* with @Souza" in text_of(mine)
    assert [b.label for b in mine.buttons] == ["1", "2", "3", "4", "5"]
    assert "They never see your answer" in text_of(theirs)
    await world.tick()
    assert len(surveys(world, "priya")) == 1  # a tick at the same moment asks nothing again
    await meeting(world)
    await world.advance(days=59)
    assert len(surveys(world, "priya")) == 1
    await world.advance(days=1, minutes=1)
    assert len(surveys(world, "priya")) == 2
    stages = sorted((s.member_id, s.stage) for s in await rows(world, Survey))
    assert [stage for _, stage in stages] == [1, 2, 1, 2]


async def test_an_answer_is_kept_once_and_only_from_the_person_asked(world):
    await paired(world)
    await world.person("chair", "role=attending")
    await world.advance(days=30, minutes=1)
    (mine,) = surveys(world, "priya")
    assert "only they can answer" in text_of(await world.press("souza", "survey_rate", rate(mine, 2)))
    assert "only they can answer" in text_of(await world.press("chair", "survey_rate", rate(mine, 2)))
    assert "noted 4/5" in text_of(await world.press("priya", "survey_rate", rate(mine, 4)))
    again = await world.press("priya", "survey_rate", rate(mine, 1))
    assert "already answered this one (4/5)" in text_of(again)
    survey_id = rate(mine, 4).split(":")[0]
    assert "answer I know" in text_of(await world.press("priya", "survey_rate", f"{survey_id}:6"))
    answers = {(s.member_id, s.rating) for s in await rows(world, Survey)}
    assert {rating for _, rating in answers} == {4, None}


async def test_a_survey_waits_for_waking_hours(db_url):
    from zoneinfo import ZoneInfo

    world = World(db_url, datetime(2026, 12, 1, 2, 0, tzinfo=ZoneInfo("Asia/Kolkata")).astimezone(UTC))
    try:
        await paired(world, mentee_tz="Asia/Kolkata", mentor_profile=FELLOW + "; quiet=0-0")
        await meeting(world)
        await world.advance(days=30, minutes=1)
        async with world.db.transaction() as session:
            held = (await session.exec(select(Outbox).where(Outbox.status == "pending"))).all()
        (row,) = [r for r in held if r.recipients == ["priya"] and r.payload["buttons"]
                  and r.payload["buttons"][0]["action_id"] == "survey_rate"]
        assert row.not_before.astimezone(ZoneInfo("Asia/Kolkata")).hour == 7
        assert surveys(world, "priya") == [] and len(surveys(world, "souza")) == 1
        world.clock.set(row.not_before)
        await world.tick()
        assert len(surveys(world, "priya")) == 1
    finally:
        await world.close()


async def test_nobody_is_asked_while_paused(world):
    await paired(world)
    await world.cmd("priya", "/mentor pause 6")
    await world.advance(days=30, minutes=1)
    assert surveys(world, "priya") == [] and len(surveys(world, "souza")) == 1
    await world.advance(days=11)  # the pause ends on day 42
    assert surveys(world, "priya") == []
    await world.advance(days=1)
    assert len(surveys(world, "priya")) == 1


async def test_a_paused_pair_is_not_asked(world):
    await paired(world)
    await world.advance(days=15)
    await world.cmd("priya", "pause")  # the check-in's pause: this pair only
    await world.advance(days=16)
    assert surveys(world, "priya") == [] and surveys(world, "souza") == []
    assert (await rows(world, Survey)) == []


async def test_one_survey_a_fortnight_however_many_mentorships(world):
    await paired(world)
    await world.person("lee", FELLOW, offers="central line placement")
    suggestions = await world.cmd("priya", "/learn central line placement")
    await world.press("priya", "request_intro", button(suggestions, "request_intro"))
    await world.tick()
    await world.press("lee", "intro_accept", button(world.last("lee"), "intro_accept"))
    await world.advance(days=30, minutes=1)
    assert len(surveys(world, "priya")) == 1  # both pairs' day 30 came together
    assert len(surveys(world, "souza")) == 1 and len(surveys(world, "lee")) == 1
    await world.advance(days=13)
    assert len(surveys(world, "priya")) == 1
    await world.advance(days=1, minutes=1)
    assert len(surveys(world, "priya")) == 2
    asked = sorted(s.asked_at for s in await rows(world, Survey) if s.asked_at)
    assert (asked[-1] - asked[0]).days == 14


async def test_the_wrap_up_asks_usefulness_then_closeness_to_the_goal(world):
    await paired(world)
    await world.advance(days=15)
    await world.cmd("souza", "wrap up")
    await world.tick()
    (mine,), (theirs,) = surveys(world, "priya"), surveys(world, "souza")
    assert "how useful was this mentorship?" in text_of(mine)
    reply = await world.press("priya", "survey_rate", rate(mine, 5))
    assert "how close are you to your goal?" in text_of(reply)
    mentor_reply = await world.press("souza", "survey_rate", rate(theirs, 4))
    assert "how close is @Priya to their goal?" in text_of(mentor_reply)
    goal = [b.value for b in reply.buttons if b.action_id == "survey_goal"][3]
    assert "noted 4/5 for the goal" in text_of(await world.press("priya", "survey_goal", goal))
    assert "already answered" in text_of(await world.press("priya", "survey_goal", goal))
    answers = sorted((s.rating, s.goal) for s in await rows(world, Survey))
    assert answers == [(4, None), (5, 4)]


async def test_a_checkpoint_not_yet_asked_is_dropped_when_the_pair_wraps_up(world):
    await paired(world)
    await world.cmd("priya", "/mentor pause 6")
    await world.advance(days=30, minutes=1)  # Priya's day-30 survey waits for her pause
    await world.cmd("souza", "wrap up")
    (pair,) = await rows(world, Mentorship)
    mine = sorted((s.stage, s.asked_at is None) for s in await rows(world, Survey)
                  if s.member_id == pair.mentee_id)
    assert mine == [(0, True), (1, True)]  # both held back by the pause
    await world.advance(days=13)
    mine = [(s.stage, s.asked_at is None) for s in await rows(world, Survey)
            if s.member_id == pair.mentee_id]
    assert mine == [(0, False)] and len(surveys(world, "priya")) == 1


async def test_a_line_goes_with_the_last_answer_and_patient_details_are_refused(world):
    await paired(world)
    assert "no answered question" in text_of(await world.cmd("priya", "feedback great so far"))
    await world.advance(days=30, minutes=1)
    (mine,) = surveys(world, "priya")
    await world.press("priya", "survey_rate", rate(mine, 4))
    refused = await world.cmd("priya", "feedback we scanned mr ochoa in bed 4 together")
    assert "didn't save" in text_of(refused)
    saved = await world.cmd("priya", "feedback we meet after morning rounds")
    assert "saved your line" in text_of(saved)
    notes = [s.note for s in await rows(world, Survey) if s.note]
    assert notes == ["we meet after morning rounds"]
    assert "no answered question" in text_of(await world.cmd("priya", "feedback and one more"))


async def test_new_pairs_are_first_surveyed_30_days_after_the_introduction(world):
    await paired(world)
    (pair,) = await rows(world, Mentorship)
    assert (pair.next_survey_at - pair.started_at).days == 30 and pair.heard_at == pair.started_at


async def test_export_holds_my_answers_and_forget_me_keeps_only_the_count(world):
    import json

    await paired(world)
    await world.advance(days=30, minutes=1)
    await world.press("priya", "survey_rate", rate(surveys(world, "priya")[0], 3))
    await world.cmd("priya", "feedback we meet after morning rounds")
    (mine,) = json.loads((await world.cmd("priya", "/mentor export")).file[1])["surveys"]
    assert (mine["aspect"], mine["with"], mine["usefulness"], mine["your_line"]) == (
        "Point-of-care ultrasound", "Souza", 3, "we meet after morning rounds")
    await world.cmd("souza", "/mentor forget-me confirm")  # souza's survey was never answered
    await world.cmd("priya", "/mentor forget-me confirm")
    left = [(s.rating, s.note) for s in await rows(world, Survey)]
    assert left == [(3, None)]
    (pair,) = await rows(world, Mentorship)
    assert pair.end_reason == "left"
