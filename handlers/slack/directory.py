"""Who a Slack user is (display name, time zone), looked up once a day per user, not per click."""

import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.actor import Actor

TTL_SECONDS = 24 * 3600


class Directory:
    def __init__(self):
        self._known: dict[tuple[str, str], tuple[float, str | None, str | None]] = {}

    async def actor(self, client: AsyncWebClient, team: str, user: str) -> Actor:
        key = (team, user)
        cached = self._known.get(key)
        if cached is None or time.monotonic() - cached[0] > TTL_SECONDS:
            name, tz = await self._look_up(client, user)
            cached = (time.monotonic(), name, tz)
            self._known[key] = cached
        return Actor("slack", team, user, name=cached[1], tz=cached[2])

    async def _look_up(self, client: AsyncWebClient, user: str) -> tuple[str | None, str | None]:
        try:
            info = (await client.users_info(user=user))["user"]
        except SlackApiError:
            return None, None  # keep what the profile already has
        profile = info.get("profile", {})
        name = profile.get("display_name") or info.get("real_name") or info.get("name")
        return name, info.get("tz")
