"""The one place Adaptive Cards (schema 1.5) are built from the core's messages."""

import re
from urllib.parse import quote

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity

from bot.core.messages import CHANNEL, MENTION, Button, Message

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
_BOLD = re.compile(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])")
STYLES = {"primary": "positive", "danger": "destructive"}
REFRESH = "refresh"  # the verb of a refresh clause's Action.Execute


def _markdown(text: str, mentions: dict[str, dict]) -> str:
    """Slack-style `*bold*` becomes `**bold**`; mentions become `<at>Name</at>` entities."""

    def at(match: re.Match) -> str:
        user_id, name = match.group(1), match.group(2)
        tag = f"<at>{name}</at>"
        mentions[user_id] = {"type": "mention", "text": tag,
                             "mentioned": {"id": user_id, "name": name}}
        return tag

    text = CHANNEL.sub(lambda m: "a team channel" if m.group(1).startswith("19:")
                       else f"#{m.group(1)}", text)
    return _BOLD.sub(r"**\1**", MENTION.sub(at, text))


def card(message: Message, links: tuple[tuple[str, str], ...] = ()) -> dict:
    """An Adaptive Card: text, sections, context, then any `(title, url)` links as
    `Action.OpenUrl` and the buttons, with `{"action_id", "value"}` as their data. A card
    with a `refresh` key uses Universal Actions: `Action.Execute` buttons (`Action.Submit` as
    the fallback older clients render) and a refresh clause, so Teams asks for its current
    view whenever someone looks at it."""
    mentions: dict[str, dict] = {}
    body = [{"type": "TextBlock", "text": _markdown(message.text, mentions), "wrap": True}]
    body += [{"type": "TextBlock", "text": _markdown(s, mentions), "wrap": True}
             for s in message.sections]
    body += [{"type": "TextBlock", "text": _markdown(c, mentions), "wrap": True,
              "isSubtle": True, "size": "Small"} for c in message.context]
    if message.file:
        body.append({"type": "TextBlock", "text": f"{message.file[0]}:", "wrap": True})
        body.append({"type": "TextBlock", "text": f"```\n{message.file[1]}\n```", "wrap": True,
                     "fontType": "Monospace"})
    actions = [{"type": "Action.OpenUrl", "title": title, "url": url} for title, url in links]
    actions += [_action(button, universal=message.refresh is not None)
                for button in message.buttons]
    content: dict[str, object] = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": "1.5",
                                  "body": body}
    if actions:
        content["actions"] = actions
    if message.refresh:
        action_id, value = message.refresh
        # Teams refreshes automatically for everyone in chats and channels of up to 60
        # people; in larger channels only for `userIds` (here: the people the card names).
        content["refresh"] = {"action": {"type": "Action.Execute", "verb": REFRESH,
                                         "data": {"action_id": action_id, "value": value}},
                              "userIds": list(mentions)[:60]}
    if mentions:
        content["msteams"] = {"entities": list(mentions.values())}
    return content


def _action(button: Button, universal: bool) -> dict:
    data = {"action_id": button.action_id, "value": button.value}
    submit = {"type": "Action.Submit", "title": button.label, "data": data}
    if button.style in STYLES:
        submit["style"] = STYLES[button.style]
    if not universal:
        return submit
    return {**submit, "type": "Action.Execute", "verb": button.action_id, "fallback": submit}


def activity(message: Message, links: tuple[tuple[str, str], ...] = ()) -> Activity:
    return MessageFactory.attachment(CardFactory.adaptive_card(card(message, links)))


def chat_link(sign_in_names: list[str], topic: str) -> str:
    """Teams' deep link that opens a chat with these people (the bot cannot open one itself)."""
    users = ",".join(quote(name, safe="@.") for name in sign_in_names)
    return f"https://teams.microsoft.com/l/chat/0/0?users={users}&topicName={quote(topic)}"
