"""The Slack Messenger: the outbox's sends become Web API calls; errors become retry decisions."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.core.messages import Message
from bot.delivery.messenger import Described, PermanentError, RateLimited, TransientError
from bot.delivery.pacing import Pace
from handlers.slack.directory import is_guest
from handlers.slack.installs import Installs
from handlers.slack.observations import SLACKBOT
from handlers.slack.render import blocks, fallback

# Errors that retrying cannot fix: the person, channel or installation is gone or forbids us.
PERMANENT = {
    "user_not_found", "users_not_found", "account_inactive", "channel_not_found",
    "not_in_channel", "is_archived", "invalid_auth", "token_revoked", "not_authed",
    "missing_scope", "cannot_dm_bot", "user_disabled", "team_access_not_granted",
    "restricted_action", "msg_too_long", "invalid_blocks", "no_permission",
}

MAX_WAIT_SECONDS = 60.0  # the longest a roster read waits out a rate limit, each time

# Of those, the ones that mean this person can no longer be reached here.
USER_GONE = {"user_not_found", "users_not_found", "account_inactive", "cannot_dm_bot",
             "user_disabled", "channel_not_found"}


class SlackMessenger:
    # chat.postMessage: about one message a second per channel, short bursts allowed (we
    # keep one of Slack's burst of 3 in hand, for the network's jitter).
    pace = Pace(per_second=1.0, burst=2)

    def __init__(self, installs: Installs):
        self.installs = installs

    async def _client(self, team: str) -> AsyncWebClient:
        return (await self.installs.of(team)).client

    async def send_dm(self, team: str, user_id: str, message: Message) -> str:
        # Posting to a user id lands in the app's DM with them (the Messages tab).
        try:
            return await self.post_channel(team, user_id, message)
        except PermanentError as error:
            gone = user_id if str(error) in USER_GONE else None
            raise PermanentError(str(error), gone=gone) from None

    async def post_channel(self, team: str, channel: str, message: Message) -> str:
        client = await self._client(team)
        response = await _call(client.chat_postMessage(
            channel=channel, text=fallback(message), blocks=blocks(message), unfurl_links=False,
        ))
        return response["ts"]

    async def channel_rosters(self, team: str) -> dict[str, list[str]]:
        """Members of each public channel the bot is in (for "you share these channels");
        bots among them are told apart by `people`."""
        client = await self._client(team)
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

    async def people(self, team: str) -> dict[str, Described]:
        """Everyone in the workspace who is a person (`users.list`, paged: not bots, apps or
        deactivated accounts), with the time zone Slack has for them and whether they are a
        guest. Its limit is Tier 2 (about 20 pages a minute): a 429 between pages is waited out
        (Retry-After), so a hospital's long list is read whole."""
        install = await self.installs.of(team)
        people: dict[str, Described] = {}
        cursor = None
        while True:
            page = await _patiently(lambda: install.client.users_list(limit=200, cursor=cursor))
            for user in page.get("members", []):
                if user.get("is_bot") or user.get("deleted") or user.get("id") == SLACKBOT:
                    continue
                people[user["id"]] = Described(user.get("tz") or "", is_guest(user, install.home))
            if not (cursor := page.get("response_metadata", {}).get("next_cursor")):
                return people

    async def reply(self, team: str, user_id: str, message: Message, reply_to: str | None) -> str:
        """The answer to what the person just asked: through the response URL while it lasts
        (only they see it, where they asked), else in their DM; a file goes to their DM."""
        if not (reply_to and await _respond(reply_to, message)):
            reply_to = await self.send_dm(team, user_id, message)
        if message.file:
            client = await self._client(team)
            dm = await _call(client.conversations_open(users=user_id))
            name, content = message.file
            await _call(client.files_upload_v2(channel=dm["channel"]["id"], filename=name,
                                               content=content, title=name))
        return reply_to

    async def introduce(self, team: str, user_ids: Sequence[str], message: Message) -> str:
        """A group DM holding everyone (and the bot), with the introduction in it."""
        client = await self._client(team)
        response = await _call(client.conversations_open(users=",".join(user_ids)))
        return await self.post_channel(team, response["channel"]["id"], message)


async def _respond(url: str, message: Message) -> bool:
    """Post an ephemeral answer to a response URL; False when Slack no longer takes answers
    there (it allows five in 30 minutes), so the caller sends a DM instead."""
    try:
        response = await AsyncWebhookClient(url).send(
            text=fallback(message), blocks=blocks(message), response_type="ephemeral",
            replace_original=False)
    except (TimeoutError, aiohttp.ClientError) as error:
        raise TransientError(type(error).__name__) from None
    if response.status_code == 429:
        raise RateLimited(float(response.headers.get("Retry-After", 1)), workspace=False)
    if response.status_code >= 500:
        raise TransientError(f"response_url http {response.status_code}")
    return response.status_code == 200


async def _patiently(request: Callable[[], Awaitable], tries: int = 4):
    """A read that waits out Slack's rate limit (at most a minute each time) and tries again."""
    for _ in range(tries - 1):
        try:
            return await _call(request())
        except RateLimited as limited:
            await asyncio.sleep(min(limited.retry_after or 1.0, MAX_WAIT_SECONDS))
    return await _call(request())


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
