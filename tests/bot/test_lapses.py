"""Pairs that stall: never met in 21 days → their lead is told once; quiet for 90 days → both
are warned, and the pair closes 7 days later unless either keeps it open or answers."""

import pytest

from storage.models import LearningRequest, Mentorship
from tests.bot.test_checkins import paired, prompts, rows
from tests.bot.test_surveys import meeting
from tests.conftest import START
from tests.helpers import World, button, text_of


@pytest.fixture
async def led(db_url):
    world = World(db_url, START, preceptor_admins="chair")
    await world.person("chair", "role=attending")  # the lead has used Preceptor here
    yield world
    await world.close()


def flags(world):
    return [t for t in world.texts("chair") if "A pair to look in on" in t]


async def silence(world, days: int, **more):
    """`days` (and `more`) pass with nobody answering, a tick each fortnight: the silent
    check-ins pause the pair on day 42."""
    for _ in range(days // 14):
        await world.advance(days=14)
    await world.advance(days=days % 14, **more)


def warnings(world, who):
    return [m for m in world.inbox(who) if any(b.action_id == "pair_keep" for b in m.buttons)]


async def test_a_pair_that_never_met_in_21_days_is_flagged_to_the_lead_once(led):
    await paired(led)
    await led.advance(days=20, hours=23)
    assert flags(led) == []
    await led.advance(hours=1, minutes=1)
    (flag,) = flags(led)
    assert "@Priya and @Souza were introduced on *Point-of-care ultrasound* 21 days ago" in flag
    await led.advance(days=30)
    assert len(flags(led)) == 1
    (pair,) = await rows(led, Mentorship)
    assert pair.flagged_at is not None


async def test_a_pair_that_met_is_not_flagged(led):
    await paired(led)
    await led.advance(days=15)
    await led.press("priya", "checkin_met", button(prompts(led, "priya")[0], "checkin_met"))
    await led.advance(days=10)
    assert flags(led) == []


async def test_never_met_days_are_an_operators_setting(db_url):
    world = World(db_url, START, preceptor_admins="chair", preceptor_never_met_days=10)
    try:
        await world.person("chair", "role=attending")
        await paired(world)
        await world.advance(days=10, minutes=1)
        assert len(flags(world)) == 1
    finally:
        await world.close()


async def test_a_quiet_pair_is_warned_then_closed_and_its_request_with_it(led):
    await paired(led)
    await silence(led, 89, hours=23)
    assert warnings(led, "priya") == [] and (await rows(led, Mentorship))[0].status == "paused"
    await led.advance(hours=1, minutes=1)
    (warned,), (also,) = warnings(led, "priya"), warnings(led, "souza")
    assert "has been quiet for 90 days, so I'll close it on Mon 8 Mar" in text_of(warned)
    assert [b.action_id for b in also.buttons] == ["pair_keep", "pair_wrap_up"]
    await led.advance(days=6, hours=23)
    assert (await rows(led, Mentorship))[0].status == "paused"
    await led.advance(hours=1, minutes=1)
    (pair,) = await rows(led, Mentorship)
    assert (pair.status, pair.end_reason) == ("wrapped", "quiet")
    assert [r.status for r in await rows(led, LearningRequest)] == ["closed"]
    for who in ("priya", "souza"):
        assert any("I've closed your mentorship on *Point-of-care ultrasound*" in t for t in led.texts(who))
    refused = await led.press("priya", "pair_keep", button(warned, "pair_keep"))
    assert "already closed" in text_of(refused)


async def test_keeping_it_open_or_answering_stops_the_closure(led):
    await paired(led)
    await silence(led, 90, minutes=1)
    (warned,) = warnings(led, "souza")
    kept = await led.press("souza", "pair_keep", button(warned, "pair_keep"))
    assert "Kept open" in text_of(kept) and "`/mentor resume`" in text_of(kept)
    await led.advance(days=8)
    assert "kept your mentorship on *Point-of-care ultrasound* open" in "\n".join(led.texts("priya"))
    assert (await rows(led, Mentorship))[0].status == "paused"
    await silence(led, 90)  # quiet again: warned again
    assert len(warnings(led, "souza")) == 2
    await led.cmd("priya", "/mentor resume")  # any answer counts
    await led.advance(days=8)
    (pair,) = await rows(led, Mentorship)
    assert pair.status == "active" and pair.warned_at is None


async def test_a_pair_that_keeps_meeting_is_never_warned(led):
    await paired(led)
    for _ in range(8):
        await led.advance(days=15)
        await meeting(led)
    assert warnings(led, "priya") == [] and (await rows(led, Mentorship))[0].status == "active"


async def test_a_stranger_cannot_keep_a_pair_open(led):
    await paired(led)
    await led.advance(days=90, minutes=1)
    (warned,) = warnings(led, "souza")
    refused = await led.press("chair", "pair_keep", button(warned, "pair_keep"))
    assert "two other colleagues" in text_of(refused)
    assert (await rows(led, Mentorship))[0].warned_at is not None
