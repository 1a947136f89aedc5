"""On Teams, end to end through botbuilder's adapter: the day-30 survey as an Adaptive Card,
answered by an Action.Submit; the lead's never-met flag; a quiet pair warned, then closed."""

from datetime import timedelta

import pytest

from tests.conftest import START
from tests.e2e.teams_world import TeamsWorld


@pytest.fixture
async def led(db_url, connector):
    async with TeamsWorld(db_url, connector, preceptor_admins="29:stranger") as world:
        yield world


async def at(world, **since_start):
    world.app.clock.set(START + timedelta(**since_start))
    return await world.deliver()


def cards(world, user: str, action_id: str) -> list:
    return [s for s in world.connector.to(f"a:chat-{user}") if s.actions(action_id)]


async def test_survey_flag_warning_and_closure_on_teams(led):
    client = led.client
    for user in ("29:priya", "29:lee", "29:stranger"):
        await client.install(user)
        await led.reply_to(user, 1)
    await client.say("29:lee", "offer POCUS")
    await led.reply_to("29:lee", 2)
    await client.say("29:priya", "/learn point-of-care ultrasound: FAST exams on nights")
    (request_intro,) = (await led.reply_to("29:priya", 2))[1].actions("request_intro")
    await client.press("29:priya", "request_intro", request_intro["data"]["value"])
    await led.deliver()
    (accept,) = (await led.reply_to("29:lee", 3))[2].actions("intro_accept")
    await client.press("29:lee", "intro_accept", accept["data"]["value"])
    await led.reply_to("29:lee", 4)

    assert (await at(led, days=21, hours=1)).flagged == 1
    (flag,) = [s for s in led.connector.to("a:chat-29:stranger") if "look in on" in s.text]
    assert "<at>Priya Raman</at> and <at>Marcus Lee</at> were introduced" in flag.text

    assert (await at(led, days=30, hours=1)).surveys == 2
    (survey,) = cards(led, "29:priya", "survey_rate")
    assert "how useful has this mentorship been so far?" in survey.text
    assert [a["title"] for a in survey.actions("survey_rate")] == ["1", "2", "3", "4", "5"]
    before = len(led.connector.to("a:chat-29:priya"))
    await client.press("29:priya", "survey_rate", survey.actions("survey_rate")[1]["data"]["value"])
    assert "noted 2/5" in (await led.reply_to("29:priya", before + 1))[-1].text

    assert (await at(led, days=120, hours=2)).warned == 1
    await at(led, days=120, hours=2, seconds=5)
    (warning,) = cards(led, "29:lee", "pair_keep")
    assert "has been quiet for 90 days" in warning.text
    assert (await at(led, days=127, hours=3)).closed == 1
    closed = [s for s in led.connector.to("a:chat-29:priya") if "I've closed your mentorship" in s.text]
    assert len(closed) == 1
