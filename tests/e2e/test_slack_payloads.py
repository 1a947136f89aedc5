"""Slack event shapes as Slack sends them, signed, through `/slack/events`: people's messages
of every subtype count for familiarity; the app, Slackbot and other bots never do; leaving a
channel is followed. Each payload is a public capture with only the ids changed (the source
is named above it)."""

import json
import time

import aiohttp
import pytest
from pydantic import ValidationError
from sqlmodel import func, select

from bot.app.settings import Settings
from storage.models import ChannelMember, InboxItem, Interaction, Member, Workspace
from tests.e2e.conftest import SlackWorld
from tests.e2e.fake_slack import FakeSlack
from tests.helpers import all_folded

APP_USER = "UBOT"  # the fake's auth.test: the app's own bot user


async def edges(world) -> set[tuple[str, str]]:
    """Who has a familiarity edge with whom, by Slack id, once all is folded in."""
    await all_folded(world.app.db)
    async with world.app.db.transaction() as session:
        ids = dict((await session.exec(select(Member.id, Member.platform_user_id))).all())
        rows = (await session.exec(select(Interaction.member_id, Interaction.other_id))).all()
        return {(ids[a], ids[b]) for a, b in rows}


async def members(world) -> set[str]:
    await all_folded(world.app.db)
    async with world.app.db.transaction() as session:
        return set((await session.exec(select(Member.platform_user_id))).all())


async def send(world, event: dict) -> None:
    response = await world.client.event(event)
    assert response.status == 200


# bolt-python tests/scenario_tests_async/test_message_thread_broadcast.py (event_payload):
# a reply also sent to the channel names the thread's author in `root`, not `parent_user_id`.
THREAD_BROADCAST = {
    "type": "message", "subtype": "thread_broadcast", "text": "Hi there!", "user": "U_KIM",
    "ts": "1633670813.007500", "thread_ts": "1633663824.000500",
    "root": {"client_msg_id": "111-222-333-444-555", "type": "message",
             "text": "Write in the thread :bow:", "user": "U_LEE", "ts": "1633663824.000500",
             "team": "T1", "thread_ts": "1633663824.000500", "reply_count": 17,
             "reply_users_count": 1, "latest_reply": "1633670813.007500",
             "reply_users": ["U_KIM"], "is_locked": False},
    "client_msg_id": "111-222-333-444-666", "channel": "C_WARDS",
    "event_ts": "1633670813.007500", "channel_type": "channel",
}

# bolt-python tests/scenario_tests_async/test_message_file_share.py (event_payload, its file
# list shortened), in a thread as Slack's message reference shows replies: `thread_ts` and
# `parent_user_id`.
FILE_SHARE_REPLY = {
    "type": "message", "text": "here's the view I meant",
    "files": [{"id": "F111", "name": "file.png", "mimetype": "image/png", "filetype": "png",
               "user": "U_SOUZA", "mode": "hosted", "is_external": False}],
    "upload": False, "user": "U_SOUZA", "display_as_bot": False, "ts": "1652227646.593159",
    "thread_ts": "1652227600.000100", "parent_user_id": "U_PRIYA",
    "client_msg_id": "ca088267-717f-41a8-9db8-c98ae14ad6a0", "channel": "C_WARDS",
    "subtype": "file_share", "event_ts": "1652227646.593159", "channel_type": "channel",
}

# bolt-python tests/scenario_tests_async/test_events_ignore_self.py (response_url_message_event):
# another app's message, here mentioning two people.
BOT_MESSAGE = {
    "type": "message", "subtype": "bot_message", "text": "Reminder for <@U_KIM> and <@U_LEE>",
    "ts": "1658282075.825129", "bot_id": "B_DIFFERENT_ONE", "channel": "C_WARDS",
    "event_ts": "1658282075.825129", "channel_type": "channel",
}


def reaction(user: str, item_user: str) -> dict:
    """bolt-python tests/scenario_tests_async/test_events_ignore_self.py (self_event)."""
    return {"type": "reaction_added", "user": user,
            "item": {"type": "message", "channel": "C_MENTORING", "ts": "1599529504.000400",
                     "channel_type": "channel"},
            "reaction": "heart_eyes", "item_user": item_user, "event_ts": "1599616881.000800"}


def channel_change(kind: str, user: str) -> dict:
    """Slack's API reference, member_joined_channel / member_left_channel examples."""
    return {"type": kind, "user": user, "channel": "C_WARDS", "channel_type": "C", "team": "T1"}


async def test_replies_with_a_file_or_sent_to_the_channel_still_count(slack_world):
    await send(slack_world, THREAD_BROADCAST)
    await send(slack_world, FILE_SHARE_REPLY)
    assert await edges(slack_world) >= {("U_KIM", "U_LEE"), ("U_SOUZA", "U_PRIYA")}


async def test_the_app_itself_slackbot_and_other_bots_never_make_colleagues(slack_world):
    fake = slack_world.fake
    for who in ("U_KIM", "U_LEE"):  # both react to the app's own announcement
        await send(slack_world, reaction(who, APP_USER))
    await send(slack_world, reaction(APP_USER, "U_KIM"))  # the app reacting
    await send(slack_world, {**THREAD_BROADCAST, "root": {**THREAD_BROADCAST["root"],
                                                          "user": APP_USER}})  # in its thread
    await send(slack_world, {**FILE_SHARE_REPLY, "parent_user_id": "USLACKBOT"})
    await send(slack_world, {**THREAD_BROADCAST, "text": f"thanks <@{APP_USER}>",
                             "root": {**THREAD_BROADCAST["root"], "user": "U_KIM"}})
    await send(slack_world, BOT_MESSAGE)
    await send(slack_world, {"type": "message", "channel_type": "im", "channel": "D1",
                             "user": "USLACKBOT", "text": "You have been added to a channel",
                             "ts": "1.2"})  # Slackbot, in the app's DM
    assert await edges(slack_world) == set()
    assert APP_USER not in await members(slack_world) and "USLACKBOT" not in await members(slack_world)
    await slack_world.deliver()
    assert fake.to("chat.postMessage", channel="USLACKBOT") == []


async def test_leaving_a_channel_is_followed(slack_world):
    await send(slack_world, channel_change("member_joined_channel", "U_KIM"))
    await send(slack_world, channel_change("member_joined_channel", "U_LEE"))
    await send(slack_world, channel_change("member_left_channel", "U_KIM"))
    await send(slack_world, channel_change("member_left_channel", "U_NEVER_SEEN"))
    await all_folded(slack_world.app.db)
    async with slack_world.app.db.transaction() as session:
        left = (await session.exec(select(func.count()).select_from(ChannelMember))).one()
    assert left == 1 and "U_NEVER_SEEN" not in await members(slack_world)


def shared(event: dict, event_id: str, *, installed: str | None = "T1") -> str:
    """bolt-python tests/scenario_tests_async/test_events_shared_channels.py
    (reaction_added_body, app_uninstalled_body): in a Slack Connect channel the envelope's
    `team_id` is the partner organisation's, `authorizations[0]` the installing workspace.
    `installed=None`: an org-wide install's event, which names no workspace."""
    return json.dumps({
        "token": "verification_token", "team_id": "T_PARTNER", "enterprise_id": "E_PARTNER",
        "api_app_id": "A1", "event": event, "type": "event_callback", "event_id": event_id,
        "event_time": 1599616881,
        "authorizations": [{"enterprise_id": "E_HOSPITAL", "team_id": installed,
                            "user_id": APP_USER, "is_bot": True,
                            "is_enterprise_install": installed is None}],
    })


async def test_slack_connect_events_are_filed_under_the_installing_workspace(slack_world):
    await send(slack_world, reaction("U_LEE", "U_KIM"))  # an ordinary one first
    body = shared(reaction("U_KIM", "U_LEE"), "EvSHARED1")
    assert (await slack_world.client.post(body, "application/json")).status == 200
    await all_folded(slack_world.app.db)
    async with slack_world.app.db.transaction() as session:
        teams = set((await session.exec(select(Workspace.external_id))).all())
        (count,) = (await session.exec(select(Interaction.count).where(
            Interaction.member_id == select(Member.id).where(
                Member.platform_user_id == "U_KIM").scalar_subquery()))).all()
    assert teams == {"T1"} and count == 2  # one workspace; Kim and Lee's edge seen twice


async def readiness(client) -> tuple[int, dict]:
    url = client.url.replace("/slack/events", "/readyz")
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


async def test_ready_when_the_database_and_slack_answer(slack_world):
    assert await readiness(slack_world.client) == (200, {"database": "ok", "slack": "ok"})


async def test_with_slack_unreachable_commands_are_still_acknowledged_in_time(db_url, caplog):
    """A firewall between the bot and slack.com: Bolt would call auth.test on the request
    path and answer 500 with a traceback; the command is written down and acknowledged."""
    dead = FakeSlack()
    await dead.start()
    await dead.stop()  # its port is closed now: nothing answers there
    world = SlackWorld(db_url, dead)
    client = await world.start()
    try:
        started = time.monotonic()
        response = await client.command("U_KIM", "/mentor", "status")
        assert response.status == 200 and client.acked is None
        assert time.monotonic() - started < 3
        async with world.app.db.transaction() as session:
            assert (await session.exec(select(func.count()).select_from(InboxItem))).one() == 1
        ready, why = await readiness(client)
        assert ready == 503 and why["database"] == "ok"
        assert why["slack"].startswith("unreachable at SLACK_API_URL")
    finally:
        await world.stop()
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert [r.name for r in errors] == ["handlers.slack.identity"] and not errors[0].exc_info
    assert "SLACK_API_URL is unreachable" in errors[0].getMessage()


async def test_people_slack_has_not_described_yet_get_the_workspaces_zone(db_url, fake):
    """Seen only in a channel, never looked up: the workspace's PRECEPTOR_TIMEZONE, not UTC
    (whose quiet hours would wake a US mentor at 2 a.m.)."""
    world = SlackWorld(db_url, fake, preceptor_timezone="America/New_York")
    world.client = await world.start()
    try:
        await send(world, reaction("U_NEW_NURSE", "U_NEW_RESIDENT"))
        await all_folded(world.app.db)
        async with world.app.db.transaction() as session:
            zones = set((await session.exec(select(Member.tz))).all())
    finally:
        await world.stop()
    assert zones == {"America/New_York"}


def test_a_time_zone_that_does_not_exist_is_refused_naming_the_setting():
    with pytest.raises(ValidationError, match="preceptor_timezone"):
        Settings(_env_file=None, preceptor_timezone="Mars/Olympus_Mons")


async def test_metrics_count_slack_requests_and_their_acknowledgements(slack_world):
    from tests.bot.test_cli_and_server import sample

    url = slack_world.client.url.replace("/slack/events", "/metrics")

    async def page() -> str:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            assert response.status == 200
            return await response.text()

    before = await page()
    await slack_world.client.command("U_PRIYA", "/mentor", "offer POCUS")
    await slack_world.fake.wait_for("response_url", 1)
    await slack_world.client.command("U_PRIYA", "/mentor", "status")   # answered in its ack
    after = await page()
    for outcome in ("written", "answered"):
        counted = {"kind": "command", "outcome": outcome}
        assert sample(after, "preceptor_requests_total", **counted) == \
            sample(before, "preceptor_requests_total", **counted) + 1
    acks = "preceptor_ack_seconds_count"
    assert sample(after, acks, route="/slack/events") == sample(before, acks, route="/slack/events") + 2
