"""Slack events as familiarity observations: who replied to, mentioned or reacted to whom,
and who joined or left a channel. The message text is passed on only to be matched for
aspect words in memory.

Only people count: the app itself (its bot user, from Bolt's context), Slackbot and other
apps' bots are neither the one who acted nor the one acted upon, so two people both reacting
to the bot's announcement are not made colleagues by it.
"""

import re

from bot.matching.familiarity import Observation

MENTIONS = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
SLACKBOT = "USLACKBOT"
# Message subtypes that are still a person writing: a reply with a file, a reply also sent
# to the channel. Every other subtype is a bot or the system (joins, topic changes, edits).
PERSON_SUBTYPES = frozenset({"file_share", "thread_broadcast"})


def by_a_person(event: dict, app_user: str | None) -> bool:
    """A message a person wrote (not a bot, not Slackbot, not the app, not a system notice)."""
    user = event.get("user")
    return (isinstance(user, str) and bool(user) and not event.get("bot_id")
            and user not in (SLACKBOT, app_user)
            and event.get("subtype") in (None, *PERSON_SUBTYPES))


def from_message(event: dict, app_user: str | None) -> list[Observation]:
    if not by_a_person(event, app_user):
        return []
    user, channel, text = event["user"], event.get("channel"), event.get("text") or ""
    seen = []
    # A thread_broadcast names the thread's author in `root` rather than `parent_user_id`.
    parent = event.get("parent_user_id") or (event.get("root") or {}).get("user")
    in_thread = event.get("thread_ts") and event.get("thread_ts") != event.get("ts")
    if in_thread and _someone_else(parent, user, app_user):
        seen.append(Observation("reply", user, (parent,), channel, text))
    mentioned = tuple(m for m in MENTIONS.findall(text) if _someone_else(m, user, app_user))
    if mentioned:
        seen.append(Observation("mention", user, mentioned, channel))
    return seen


def from_signal(event: dict, app_user: str | None) -> Observation | None:
    user = event.get("user")
    if not isinstance(user, str) or not user or user in (SLACKBOT, app_user):
        return None
    kind = event.get("type")
    if kind in ("member_joined_channel", "member_left_channel"):
        return Observation("joined" if kind == "member_joined_channel" else "left", user,
                           channel=event.get("channel"))
    item_user = event.get("item_user")
    if kind == "reaction_added" and _someone_else(item_user, user, app_user):
        return Observation("reaction", user, (item_user,), (event.get("item") or {}).get("channel"))
    return None


def _someone_else(user, actor: str, app_user: str | None) -> bool:
    """A person other than the actor: not the app or Slackbot. (Other apps' bots are told
    apart where their messages are: by `bot_id`.)"""
    return isinstance(user, str) and bool(user) and user not in (SLACKBOT, app_user, actor)
