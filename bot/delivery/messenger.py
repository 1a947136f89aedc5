"""The seam to a chat platform. Slack, Teams and the console each implement `Messenger`."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.core.messages import Message
from bot.delivery.pacing import Pace


class DeliveryError(Exception):
    """A send failed; the subclass says whether trying again can help."""


class TransientError(DeliveryError):
    """Rate limited, a 5xx or a timeout: retry later (after `retry_after` seconds if given)."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class RateLimited(TransientError):
    """The platform (or our pacing of its published limits) says wait `retry_after` seconds.
    Not a failure: it never counts toward parking. `workspace` says the whole workspace must
    wait (a 429), not just this one conversation; `spacing` is how far apart further
    messages to the same conversation must be."""

    def __init__(self, retry_after: float, workspace: bool, spacing: float = 0.0):
        super().__init__("ratelimited", retry_after=retry_after)
        self.workspace, self.spacing = workspace, spacing


class PermanentError(DeliveryError):
    """The recipient or conversation is gone or forbids us: retrying cannot help.
    `gone` names the user who can no longer be reached, when that is the reason."""

    def __init__(self, reason: str, gone: str | None = None):
        super().__init__(reason)
        self.gone = gone


class Messenger(Protocol):
    """Sends on behalf of one platform; `team` is the workspace (Slack team, Teams tenant).
    `pace`, when not None, is the platform's per-conversation limit that every instance's
    sends together keep under."""

    @property
    def pace(self) -> Pace | None: ...

    async def send_dm(self, team: str, user_id: str, message: Message) -> str:
        """Send a direct message; returns a reference to the posted message."""

    async def post_channel(self, team: str, channel: str, message: Message) -> str: ...

    async def introduce(self, team: str, user_ids: Sequence[str], message: Message) -> str:
        """Introduce the users to each other with `message` (a group DM on Slack; on Teams,
        which cannot open one for a bot, a card to each with a chat link); returns a reference."""


@runtime_checkable
class Replies(Protocol):
    """A Messenger that can answer where the person asked (Slack's response URL); others
    answer by DM."""

    async def reply(self, team: str, user_id: str, message: Message, reply_to: str | None) -> str: ...


@dataclass(frozen=True)
class Described:
    """What a platform's people list says of someone: their zone ("" unknown) and whether
    they are a guest (an external or restricted account; None when it cannot tell)."""

    tz: str
    guest: bool | None = None


@runtime_checkable
class ReadsRosters(Protocol):
    """A Messenger that can list the members of the channels the bot is in, and the people
    of the workspace (not bots) as it describes them (Slack)."""

    async def channel_rosters(self, team: str) -> dict[str, list[str]]: ...

    async def people(self, team: str) -> dict[str, Described]: ...
