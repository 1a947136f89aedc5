"""The Slack Messenger: the outbox's sends become Web API calls; errors become retry decisions."""

from collections.abc import Awaitable, Callable, Sequence

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.messages import Message
from bot.delivery.messenger import PermanentError, RateLimited, TransientError
from bot.delivery.pacing import Pacer
from handlers.slack.render import blocks, fallback

# Errors that retrying cannot fix: the person, channel or installation is gone or forbids us.
PERMANENT = {
    "user_not_found", "users_not_found", "account_inactive", "channel_not_found",
    "not_in_channel", "is_archived", "invalid_auth", "token_revoked", "not_authed",
    "missing_scope", "cannot_dm_bot", "user_disabled", "team_access_not_granted",
    "restricted_action", "msg_too_long", "invalid_blocks", "no_permission",
}

# Of those, the ones that mean this person can no longer be reached here.
USER_GONE = {"user_not_found", "users_not_found", "account_inactive", "cannot_dm_bot",
             "user_disabled", "channel_not_found"}

ClientFor = Callable[[str], Awaitable[AsyncWebClient]]

# chat.postMessage: about one message a second per channel, short bursts allowed.
PER_CHANNEL_PER_SECOND, PER_CHANNEL_BURST = 1.0, 3


class SlackMessenger:
    def __init__(self, client_for: ClientFor):
        self._client_for = client_for
        self._pacer = Pacer(PER_CHANNEL_PER_SECOND, PER_CHANNEL_BURST)

    async def send_dm(self, team: str, user_id: str, message: Message) -> str:
        # Posting to a user id lands in the app's DM with them (the Messages tab).
        try:
            return await self.post_channel(team, user_id, message)
        except PermanentError as error:
            gone = user_id if str(error) in USER_GONE else None
            raise PermanentError(str(error), gone=gone) from None

    async def post_channel(self, team: str, channel: str, message: Message) -> str:
        if wait := self._pacer.wait(f"{team}:{channel}"):
            raise RateLimited(wait, workspace=False, spacing=1 / PER_CHANNEL_PER_SECOND)
        client = await self._client_for(team)
        response = await _call(client.chat_postMessage(
            channel=channel, text=fallback(message), blocks=blocks(message), unfurl_links=False,
        ))
        return response["ts"]

    async def channel_rosters(self, team: str) -> dict[str, list[str]]:
        """Members of each public channel the bot is in (for "you share these channels")."""
        client = await self._client_for(team)
        rosters: dict[str, list[str]] = {}
        async for page in await _call(client.users_conversations(types="public_channel",
                                                                 exclude_archived=True,
                                                                 limit=200)):
            for channel in page.get("channels", []):
                members: list[str] = []
                async for part in await _call(client.conversations_members(
                        channel=channel["id"], limit=1000)):
                    members += part.get("members", [])
                rosters[channel["id"]] = members
        return rosters

    async def introduce(self, team: str, user_ids: Sequence[str], message: Message) -> str:
        """A group DM holding everyone (and the bot), with the introduction in it."""
        client = await self._client_for(team)
        response = await _call(client.conversations_open(users=",".join(user_ids)))
        return await self.post_channel(team, response["channel"]["id"], message)


async def _call(request: Awaitable):
    """Run a Web API call, sorting failures into transient and permanent."""
    try:
        return await request
    except SlackApiError as error:
        code = error.response.get("error", "") if error.response is not None else ""
        status = error.response.status_code if error.response is not None else 0
        if status == 429 or code == "ratelimited":
            # Slack does not say which limit was hit, so the whole workspace waits.
            raise RateLimited(float(error.response.headers.get("Retry-After", 1)),
                              workspace=True) from None
        if code in PERMANENT:
            raise PermanentError(code) from None
        raise TransientError(code or f"http {status}") from None
    except (TimeoutError, aiohttp.ClientError) as error:
        raise TransientError(type(error).__name__) from None
