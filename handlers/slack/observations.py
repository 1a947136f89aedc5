"""Slack events as familiarity observations: who replied to, mentioned or reacted to whom.
The message text is passed on only to be matched for aspect words in memory."""

import re

from bot.matching.familiarity import Observation

MENTIONS = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def from_message(event: dict) -> list[Observation]:
    user, channel, text = event["user"], event.get("channel"), event.get("text", "")
    seen = []
    parent = event.get("parent_user_id")
    if event.get("thread_ts") and event.get("thread_ts") != event.get("ts") and parent:
        seen.append(Observation("reply", user, (parent,), channel, text))
    mentioned = tuple(m for m in MENTIONS.findall(text) if m != user)
    if mentioned:
        seen.append(Observation("mention", user, mentioned, channel))
    return seen


def from_signal(event: dict) -> Observation | None:
    user = event.get("user")
    if not user:
        return None
    if event.get("type") == "member_joined_channel":
        return Observation("joined", user, channel=event.get("channel"))
    item_user = event.get("item_user")
    if event.get("type") == "reaction_added" and item_user and item_user != user:
        return Observation("reaction", user, (item_user,),
                           (event.get("item") or {}).get("channel"))
    return None
