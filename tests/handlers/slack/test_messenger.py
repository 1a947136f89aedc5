"""The Slack Messenger against a fake Web API: rate limits, permanent and transient errors."""

import pytest

from bot.app.settings import Settings
from bot.core.messages import Button, Message
from bot.delivery.messenger import PermanentError, TransientError
from handlers.slack.setup import messenger
from storage.engine import Database
from tests.e2e.fake_slack import FakeSlack

HELLO = Message("Hello <@U1|Ann>", buttons=(Button("We met", "checkin_met", "7"),))


@pytest.fixture
async def slack():
    fake = FakeSlack()
    await fake.start()
    settings = Settings(_env_file=None, slack_bot_token="xoxb-test", slack_signing_secret="s",
                        slack_api_url=f"{fake.url}/api/")
    db = Database("sqlite://")
    yield fake, messenger(settings, db)
    await db.dispose()
    await fake.stop()
    assert fake.invalid == []


async def test_a_dm_is_posted_with_valid_blocks_and_slack_mentions(slack):
    fake, sender = slack
    await sender.send_dm("T1", "U1", HELLO)
    (call,) = fake.to("chat.postMessage", channel="U1")
    assert call["blocks"][0]["text"]["text"] == "Hello <@U1>"
    assert call["text"] == "Hello @Ann"  # the notification text has no markup


async def test_an_introduction_opens_a_group_dm_with_everyone_and_posts_there(slack):
    fake, sender = slack
    await sender.introduce("T1", ["U2", "U1"], HELLO)
    assert fake.to("conversations.open")[0]["users"] == "U2,U1"
    assert fake.to("chat.postMessage", channel="GU1-U2")


async def test_429_becomes_a_retry_after_the_platforms_delay(slack):
    fake, sender = slack
    fake.fail("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "17"})
    with pytest.raises(TransientError) as error:
        await sender.send_dm("T1", "U1", HELLO)
    assert error.value.retry_after == 17


@pytest.mark.parametrize("code", ["user_not_found", "account_inactive", "channel_not_found",
                                  "not_in_channel", "is_archived"])
async def test_gone_people_and_channels_are_permanent(slack, code):
    fake, sender = slack
    fake.fail("chat.postMessage", 200, {"ok": False, "error": code})
    with pytest.raises(PermanentError, match=code):
        await sender.post_channel("T1", "C1", HELLO)


async def test_server_errors_are_transient(slack):
    fake, sender = slack
    fake.fail("chat.postMessage", 200, {"ok": False, "error": "internal_error"})
    with pytest.raises(TransientError):
        await sender.post_channel("T1", "C1", HELLO)


async def test_a_person_who_left_is_named_as_gone(slack):
    fake, sender = slack
    fake.fail("chat.postMessage", 200, {"ok": False, "error": "account_inactive"})
    with pytest.raises(PermanentError) as error:
        await sender.send_dm("T1", "U9", HELLO)
    assert error.value.gone == "U9"
