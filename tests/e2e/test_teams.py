"""Teams end to end: activities into `/api/messages` (emulator mode), a fake Bot Connector out."""

import asyncio
import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.teams_client import TENANT
from tests.e2e.teams_world import CHANNEL, TeamsWorld, in_channel, mention
from tests.helpers import all_folded

ROOT = Path(__file__).resolve().parents[2]
async def tick_cli(world: TeamsWorld, now: str) -> str:
    env = {**os.environ, "DATABASE_URL": world.db_url, "PRECEPTOR_TEAMS_DEV": "1",
           "PRECEPTOR_TEAMS_CHANNEL": CHANNEL}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.app.cli", "tick", "--now", now, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_install_offer_learn_ask_accept_introduce_check_in_and_status(teams):
    client, connector = teams.client, teams.connector
    for user in ("29:priya", "29:lee"):
        assert (await client.install(user)).status in (200, 201)
        (welcome,) = await teams.reply_to(user, 1)
        assert "I'm Preceptor" in welcome.text

    await client.say("29:lee", "offer POCUS")
    assert "listed as a mentor for: Point-of-care ultrasound" in (await teams.reply_to("29:lee", 2))[1].text
    await client.say("29:priya", "/learn point-of-care ultrasound: FAST exams on nights")
    suggestion = (await teams.reply_to("29:priya", 2))[1]
    assert "<at>Marcus Lee</at>" in suggestion.text
    assert suggestion.card["msteams"]["entities"][0]["mentioned"]["id"] == "29:lee"
    (request_intro,) = suggestion.actions("request_intro")
    assert suggestion.card["version"] == "1.5" and request_intro["type"] == "Action.Submit"

    await teams.deliver()
    (announcement,) = connector.to(CHANNEL)
    assert "wants to learn **Point-of-care ultrasound**" in announcement.text
    assert "FAST exams on nights" in announcement.text and announcement.actions("offer_help")

    await client.press("29:priya", "request_intro", request_intro["data"]["value"])
    assert "I've asked <at>Marcus Lee</at>" in (await teams.reply_to("29:priya", 3))[2].text
    await teams.deliver()
    ask = (await teams.reply_to("29:lee", 3))[2]
    assert "would like your help" in ask.text
    (accept,) = ask.actions("intro_accept")

    await client.press("29:lee", "intro_accept", accept["data"]["value"])
    await teams.reply_to("29:lee", 4)
    await teams.deliver()
    for user in ("29:priya", "29:lee"):
        intro = [s for s in connector.to(f"a:chat-{user}") if "meet" in s.text][0]
        assert "Point-of-care ultrasound" in intro.text and "Why you two" in intro.text
        (link,) = [a for a in intro.actions() if a["type"] == "Action.OpenUrl"]
        assert link["title"] == "Start chat"
        users = parse_qs(urlparse(link["url"]).query)["users"][0].split(",")
        assert sorted(users) == ["lee@hospital.org", "priya@hospital.org"]

    before = len(connector.sent)
    assert "check-ins: 1, sent: 2" in await tick_cli(teams, "2026-12-15T15:00:00Z")
    prompts = connector.sent[before:]
    assert sorted(s.conversation for s in prompts) == ["a:chat-29:lee", "a:chat-29:priya"]
    assert all(s.actions("checkin_met") for s in prompts)
    assert "check-ins: 0, sent: 0" in await tick_cli(teams, "2026-12-15T15:00:00Z")

    await client.say("29:priya", "met")
    replies = await teams.reply_to("29:priya", 1)
    assert "noted that you met" in replies[-1].text
    await client.say("29:priya", "mentor status")
    status = (await teams.reply_to("29:priya", len(replies) + 1))[-1]
    assert "Point-of-care ultrasound with <at>Marcus Lee</at>" in status.text


async def test_phi_is_refused_and_posted_nowhere(teams):
    await teams.client.say("29:priya", "learn POCUS: scanned pt John Smith, DOB 03/04/1956")
    (reply,) = await teams.reply_to("29:priya", 1)
    assert "didn't save or post that" in reply.text and "date of birth" in reply.text
    assert "Smith" not in str(reply.activity)
    await teams.deliver()
    assert teams.connector.to(CHANNEL) == []


async def test_a_stranger_pressing_someone_elses_button_changes_nothing(teams):
    client = teams.client
    await client.say("29:lee", "offer POCUS")
    await client.say("29:priya", "learn POCUS")
    suggestion = (await teams.reply_to("29:priya", 1))[-1]
    value = suggestion.actions("request_intro")[0]["data"]["value"]
    await client.press("29:stranger", "request_intro", value)
    (refusal,) = await teams.reply_to("29:stranger", 1)
    assert "Only the person who asked" in refusal.text
    await teams.deliver()
    to_lee = [s.text for s in teams.connector.to("a:chat-29:lee")]
    assert len(to_lee) == 1 and "listed as a mentor" in to_lee[0]  # and no ask


async def test_mentions_are_removed_in_channels(teams):
    """`help` is understood with the bot's mention before it; the answer goes to Priya's
    personal chat (made for her: she never wrote to the bot)."""
    await teams.client.say("29:lee", "help")  # a reference of the tenant, for its service URL
    await teams.reply_to("29:lee", 1)
    activity = teams.client.activity("29:priya", text="<at>Preceptor</at> help")
    activity["conversation"] = {"id": f"{CHANNEL};messageid=1", "conversationType": "channel",
                                "tenantId": TENANT}
    activity["entities"] = [{"type": "mention", "text": "<at>Preceptor</at>",
                             "mentioned": {"id": "28:preceptor-bot", "name": "Preceptor"}}]
    await teams.client.post(activity)
    (public,) = await teams.connector.wait_for(f"{CHANNEL};messageid=1")
    assert "personal chat" in public.text
    (reply,) = await teams.connector.wait_for("a:new-29:priya")
    assert "/learn <aspect>" in reply.text


async def test_someone_who_never_wrote_gets_a_new_personal_chat(teams):
    await teams.client.say("29:lee", "offer POCUS")  # leaves a reference for the tenant
    await teams.reply_to("29:lee", 1)
    messenger = teams.app.messengers["teams"]
    from bot.core.messages import Message

    await messenger.send_dm(TENANT, "29:newcomer", Message("Hello"))
    (created,) = teams.connector.created
    assert created["members"][0]["id"] == "29:newcomer"
    assert created["channelData"]["tenant"]["id"] == TENANT
    assert [s.text for s in teams.connector.to("a:new-29:newcomer")] == ["Hello"]


async def test_bot_removed_from_a_chat_marks_the_person_unreachable_and_tells_the_other(teams):
    client, connector = teams.client, teams.connector
    await client.say("29:lee", "offer POCUS")
    await client.say("29:priya", "learn --private POCUS")
    suggestion = (await teams.reply_to("29:priya", 1))[-1]
    await client.press("29:priya", "request_intro", suggestion.actions("request_intro")[0]["data"]["value"])
    await teams.deliver()
    ask = [s for s in connector.to("a:chat-29:lee") if s.actions("intro_accept")][0]
    await client.press("29:lee", "intro_accept", ask.actions("intro_accept")[0]["data"]["value"])
    await teams.deliver()
    connector.refuse["a:chat-29:lee"] = (403, {})
    teams.app.clock.advance(timedelta(days=15))
    report = await teams.deliver()
    assert report.delivery.failed == 1
    await teams.deliver()
    told = connector.to("a:chat-29:priya")[-1]
    assert "can't reach <at>Marcus Lee</at>" in told.text and "paused" in told.text


async def test_activities_from_another_tenant_are_refused(db_url, connector):
    async with TeamsWorld(db_url, connector, microsoft_app_id="app-id",
                          microsoft_app_password="secret",
                          microsoft_app_tenant_id=TENANT) as world:
        other = world.client.activity("29:priya", tenant="someone-else", text="help")
        assert (await world.client.post(other)).status == 401
    assert connector.sent == []


async def test_with_credentials_an_activity_without_a_valid_token_gets_401(db_url, connector):
    import jwt

    async with TeamsWorld(db_url, connector, microsoft_app_id="app-id",
                          microsoft_app_password="secret",
                          microsoft_app_tenant_id=TENANT) as world:
        activity = world.client.activity("29:priya", text="help")
        foreign = jwt.encode({"iss": "https://evil.example", "aud": "app-id"}, "k" * 32, "HS256")
        for headers in ({}, {"Authorization": "Bearer not-a-token"},
                        {"Authorization": f"Bearer {foreign}"}, {"Authorization": "Basic abc"}):
            assert (await world.client.post(activity, headers)).status == 401, headers
    assert connector.sent == []


async def test_throttling_429_is_retried_after_the_delay_teams_asks_for(teams):
    from bot.core.messages import Message
    from bot.delivery.messenger import TransientError

    await teams.client.say("29:lee", "offer POCUS")
    await teams.reply_to("29:lee", 1)
    teams.connector.refuse["a:chat-29:lee"] = (429, {"Retry-After": "30"})
    with pytest.raises(TransientError) as error:
        await teams.app.messengers["teams"].send_dm(TENANT, "29:lee", Message("Hello"))
    assert error.value.retry_after == 30
    del teams.connector.refuse["a:chat-29:lee"]
    await teams.app.messengers["teams"].send_dm(TENANT, "29:lee", Message("Hello"))
    assert teams.connector.to("a:chat-29:lee")[-1].text == "Hello"


async def test_a_message_too_big_fails_once_and_leaves_the_person_reachable(teams):
    """413 MessageSizeTooBig (msteams-docs, "Status code responses"): sending it again would
    be refused again, and it says nothing about the person."""
    from bot.core.messages import Message
    from bot.delivery.messenger import PermanentError

    await teams.client.say("29:lee", "offer POCUS")
    await teams.reply_to("29:lee", 1)
    teams.connector.refuse["a:chat-29:lee"] = (413, {})
    with pytest.raises(PermanentError) as error:
        await teams.app.messengers["teams"].send_dm(TENANT, "29:lee", Message("x" * 50_000))
    assert error.value.gone is None


async def test_colleagues_mentioned_in_a_channel_become_familiar(teams):
    activity = teams.client.activity("29:priya", text="<at>Preceptor</at> <at>Marcus Lee</at> thanks!")
    activity["conversation"] = {"id": f"{CHANNEL};messageid=7", "conversationType": "channel",
                                "tenantId": TENANT}
    activity["entities"] = [
        {"type": "mention", "text": "<at>Preceptor</at>",
         "mentioned": {"id": "28:preceptor-bot", "name": "Preceptor"}},
        {"type": "mention", "text": "<at>Marcus Lee</at>",
         "mentioned": {"id": "29:lee", "name": "Marcus Lee"}}]
    await teams.client.post(activity)
    await all_folded(teams.app.db)
    await teams.client.say("29:lee", "offer POCUS")
    await teams.reply_to("29:lee", 1)
    await teams.client.say("29:priya", "learn --private POCUS")
    suggestion = (await teams.reply_to("29:priya", 1))[-1]
    assert "you've interacted 1 time in a team channel" in suggestion.text


async def test_channel_chatter_without_the_bots_mention_is_observed_never_answered(teams):
    """With RSC, Teams delivers every channel message: one that thanks a colleague without
    @mentioning the bot is not a command."""
    activity = in_channel(teams.client.activity(
        "29:priya", text="Thanks <at>Marcus Lee</at> for the teaching"))
    activity["entities"] = [mention("29:lee", "Marcus Lee")]
    assert (await teams.client.post(activity)).status in (200, 201)
    await all_folded(teams.app.db)
    await teams.client.say("29:lee", "offer POCUS")
    await teams.reply_to("29:lee", 1)
    await teams.client.say("29:priya", "learn --private POCUS")
    suggestion = (await teams.reply_to("29:priya", 1))[-1]
    assert "you've interacted 1 time in a team channel" in suggestion.text
    assert teams.connector.to(f"{CHANNEL};messageid=7") == []


async def test_thanks_to_a_colleague_whose_name_has_a_space(teams):
    await teams.client.say("29:lee", "offer POCUS")
    await teams.reply_to("29:lee", 1)
    activity = teams.client.activity("29:priya", text="thanks <at>Marcus Lee</at> for the FAST tips")
    activity["entities"] = [mention("29:lee", "Marcus Lee")]
    await teams.client.post(activity)
    (reply,) = await teams.reply_to("29:priya", 1)
    assert "I don't know who that is" not in reply.text and "Marcus Lee" in reply.text, reply.text


async def test_one_install_is_one_welcome(teams):
    """Teams sends both for one install (msteams-docs, "Conversation events", section
    "Installation update event": "The bot also posts the message in the same channel using
    conversationUpdate event")."""
    await teams.client.install("29:priya")
    await teams.client.post(teams.client.activity(
        "29:priya", kind="conversationUpdate",
        membersAdded=[{"id": "28:preceptor-bot"}]))
    await teams.client.say("29:priya", "help")
    replies = await teams.reply_to("29:priya", 2)
    assert ["I'm Preceptor" in r.text for r in replies] == [True, False]


async def test_announcements_start_new_posts_not_replies_in_the_last_thread(teams):
    activity = in_channel(teams.client.activity("29:priya", text="<at>Preceptor</at> help"), "42")
    activity["entities"] = [mention("28:preceptor-bot", "Preceptor")]
    await teams.client.post(activity)
    await teams.connector.wait_for(f"{CHANNEL};messageid=42")
    await teams.client.say("29:lee", "learn POCUS: FAST exams")
    await teams.reply_to("29:lee", 1)
    await teams.deliver()
    (announcement,) = teams.connector.to(CHANNEL)
    assert "wants to learn" in announcement.text  # not under ;messageid=42


async def test_a_502_storm_on_the_connector_loses_nothing_and_repeats_nothing(teams):
    """Teams documents 412, 429, 502 and 504 as "retry with backoff" (msteams-docs, "Rate
    limiting for bots"): the ask to Lee waits out five such answers in a row, then arrives
    once, and nobody is sent an apology for it."""
    client, connector = teams.client, teams.connector
    await client.say("29:lee", "offer POCUS")
    await teams.reply_to("29:lee", 1)
    await client.say("29:priya", "learn --private POCUS")
    suggestion = (await teams.reply_to("29:priya", 1))[-1]
    (request_intro,) = suggestion.actions("request_intro")
    connector.failing["a:chat-29:lee"] = [502, 504, 502, 412, 502]
    await client.press("29:priya", "request_intro", request_intro["data"]["value"])
    await teams.reply_to("29:priya", 2)
    for _ in range(5):
        await teams.deliver()
        teams.app.clock.advance(timedelta(hours=1))
    assert connector.failing["a:chat-29:lee"] == []
    await teams.deliver()
    to_lee = connector.to("a:chat-29:lee")
    assert len(to_lee) == 2 and "would like your help" in to_lee[1].text
    assert not [s for s in connector.sent if "something went wrong" in (s.text or "")]


TEAM_ID = "19:general-of-the-icu-team@thread.tacv2"


def in_team(activity: dict, conversation: str = CHANNEL) -> dict:
    """An activity in a team's channel as msteams-docs' "Conversation events" page shows it
    (section "Installation update event", ids changed): the conversation is a channel, and
    channelData names the channel, the team (whose id is not the channel's) and the tenant."""
    activity["conversation"] = {"isGroup": True, "id": conversation,
                                "conversationType": "channel", "tenantId": TENANT}
    activity["channelData"] = {"settings": {"selectedChannel": {"id": conversation}},
                               "team": {"id": TEAM_ID, "name": "ICU", "aadGroupId": "aad-icu"},
                               "channel": {"id": conversation}, "tenant": {"id": TENANT},
                               "source": {"name": "message"}}
    return activity


async def test_removal_from_the_team_stops_channel_posts_until_the_app_is_added_again(teams):
    client, connector = teams.client, teams.connector
    await client.post(in_team(client.activity("29:lee", kind="installationUpdate", action="add")))
    hello = in_team(client.activity("29:priya", text="<at>Preceptor</at> help"))
    hello["entities"] = [mention("28:preceptor-bot", "Preceptor")]
    await client.post(hello)
    await connector.wait_for(CHANNEL)
    posted = len(connector.to(CHANNEL))

    await client.post(in_team(client.activity("29:lee", kind="installationUpdate",
                                              action="remove")))
    await client.say("29:priya", "learn POCUS: FAST exams")
    await teams.reply_to("29:priya", 1)
    await teams.deliver()
    assert len(connector.to(CHANNEL)) == posted  # nothing, and no 403 asked for

    await client.post(in_team(client.activity("29:lee", kind="installationUpdate", action="add")))
    await client.say("29:priya", "learn breaking bad news")
    await teams.reply_to("29:priya", 2)
    await teams.deliver()
    assert "wants to learn" in connector.to(CHANNEL)[-1].text


async def test_the_zone_comes_from_a_client_info_entity_when_local_timezone_is_absent(teams):
    """msteams-docs, "Get context for your bot" (section "Get clientInfo in your bot
    context"): Teams sends the user's zone in a clientInfo entity (`locale`, `country`,
    `platform`, `timezone`)."""
    from sqlmodel import select

    from storage.models import Member

    activity = teams.client.activity("29:stranger", text="help")
    del activity["localTimezone"]
    activity["entities"] = [{"type": "clientInfo", "locale": "en-GB", "country": "GB",
                             "platform": "Web", "timezone": "Europe/London"}]
    await teams.client.post(activity)
    await teams.reply_to("29:stranger", 1)
    async with teams.app.db.transaction() as session:
        zone = (await session.exec(select(Member.tz).where(
            Member.platform_user_id == "29:stranger"))).one()
    assert zone == "Europe/London"


async def test_a_command_typed_in_a_channel_is_answered_in_the_personal_chat(teams):
    """Suggestions carry Request intro buttons and a learner's goal: not for the whole
    channel. The channel hears only where the answer went."""
    await teams.client.say("29:lee", "offer POCUS")
    await teams.reply_to("29:lee", 1)
    await teams.client.say("29:priya", "help")
    await teams.reply_to("29:priya", 1)
    activity = in_channel(teams.client.activity(
        "29:priya", text="<at>Preceptor</at> learn --private POCUS"), "9")
    activity["entities"] = [mention("28:preceptor-bot", "Preceptor")]
    await teams.client.post(activity)
    (public,) = await teams.connector.wait_for(f"{CHANNEL};messageid=9")
    assert public.text == "I've answered you in our personal chat." and not public.actions()
    suggestion = (await teams.reply_to("29:priya", 2))[-1]
    assert "Marcus Lee" in suggestion.text and suggestion.actions("request_intro")
