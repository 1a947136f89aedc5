"""Teams as Teams sends it: every activity shape of `data/teams_activities.json` (77 shapes
from msteams-docs' event pages and botbuilder-js's recorded Teams requests, each entry citing
its source; only ids changed) replayed, in order, against `/api/messages`, with the fake Bot
Connector under a regional service URL.

What a Teams app must do with each: answer within 15 s and never with a 5xx; give every
invoke an invoke response; answer a message meant for it in the person's personal chat (a
shared conversation hears at most where the answer went); greet once per install; and say
nothing to chatter, reactions, edits, lifecycle events, typing, receipts or meetings."""

import asyncio
import json
from pathlib import Path

CORPUS = json.loads((Path(__file__).parent / "data" / "teams_activities.json").read_text())
NOTES = ("I've answered you in our personal chat.",
         "I couldn't open a personal chat with you: send me a message there first.")


def shared(conversation: str) -> bool:
    return conversation.startswith("19:")  # a channel, its threads, a group or meeting chat


def is_welcome(sent) -> bool:
    return "I'm Preceptor" in sent.text


def installed_in(activity: dict) -> str:
    """A team's channels share one install (its id in channelData); a chat is its own."""
    team = (activity.get("channelData") or {}).get("team") or {}
    return team.get("id") or activity["conversation"]["id"].split(";")[0]


def removes_the_bot(activity: dict) -> bool:
    return (activity["type"] == "installationUpdate" and activity.get("action", "").startswith(
        "remove")) or any(m["id"] == "28:preceptor-bot" for m in activity.get("membersRemoved", []))


def problem(entry: dict, status: int, body, new: list, greeted: bool) -> str | None:
    """What is wrong with how one shape was answered, if anything. `greeted`: whether the
    conversation was already welcomed since the bot was last removed from it."""
    activity, expect = entry["activity"], entry["expect"]
    user, where = activity["from"]["id"], activity["conversation"]["id"].split(";")[0]
    if status >= 500:
        return f"HTTP {status}"
    for sent in new:
        if shared(sent.conversation) and not (
                sent.text in NOTES or is_welcome(sent) or "wants to learn" in sent.text):
            return f"posted in a shared conversation: {sent.text[:60]!r}"
        if shared(sent.conversation) and sent.actions() and "wants to learn" not in sent.text:
            return "buttons in a shared conversation"
    if expect == "invoke":
        return None if isinstance(body, dict) and "statusCode" in body else f"no invoke response: {body}"
    if expect == "answer":
        private = [s for s in new if s.conversation.startswith("a:") and s.conversation.endswith(user)]
        return None if private else f"no answer in {user}'s personal chat"
    if expect == "welcome":
        welcomes = len([s for s in new if is_welcome(s) and s.conversation.split(";")[0] == where])
        return None if welcomes == (0 if greeted else 1) else f"{welcomes} welcomes"
    return f"answered: {[s.text[:40] for s in new]}" if new else None


async def test_every_activity_shape_is_answered_as_a_teams_app_must(teams):
    connector = teams.connector
    await teams.client.say("29:lee", "offer POCUS")  # so `learn` has someone to suggest
    await teams.reply_to("29:lee", 1)
    failures, greeted = [], set()
    for entry in CORPUS:
        activity = json.loads(json.dumps(entry["activity"]).replace("{serviceUrl}", connector.url))
        before = len(connector.sent)
        async with asyncio.timeout(15):
            status, body = await teams.client.invoke(activity)
            await teams.deliver()
        where = installed_in(activity)
        found = problem(entry, status, body, connector.sent[before:], where in greeted)
        if found:
            failures.append(f"{entry['name']}: {found}")
        if removes_the_bot(activity):
            greeted.discard(where)
        elif entry["expect"] == "welcome":
            greeted.add(where)
    assert failures == [], "\n".join(failures)
    assert connector.unexpected == []
    assert len(CORPUS) >= 56 and all(entry["source"] for entry in CORPUS)
