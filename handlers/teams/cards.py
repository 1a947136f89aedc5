"""The one place Adaptive Cards (schema 1.5) are built from the core's messages."""

import re
from urllib.parse import quote

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity

from bot.core.messages import CHANNEL, MENTION, Message

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
_BOLD = re.compile(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])")
STYLES = {"primary": "positive", "danger": "destructive"}


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
    """An Adaptive Card: text, sections, context, then the buttons as `Action.Submit` with
    `{"action_id", "value"}` and any `(title, url)` links as `Action.OpenUrl`."""
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
    for button in message.buttons:
        action = {"type": "Action.Submit", "title": button.label,
                  "data": {"action_id": button.action_id, "value": button.value}}
        if button.style in STYLES:
            action["style"] = STYLES[button.style]
        actions.append(action)
    content = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": "1.5", "body": body}
    if actions:
        content["actions"] = actions
    if mentions:
        content["msteams"] = {"entities": list(mentions.values())}
    return content


def activity(message: Message, links: tuple[tuple[str, str], ...] = ()) -> Activity:
    return MessageFactory.attachment(CardFactory.adaptive_card(card(message, links)))


def chat_link(sign_in_names: list[str], topic: str) -> str:
    """Teams' deep link that opens a chat with these people (the bot cannot open one itself)."""
    users = ",".join(quote(name, safe="@.") for name in sign_in_names)
    return f"https://teams.microsoft.com/l/chat/0/0?users={users}&topicName={quote(topic)}"
