"""On Slack, end to end: the day-30 survey as buttons in a DM, answered by a signed click; the
lead's never-met flag; a quiet pair's warning, kept open by a click."""

from datetime import timedelta

import pytest

from tests.conftest import START
from tests.e2e.conftest import SlackWorld
from tests.e2e.test_slack import buttons, lee_asked, text


@pytest.fixture
async def led(db_url, fake):
    world = SlackWorld(db_url, fake, preceptor_admins="U_KIM")
    world.client = await world.start()
    yield world
    await world.stop()


async def at(world, **since_start):
    """The server's tick at START + `since_start`."""
    world.clock.set(START + timedelta(**since_start))
    return await world.deliver()


async def test_survey_flag_and_warning_on_slack(led):
    fake, slack = led.fake, led.client
    _, ask = await lee_asked(led)
    assert (await slack.command("U_KIM", "/mentor", "status")).status == 200  # the lead, known
    assert slack.acked is not None   # answered in the acknowledgement
    await slack.click("U_LEE", "intro_accept", buttons(ask, "intro_accept")[0])
    await fake.wait_for("response_url", 4)

    assert (await at(led, days=21, hours=1)).flagged == 1
    (flag,) = [p for p in fake.to("chat.postMessage", channel="U_KIM") if "look in on" in text(p)]
    assert "<@U_PRIYA> and <@U_LEE> were introduced on *Point-of-care ultrasound*" in text(flag)

    assert (await at(led, days=30, hours=1)).surveys == 2
    (survey,) = [p for p in fake.to("chat.postMessage", channel="U_PRIYA") if buttons(p, "survey_rate")]
    assert "how useful has this mentorship been so far?" in text(survey)
    four = buttons(survey, "survey_rate")[3]
    answered = len(fake.to("response_url"))
    assert (await slack.click("U_PRIYA", "survey_rate", four)).status == 200
    noted = (await fake.wait_for("response_url", answered + 1))[-1]
    assert "noted 4/5" in text(noted) and noted["response_type"] == "ephemeral"

    assert (await at(led, days=120, hours=2)).warned == 1  # quiet since Priya's answer
    await at(led, days=120, hours=2, seconds=5)  # Slack's pace: a message a second to a DM
    (warning,) = [p for p in fake.to("chat.postMessage", channel="U_LEE") if buttons(p, "pair_keep")]
    assert "has been quiet for 90 days" in text(warning)
    await slack.click("U_LEE", "pair_keep", buttons(warning, "pair_keep")[0])
    kept = (await fake.wait_for("response_url", answered + 2))[-1]
    assert "Kept open" in text(kept)
    assert (await at(led, days=128)).closed == 0
