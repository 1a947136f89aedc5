"""Teams' Universal Actions: announcement and ask cards answered through `adaptiveCard/action`
invokes, and refreshed to show how they stand; and a personal uninstall and re-install.

Shapes follow msteams-docs, "Work with Universal Actions for Adaptive Cards" (Action.Execute
with an Action.Submit fallback; a refresh clause with userIds) and adaptivecards.io's
"Universal Action Model" (invoke request `{"action", "trigger"}`; response `{"statusCode",
"type", "value"}`)."""

from datetime import timedelta

from sqlmodel import select

from bot.core.messages import Message
from bot.delivery.messenger import PermanentError
from storage.models import Member
from tests.e2e.teams_world import CHANNEL, in_channel

CARD = "application/vnd.microsoft.card.adaptive"


def text_of(card: dict) -> str:
    return "\n".join(block.get("text", "") for block in card.get("body", []))


async def announced(teams) -> dict:
    """Lee mentors POCUS; Priya asks to learn it in public: the channel's announcement card."""
    await teams.client.say("29:lee", "offer POCUS")
    await teams.reply_to("29:lee", 1)
    await teams.client.say("29:priya", "learn POCUS: FAST exams on nights")
    await teams.reply_to("29:priya", 1)
    await teams.deliver()
    (announcement,) = teams.connector.to(CHANNEL)
    return announcement.card


async def asked(teams) -> dict:
    """Priya requests an intro with Lee: the ask card in Lee's personal chat."""
    suggestion = teams.connector.to("a:chat-29:priya")[-1]
    await teams.client.press("29:priya", "request_intro",
                             suggestion.actions("request_intro")[0]["data"]["value"])
    await teams.deliver()
    return [s for s in teams.connector.to("a:chat-29:lee") if s.actions("intro_accept")][-1].card


async def test_cards_with_buttons_that_settle_use_action_execute_with_a_submit_fallback(teams):
    card = await announced(teams)
    (button,) = card["actions"]
    assert button["type"] == "Action.Execute" and button["verb"] == "offer_help"
    assert button["fallback"]["type"] == "Action.Submit"
    assert button["fallback"]["data"] == button["data"]
    refresh = card["refresh"]
    assert refresh["action"]["type"] == "Action.Execute" and refresh["action"]["verb"] == "refresh"
    assert refresh["action"]["data"] == button["data"] and refresh["userIds"] == ["29:priya"]
    ask = await asked(teams)
    assert [a["verb"] for a in ask["actions"]] == ["intro_accept", "intro_decline"]
    assert ask["refresh"]["action"]["data"]["action_id"] == "intro_accept"
    suggestion = teams.connector.to("a:chat-29:priya")[0].card  # a private answer: no refresh
    assert "refresh" not in suggestion and suggestion["actions"][0]["type"] == "Action.Submit"


async def test_accepting_by_action_execute_refreshes_the_ask_and_the_announcement(teams):
    client = teams.client
    announcement = await announced(teams)
    ask = await asked(teams)
    status, body = await client.invoke(client.execute("29:lee", "intro_accept",
                                                      ask["actions"][0]["data"]))
    assert status == 200 and body["statusCode"] == 200 and body["type"] == CARD
    assert "Accepted on" in text_of(body["value"]) and "actions" not in body["value"]
    replies = await teams.reply_to("29:lee", 3)  # the ask, the introduction, the answer:
    assert any("I've introduced you" in r.text for r in replies)  # the last two in either order

    refresh = in_channel(client.execute("29:stranger", "refresh",
                                        announcement["refresh"]["action"]["data"],
                                        trigger="automatic"), "55")
    status, body = await client.invoke(refresh)
    assert status == 200 and body["type"] == CARD
    seen = text_of(body["value"])
    assert "wants to learn **Point-of-care ultrasound**" in seen
    assert "has been introduced to a mentor" in seen and "actions" not in body["value"]
    assert teams.connector.to(f"{CHANNEL};messageid=55") == []  # nothing posted in the channel


async def test_an_old_ask_card_shows_it_expired_and_its_buttons_do_nothing(teams):
    client = teams.client
    await announced(teams)
    ask = await asked(teams)
    teams.app.clock.advance(timedelta(days=30))
    status, body = await client.invoke(client.execute("29:lee", "refresh",
                                                      ask["refresh"]["action"]["data"]))
    assert status == 200 and "This ask expired on" in text_of(body["value"])
    assert "actions" not in body["value"]
    before = len(teams.connector.to("a:chat-29:lee"))
    status, body = await client.invoke(client.execute("29:lee", "intro_accept",
                                                      ask["actions"][0]["data"]))
    assert status == 200 and "This ask expired on" in text_of(body["value"])
    (reply,) = (await teams.reply_to("29:lee", before + 1))[before:]
    assert "This ask has expired" in reply.text


async def test_volunteering_from_the_channel_answers_privately_and_keeps_the_card_open(teams):
    client = teams.client
    announcement = await announced(teams)
    await client.say("29:stranger", "help")
    await teams.reply_to("29:stranger", 1)
    press = in_channel(client.execute("29:stranger", "offer_help",
                                      announcement["actions"][0]["data"]), "56")
    status, body = await client.invoke(press)
    assert status == 200 and body["value"]["actions"][0]["verb"] == "offer_help"
    (thanks,) = (await teams.reply_to("29:stranger", 2))[1:]
    assert "Thank you! I've asked <at>Priya Raman</at>" in thanks.text
    assert teams.connector.to(f"{CHANNEL};messageid=56") == []


async def test_someone_elses_ask_is_not_shown_and_unknown_invokes_are_refused_not_failed(teams):
    client = teams.client
    await announced(teams)
    ask = await asked(teams)
    status, body = await client.invoke(client.execute("29:stranger", "refresh",
                                                      ask["refresh"]["action"]["data"]))
    assert status == 200 and body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"] == "This ask is between two other colleagues."
    task = client.activity("29:priya", kind="invoke", name="task/fetch",
                           value={"data": {"type": "task/fetch"}})
    status, body = await client.invoke(task)
    assert status == 400 and body["type"] == "application/vnd.microsoft.error"
    assert body["value"]["code"] == "NotSupported"
    status, _ = await client.invoke(client.activity("29:priya", kind="invoke",
                                                    name="adaptiveCard/action", value={}))
    assert status == 400


async def test_a_personal_uninstall_stops_sending_at_once_and_a_reinstall_resumes(teams):
    client, connector = teams.client, teams.connector
    await announced(teams)
    ask = await asked(teams)
    await client.press("29:lee", "intro_accept", ask["actions"][0]["data"]["value"])
    await teams.deliver()
    # msteams-docs, "Conversation events", "Installation update event" (personal scope)
    await client.post(client.activity("29:lee", kind="installationUpdate", action="remove"))
    await teams.deliver()
    told = connector.to("a:chat-29:priya")[-1]
    assert "can't reach <at>Marcus Lee</at>" in told.text and "paused" in told.text
    sent = len(connector.to("a:chat-29:lee"))
    messenger = teams.app.messengers["teams"]
    try:
        await messenger.send_dm("tenant-1", "29:lee", Message("Hello"))
        raise AssertionError("sent to someone who uninstalled the app")
    except PermanentError as error:
        assert error.gone == "29:lee"
    assert len(connector.to("a:chat-29:lee")) == sent  # and the connector was not asked

    await client.install("29:lee")
    await messenger.send_dm("tenant-1", "29:lee", Message("Hello again"))
    assert connector.to("a:chat-29:lee")[-1].text == "Hello again"
    async with teams.app.db.transaction() as session:
        lee = (await session.exec(select(Member).where(Member.platform_user_id == "29:lee"))).one()
    assert lee.unreachable is False
