"""Slack end to end: signed requests over HTTP into `preceptor serve`, a fake Web API out."""

import asyncio
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlmodel import func, select

from storage.models import ChannelMember, LearningRequest, Member, Mentorship
from tests.e2e.conftest import CHANNEL

ROOT = Path(__file__).resolve().parents[2]


def buttons(params: dict, action_id: str) -> list[str]:
    return [e["value"] for b in params.get("blocks", []) if b["type"] == "actions"
            for e in b["elements"] if e["action_id"] == action_id]


def text(params: dict) -> str:
    parts = [params.get("text", "")]
    for block in params.get("blocks", []):
        if block["type"] == "section":
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts += [e.get("text", "") for e in block["elements"]]
    return "\n".join(parts)


async def count(world, model) -> int:
    async with world.app.db.transaction() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def announce(world):
    """Lee offers POCUS; Priya announces she wants to learn it. Returns Priya's private reply."""
    fake, slack = world.fake, world.client
    assert (await slack.command("U_LEE", "/mentor", "offer POCUS")).status == 200
    (offered,) = await fake.wait_for("response_url", 1)
    assert "listed as a mentor for: Point-of-care ultrasound" in text(offered)
    assert offered["response_type"] == "ephemeral"
    await slack.command("U_PRIYA", "/learn", "point-of-care ultrasound: FAST exams on nights")
    replies = await fake.wait_for("response_url", 2)
    return replies[1]


async def lee_asked(world):
    """Priya announces, requests an intro to Lee; returns her suggestions and Lee's ask."""
    private = await announce(world)
    await world.client.click("U_PRIYA", "request_intro", buttons(private, "request_intro")[0])
    await world.fake.wait_for("response_url", 3)
    await world.deliver()
    (ask,) = world.fake.to("chat.postMessage", channel="U_LEE")
    return private, ask


async def tick_cli(world, now: str) -> str:
    return await cli(world, "tick", "--now", now)


async def cli(world, *args: str) -> str:
    """`preceptor …` as an operator runs it, on the world's database and fake Slack."""
    env = {**os.environ, "DATABASE_URL": world.db_url, "SLACK_BOT_TOKEN": "xoxb-test",
           "SLACK_SIGNING_SECRET": world.settings.slack_signing_secret,
           "SLACK_API_URL": world.settings.slack_api_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.app.cli", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_offer_learn_volunteer_accept_introduce_and_check_in(slack_world):
    world, fake, slack = slack_world, slack_world.fake, slack_world.client
    private = await announce(world)
    assert "Suggested mentors" in text(private) and "<@U_LEE>" in text(private)
    assert private["response_type"] == "ephemeral" and buttons(private, "request_intro")

    await world.deliver()
    (post,) = fake.to("chat.postMessage", channel=CHANNEL)
    assert "<@U_PRIYA> wants to learn *Point-of-care ultrasound*" in text(post)
    assert "FAST exams on nights" in text(post)
    (request_id,) = buttons(post, "offer_help")

    assert (await slack.click("U_LEE", "offer_help", request_id)).status == 200
    volunteered = (await fake.wait_for("response_url", 3))[2]
    assert "I've asked <@U_PRIYA>" in text(volunteered)
    await world.deliver()
    (ask,) = fake.to("chat.postMessage", channel="U_PRIYA")
    assert "<@U_LEE> offered to help you with *Point-of-care ultrasound*" in text(ask)
    (ask_id,) = buttons(ask, "intro_accept")

    await slack.click("U_PRIYA", "intro_accept", ask_id)
    accepted = (await fake.wait_for("response_url", 4))[3]
    assert "introduced you and <@U_LEE>" in text(accepted)
    await world.deliver()
    (group,) = fake.to("conversations.open")
    assert sorted(group["users"].split(",")) == ["U_LEE", "U_PRIYA"]
    (intro,) = fake.to("chat.postMessage", channel="GU_LEE-U_PRIYA")
    assert "<@U_LEE>, meet <@U_PRIYA>" in text(intro) and "Point-of-care ultrasound" in text(intro)
    assert "Why you two" in text(intro) and "Suggested first step" in text(intro)

    await slack.click("U_PRIYA", "intro_accept", ask_id)
    again = (await fake.wait_for("response_url", 5))[4]
    assert "already accepted" in text(again)
    await world.deliver()
    assert len(fake.to("conversations.open")) == 1 and await count(world, Mentorship) == 1

    assert "check-ins: 0" in await tick_cli(world, "2026-12-14T14:00:00Z")
    due = "2026-12-15T15:00:00Z"
    assert "check-ins: 1, sent: 2" in await tick_cli(world, due)
    for user in ("U_PRIYA", "U_LEE"):
        prompts = [p for p in fake.to("chat.postMessage", channel=user) if buttons(p, "checkin_met")]
        assert len(prompts) == 1, user
    sent_before = len(fake.calls)
    assert "check-ins: 0, sent: 0" in await tick_cli(world, due)
    assert len(fake.calls) == sent_before


async def test_a_strangers_click_changes_nothing_and_is_refused_politely(slack_world):
    world, fake, slack = slack_world, slack_world.fake, slack_world.client
    private, ask = await lee_asked(world)
    await slack.click("U_STRANGER", "intro_accept", buttons(ask, "intro_accept")[0])
    refusal = (await fake.wait_for("response_url", 4))[3]
    assert "only they can answer it" in text(refusal) and refusal["response_type"] == "ephemeral"
    await slack.click("U_STRANGER", "request_intro", buttons(private, "request_intro")[0])
    refusal = (await fake.wait_for("response_url", 5))[4]
    assert "Only the person who asked" in text(refusal)
    await world.deliver()
    assert await count(world, Mentorship) == 0 and fake.to("conversations.open") == []


async def test_phi_in_learn_is_refused_with_a_reason_and_posted_nowhere(slack_world):
    world, fake, slack = slack_world, slack_world.fake, slack_world.client
    acked = await slack.command("U_PRIYA", "/learn", "POCUS: scanning Mrs. Alvarez in room 4, MRN 00123456")
    reply = await acked.json()  # refused in the acknowledgement itself: nothing was written down
    assert reply["response_type"] == "ephemeral"
    assert "didn't save or post that" in text(reply) and "patient's name" in text(reply)
    assert "Alvarez" not in json.dumps(reply) and "00123456" not in json.dumps(reply)
    await world.deliver()
    assert fake.to("chat.postMessage") == [] and await count(world, LearningRequest) == 0


async def test_a_retried_event_is_handled_once_and_answered_200(slack_world):
    fake, slack = slack_world.fake, slack_world.client
    event = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U_PRIYA",
             "text": "help", "ts": "1.1"}
    first = await slack.event(event, event_id="EvHELP")
    retry = await slack.event(event, event_id="EvHELP", headers={"X-Slack-Retry-Num": "1",
                                                                  "X-Slack-Retry-Reason": "http_timeout"})
    assert (first.status, retry.status) == (200, 200)
    await fake.wait_for("chat.postMessage", 1, channel="U_PRIYA")  # the app's DM with her
    await slack_world.work_done(taken=1)   # the retry was never written down
    await slack_world.deliver()
    (answer,) = fake.to("chat.postMessage", channel="U_PRIYA")
    assert "/learn <aspect>" in text(answer)


async def test_typed_words_in_the_dm_answer_a_check_in(slack_world):
    world, fake, slack = slack_world, slack_world.fake, slack_world.client
    private, ask = await lee_asked(world)
    await slack.click("U_LEE", "intro_accept", buttons(ask, "intro_accept")[0])
    await fake.wait_for("response_url", 4)
    world.clock.advance(timedelta(days=15))
    await world.deliver()
    await slack.event({"type": "message", "channel_type": "im", "channel": "D9", "user": "U_LEE",
                       "text": "we met", "ts": "2.2"})
    said = await fake.first(lambda: [p for p in fake.to("chat.postMessage", channel="U_LEE")
                                     if "noted that you met" in text(p)])
    assert said and len(said) == 1


async def test_bad_stale_or_missing_signatures_get_401(slack_world):
    slack = slack_world.client
    at_start = list(slack_world.fake.calls)  # the start-up auth.test, and nothing else
    assert [c.method for c in at_start] == ["auth.test"]
    body = "command=%2Fmentor&text=status&team_id=T1&user_id=U_PRIYA"
    form = "application/x-www-form-urlencoded"
    assert (await slack.post(body, form, signed=False)).status == 401
    bad = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"}
    assert (await slack.post(body, form, headers=bad, signed=False)).status == 401
    from tests.e2e.slack_client import sign

    stale = sign(body, timestamp=int(time.time()) - 6 * 60)
    assert (await slack.post(body, form, headers=stale, signed=False)).status == 401
    for junk in ('"x"', "[1]", "null"):
        assert (await slack.post(junk, "application/json", signed=False)).status == 401
        assert (await slack.post(junk, "application/json")).status == 400
    assert slack_world.fake.calls == at_start  # none of them reached Slack


async def test_after_a_restart_everything_is_still_there(slack_world):
    world, fake = slack_world, slack_world.fake
    await announce(world)
    slack = await world.restart()
    await slack.command("U_PRIYA", "/mentor", "status")
    status = await world.answer(slack)
    assert "Point-of-care ultrasound (public" in text(status) and "<@U_LEE>" in text(status)
    await world.deliver()
    assert len(fake.to("chat.postMessage", channel=CHANNEL)) == 1


async def test_app_home_shows_status_with_profile_and_pause_buttons(slack_world):
    world, fake, slack = slack_world, slack_world.fake, slack_world.client
    await announce(world)
    await slack.event({"type": "app_home_opened", "user": "U_PRIYA", "tab": "home", "channel": "D1"})
    (home,) = await fake.wait_for("views.publish", 1)
    assert home["user_id"] == "U_PRIYA" and home["view"]["type"] == "home"
    actions = [e["action_id"] for b in home["view"]["blocks"] if b["type"] == "actions"
               for e in b["elements"]]
    assert {"open_profile", "pause_me", "request_intro"} <= set(actions)
    assert "Point-of-care ultrasound (public" in json.dumps(home["view"])

    await slack.click("U_PRIYA", "pause_me", "me", container="view")
    (_, paused) = await fake.wait_for("views.publish", 2)
    assert "resume_me" in json.dumps(paused["view"]) and "paused" in json.dumps(paused["view"])


async def test_profile_form_opens_at_once_then_fills_in_and_saves(slack_world):
    fake, slack = slack_world.fake, slack_world.client
    await slack.command("U_KIM", "/mentor", "profile role=nurse; site=North campus")
    await fake.wait_for("response_url", 1)
    before = len(fake.calls)
    await slack.command("U_KIM", "/mentor", "profile")
    (opened,) = await fake.wait_for("views.open", 1)
    assert opened["trigger_id"].startswith("trigger-cmd-") and opened["view"]["type"] == "modal"
    assert fake.calls[before].method == "views.open"  # first, before anything else
    (filled,) = await fake.wait_for("views.update", 1)
    assert "North campus" in json.dumps(filled["view"])

    await slack.submit_profile("U_KIM", {"role": "np", "specialty": "Cardiology",
                                         "site": "North campus", "quiet_hours": "22-6"})
    (saved,) = await fake.wait_for("chat.postMessage", 1, channel="U_KIM")
    assert "Saved your profile" in text(saved) and "np · Cardiology · North campus" in text(saved)
    response = await slack.submit_profile("U_KIM", {"role": "np", "site": "South campus",
                                                    "quiet_hours": "25-99"})
    assert response.status == 200 and slack.acked["response_action"] == "errors"  # stays open
    assert "two hours of the day" in slack.acked["errors"]["quiet_hours"]
    response = await slack.submit_profile("U_KIM", {"specialty": "Cardiology, bed 4 Okafor"})
    assert "patient" in slack.acked["errors"]["specialty"]
    await slack_world.deliver()
    assert len(fake.to("chat.postMessage", channel="U_KIM")) == 1  # no DM about it
    async with slack_world.app.db.transaction() as session:
        kim = (await session.exec(select(Member).where(Member.platform_user_id == "U_KIM"))).one()
    assert (kim.site, kim.quiet_start_hour) == ("North campus", 22)  # nothing was saved


async def test_a_cancelled_form_is_acknowledged(slack_world):
    """bolt-python tests/scenario_tests_async/test_view_closed.py (body), ids changed."""
    view = {"id": "V111", "team_id": "T1", "type": "modal", "blocks": [],
            "private_metadata": "", "callback_id": "profile", "state": {"values": {}},
            "hash": "1596530361.3wRYuk3R", "title": {"type": "plain_text", "text": "Profile"},
            "clear_on_close": False, "notify_on_close": True, "previous_view_id": None,
            "root_view_id": "V111", "app_id": "A1", "external_id": "",
            "app_installed_team_id": "T1", "bot_id": "B1"}
    payload = {"type": "view_closed", "team": {"id": "T1", "domain": "hospital"},
               "user": {"id": "U_KIM", "username": "kim", "name": "kim", "team_id": "T1"},
               "api_app_id": "A1", "token": "legacy", "view": view, "response_urls": [],
               "is_cleared": False}
    response = await slack_world.client.post(urlencode({"payload": json.dumps(payload)}),
                                             "application/x-www-form-urlencoded")
    assert response.status == 200


async def test_a_locked_database_gets_a_polite_answer_inside_slacks_3_seconds(slack_world, db_url):
    """A command is written down before it is acknowledged; when the database cannot take it
    in time, the acknowledgement itself says so, nothing is kept, and the next one works."""
    if not db_url.startswith("sqlite"):
        pytest.skip("the lock below is SQLite's single writer; PostgreSQL has no global lock")
    import sqlite3

    fake, slack = slack_world.fake, slack_world.client
    await slack.command("U_PRIYA", "/mentor", "help")  # warm up: auth.test, users.info
    assert "/learn" in text(await slack_world.answer())
    blocker = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None,
                              check_same_thread=False)
    # In a thread: the server's last delivery may still hold the lock for a moment.
    await asyncio.to_thread(blocker.execute, "BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        response = await asyncio.wait_for(slack.command("U_PRIYA", "/mentor", "status"), 3)
        refused = slack.last
        assert time.monotonic() - started < 3 and response.status == 200
        said = await response.json()
        assert "database is busy or out of reach" in said["text"] and "nothing was changed" in said["text"]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    await slack.command("U_PRIYA", "/mentor", "status")
    assert "Your mentoring at a glance" in text(await slack_world.answer())
    assert fake.to("response_url", url=refused) == []  # the refused one was never worked


async def test_the_bolt_client_retries_after_a_429(slack_world):
    fake, slack = slack_world.fake, slack_world.client
    fake.fail("views.publish", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
    await slack.event({"type": "app_home_opened", "user": "U_PRIYA", "tab": "home", "channel": "D1"})
    calls = await fake.wait_for("views.publish", 2)
    assert calls[0]["user_id"] == calls[1]["user_id"] == "U_PRIYA"


async def test_channel_conversations_make_the_familiar_similar_mentor_come_first(slack_world):
    fake, slack = slack_world.fake, slack_world.client
    profile = "profile role=attending; specialty=Internal Medicine; site=Main campus; started=2014"
    for mentor in ("U_LEE", "U_SOUZA"):
        await slack.command(mentor, "/mentor", profile)
        await slack.command(mentor, "/mentor", "offer POCUS")
    await slack.command("U_PRIYA", "/mentor",
                        "profile role=resident; specialty=Internal Medicine; site=Main campus; "
                        "started=2025")
    await fake.wait_for("response_url", 5)
    for n in range(3):  # Souza answers Priya's questions in a thread, twice about a FAST exam
        await slack.event({"type": "message", "channel": "C_ICU", "channel_type": "channel",
                           "user": "U_SOUZA", "text": "Curvilinear probe for the FAST exam",
                           "ts": f"2.{n}", "thread_ts": f"1.{n}", "parent_user_id": "U_PRIYA"})
    await slack.event({"type": "reaction_added", "user": "U_PRIYA", "item_user": "U_SOUZA",
                       "reaction": "pray", "item": {"type": "message", "channel": "C_ICU",
                                                    "ts": "2.0"}})
    await _until(slack_world, lambda edges: sum(e.threads for e in edges) == 6 and
                 sum(e.count for e in edges) == 8)  # both directions; events land after the ack
    await slack.command("U_PRIYA", "/learn", "POCUS: FAST exams on nights")
    private = (await fake.wait_for("response_url", 6))[5]
    lines = text(private).splitlines()
    first = next(line for line in lines if line.startswith("1. "))
    assert first.startswith("1. <@U_SOUZA>")
    assert "you've replied in 3 threads together in <#C_ICU>" in first
    assert "both Internal Medicine at Main campus" in first
    second = next(line for line in lines if line.startswith("2. "))
    assert second.startswith("2. <@U_LEE>") and "threads together" not in second


async def _until(world, check, timeout: float = 10) -> None:
    """Wait until the interaction edges satisfy `check` (Bolt works after acknowledging)."""
    from storage.models import Interaction

    for _ in range(int(timeout / 0.05)):
        async with world.app.db.transaction() as session:
            if check((await session.exec(select(Interaction))).all()):
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the events were not all processed")


async def test_channel_members_are_read_on_install_and_refreshed_daily(slack_world):
    world, fake, slack = slack_world, slack_world.fake, slack_world.client
    fake.channels = {"C_NIGHTS": ["U_PRIYA", "U_LEE"], "C_ICU": ["U_PRIYA", "U_LEE", "U_KIM"]}
    await slack.command("U_LEE", "/mentor", "offer POCUS")
    await fake.wait_for("response_url", 1)
    await world.deliver()
    assert len(fake.to("users.conversations")) == 1
    await world.deliver()
    assert len(fake.to("users.conversations")) == 1  # not again the same day
    await slack.command("U_PRIYA", "/learn", "--private POCUS")
    private = (await fake.wait_for("response_url", 2))[1]
    assert "you share 2 small channels" in text(private)
    world.clock.advance(timedelta(days=1, minutes=1))
    await world.deliver()
    assert len(fake.to("users.conversations")) == 2


async def test_the_daily_roster_read_forgets_who_left_and_lists_only_people(slack_world):
    """Channel members from conversations.members, people and their zones from users.list:
    the app, another app's bot and Slackbot are never members; someone never looked up gets
    the zone Slack has for them."""
    world, fake, slack = slack_world, slack_world.fake, slack_world.client
    fake.channels = {"C_ICU": ["U_PRIYA", "U_LEE", "U_KIM", "U_PHARM", "UBOT", "UBOT_PAGER",
                               "USLACKBOT"]}
    fake.users["U_PHARM"] = {"name": "Dee Pharm", "tz": "America/Denver"}
    await slack.command("U_LEE", "/mentor", "status")
    assert "Your mentoring at a glance" in text(await slack_world.answer())
    await world.deliver()
    assert await channel_members(world) == {"U_PRIYA", "U_LEE", "U_KIM", "U_PHARM"}
    async with world.app.db.transaction() as session:
        pharm = (await session.exec(select(Member).where(Member.platform_user_id == "U_PHARM"))).one()
    assert pharm.tz == "America/Denver"  # never looked up, never typed: Slack's zone anyway
    fake.channels = {"C_ICU": ["U_PRIYA", "U_LEE", "UBOT"]}  # Kim moved to another unit
    world.clock.advance(timedelta(days=1, minutes=1))
    await world.deliver()
    assert await channel_members(world) == {"U_PRIYA", "U_LEE"}


async def test_the_roster_read_pages_through_a_rate_limit_and_marks_guests(slack_world, tmp_path):
    """users.list in pages of two, the first call refused with a 429 (Tier 2): everyone is
    still read. A partner organisation's member (Slack Connect) becomes a guest; once the
    hospital's roster lists her she is staff, and the next read does not undo it."""
    world, fake, slack = slack_world, slack_world.fake, slack_world.client
    fake.per_page = 2
    fake.channels = {"C_ICU": ["U_PRIYA", "U_LEE", "U_KIM", "U_PHARM", "U_EXT"]}
    fake.users["U_PHARM"] = {"name": "Dee Pharm", "tz": "America/Denver"}
    fake.users["U_EXT"] = {"name": "Eve Partner", "tz": "Europe/Paris", "team": "T_PARTNER"}
    fake.fail("users.list", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
    await slack.command("U_LEE", "/mentor", "status")
    assert "Your mentoring at a glance" in text(await slack_world.answer())
    await world.deliver()
    assert len(fake.to("users.list")) == 1 + 4  # the refusal, then 8 listed in pages of 2
    assert await affiliations(world) == {"U_PRIYA": "member", "U_LEE": "member", "U_KIM": "member",
                                         "U_PHARM": "member", "U_EXT": "guest"}
    assert await zone_of(world, "U_EXT") == "Europe/Paris"

    roster = tmp_path / "roster.csv"
    roster.write_text("platform_user_id,name,email,role,specialty,department,site,"
                      "career_start_year,mentor_aspects,capacity\nU_EXT,Eve,,attending,,,,,,\n")
    await cli(world, "import-roster", str(roster), "--team", "T1")
    world.clock.advance(timedelta(days=1, minutes=1))
    await world.deliver()
    assert (await affiliations(world))["U_EXT"] == "staff"


async def affiliations(world) -> dict[str, str]:
    async with world.app.db.transaction() as session:
        return dict((await session.exec(select(Member.platform_user_id, Member.affiliation))).all())


async def zone_of(world, user: str) -> str:
    async with world.app.db.transaction() as session:
        return (await session.exec(select(Member.tz).where(Member.platform_user_id == user))).one()


async def channel_members(world) -> set[str]:
    async with world.app.db.transaction() as session:
        return set((await session.exec(select(Member.platform_user_id).join(
            ChannelMember, ChannelMember.member_id == Member.id))).all())


async def test_a_slash_command_replayed_byte_for_byte_is_worked_once(slack_world):
    fake, slack = slack_world.fake, slack_world.client
    await slack.command("U_LEE", "/mentor", "status")  # Lee is known to the bot (answered at once)
    await slack.command("U_PRIYA", "/mentor", "thanks <@U_LEE> for the central line teaching")
    replay = await slack.post(slack.sent, "application/x-www-form-urlencoded")
    assert replay.status == 200 and slack.acked is None  # acknowledged, quietly
    await slack_world.work_done(taken=1)
    await slack_world.deliver()
    assert len(fake.to("chat.postMessage", channel="U_LEE")) == 1  # one thank-you
    assert len(fake.to("response_url", url=slack.last)) == 1


async def test_a_read_only_command_is_answered_in_its_ack_or_else_through_the_inbox(slack_world):
    """`/mentor status` comes back in the acknowledgement itself; when its answer cannot come
    within half a second (here Slack is slow to say who a newcomer is) it is written down and
    answered at the response URL, as any other command."""
    fake, slack = slack_world.fake, slack_world.client
    await slack.command("U_LEE", "/mentor", "help")   # the first command looks the workspace up
    assert await slack_world.answer()
    await slack.command("U_LEE", "/mentor", "status")
    at_once = slack.last
    assert "Your mentoring at a glance" in text(slack.acked)
    fake.delay = 0.7
    response = await slack.command("U_KIM", "/mentor", "status")
    assert response.status == 200 and slack.acked is None
    fake.delay = 0
    (answer,) = await fake.wait_for("response_url", 1, url=slack.last)
    assert "Nothing yet" in text(answer)
    await slack_world.deliver()
    assert fake.to("response_url", url=at_once) == []   # answered once, in its acknowledgement
    assert len(fake.to("response_url", url=slack.last)) == 1


async def test_an_answer_worked_after_the_response_url_expired_comes_by_dm(slack_world):
    """Slack's response URL lasts 30 minutes: an answer later than that (an instance died
    with the command, say) goes to the app's DM with the person instead."""
    fake, slack = slack_world.fake, slack_world.client
    fake.delay = 0.5  # looking the newcomer up takes a while, and meanwhile
    await slack.command("U_KIM", "/mentor", "offer POCUS")
    slack_world.clock.advance(timedelta(minutes=31))  # half an hour goes by
    fake.delay = 0
    (answer,) = await fake.wait_for("chat.postMessage", 1, channel="U_KIM")
    assert "listed as a mentor for" in text(answer)
    assert fake.to("response_url", url=slack.last) == []


async def test_a_command_that_mentions_payload_is_not_lost(slack_world):
    """Bolt alone would read any form body containing "payload" as an interaction."""
    await slack_world.client.command("U_LEE", "/mentor", "offer payload design")
    (reply,) = await slack_world.fake.wait_for("response_url", 1)
    assert "listed as a mentor for: Payload design" in text(reply)


async def test_export_arrives_as_a_json_file_in_the_dm(slack_world):
    fake, slack = slack_world.fake, slack_world.client
    await slack.command("U_PRIYA", "/learn", "--private POCUS: FAST exams")
    await fake.wait_for("response_url", 1)
    await slack.command("U_PRIYA", "/mentor", "export")
    (upload,) = await fake.wait_for("upload", 1)
    assert json.loads(upload["content"])["learning_requests"][0]["your_words"] == "FAST exams"
    (done,) = await fake.wait_for("files.completeUploadExternal", 1)
    assert done["channel_id"] == "GU_PRIYA"  # the DM conversations.open gave


async def test_logs_never_hold_refused_text_or_tokens(slack_world, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    slack = slack_world.client
    secrets = ["00123456", "Alvarez", "555-867-5309", "xoxb-test"]
    refusals = [await slack.command("U_PRIYA", "/learn", "POCUS: scanning Mrs. Alvarez, MRN 00123456"),
                await slack.command("U_PRIYA", "/mentor", "thanks @U_LEE call me on 555-867-5309")]
    await slack.event({"type": "message", "channel": "C1", "channel_type": "channel",
                       "user": "U_LEE", "text": "Mrs. Alvarez MRN 00123456", "ts": "3.1",
                       "thread_ts": "3.0", "parent_user_id": "U_PRIYA"})
    for refused in refusals:
        assert "didn't save or post that" in (await refused.json())["text"]
    await slack.command("U_PRIYA", "/mentor", "status")
    assert "Your mentoring at a glance" in text(await slack_world.answer())
    await slack_world.deliver()
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert caplog.records  # there were logs to look through
    assert [s for s in secrets if s in logged] == []
