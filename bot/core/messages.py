"""The platform-neutral message model the core speaks; each platform renders it its own way.

People are mentioned inline as `<@platform_user_id|Display Name>`; renderers turn that into
a Slack mention, a Teams `<at>` entity or a plain name.
"""

import re
from dataclasses import asdict, dataclass

from bot.core.errors import NotFound

MENTION = re.compile(r"<@([^|>]+)\|([^>]*)>")
CHANNEL = re.compile(r"<#([^|>]+)>")


def mention(platform_user_id: str, name: str) -> str:
    safe = name.replace(">", "").replace("|", "") or platform_user_id
    return f"<@{platform_user_id}|{safe}>"


def channel_ref(channel: str) -> str:
    """A channel, inline: Slack shows its name; elsewhere it reads as #channel."""
    return f"<#{channel.lstrip('#')}>"


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str
    style: str | None = None  # "primary" | "danger" | None


def button_ids(value: str, count: int) -> list[int]:
    """The row ids a button's value names ("12" or "12:34"), or a polite `NotFound`."""
    parts = value.split(":")
    if len(parts) != count or not all(p.isdecimal() and len(p) < 12 for p in parts):
        raise NotFound("That button doesn't point at anything I know.")
    return [int(p) for p in parts]


@dataclass(frozen=True)
class Message:
    text: str
    sections: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()
    context: tuple[str, ...] = ()
    form: str | None = None  # a form the platform should open (e.g. "profile")
    file: tuple[str, str] | None = None  # (file name, text) to hand the actor, e.g. an export
    # (action_id, value) of the object this card shows: a platform that refreshes cards in
    # place (Teams' Universal Actions) asks `Dispatch.view` for how it stands now
    refresh: tuple[str, str] | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Message":
        return cls(
            text=data["text"],
            sections=tuple(data.get("sections", ())),
            buttons=tuple(Button(**b) for b in data.get("buttons", ())),
            context=tuple(data.get("context", ())),
            form=data.get("form"),
            file=tuple(data["file"]) if data.get("file") else None,
            refresh=tuple(data["refresh"]) if data.get("refresh") else None,
        )


def plain(text: str) -> str:
    """The text with mentions reduced to `@Name` and channels to `#name`, for the console."""
    return CHANNEL.sub(lambda m: f"#{m.group(1)}", MENTION.sub(lambda m: f"@{m.group(2)}", text))
