"""Who a Slack user is (display name, time zone, guest or not), looked up once a day per user,
not per click."""

import time

from slack_sdk.errors import SlackApiError

from bot.core.actor import Actor
from handlers.slack.installs import Install

TTL_SECONDS = 24 * 3600
RETRY_SECONDS = 300  # a lookup that failed is tried again this much later, not a day later


def is_guest(user: dict, home: frozenset[str]) -> bool | None:
    """Slack's single- and multi-channel guests, and people of another organisation (Slack
    Connect: their team and enterprise are none of the workspace's). None: Slack did not say."""
    if user.get("is_restricted") or user.get("is_ultra_restricted") or user.get("is_stranger"):
        return True
    if not user.get("team_id"):
        return None
    org = user.get("enterprise_user") or {}
    theirs = {user["team_id"], org.get("enterprise_id"), *org.get("teams", [])}
    return not theirs & home


class Directory:
    def __init__(self):
        self._known: dict[tuple[str, str], tuple[float, dict]] = {}  # (expires, fields)

    async def actor(self, install: Install, team: str, user: str) -> Actor:
        key = (team, user)
        cached = self._known.get(key)
        if cached is None or time.monotonic() > cached[0]:
            found = await self._look_up(install, user)
            cached = (time.monotonic() + (TTL_SECONDS if found else RETRY_SECONDS), found)
            self._known[key] = cached
        return Actor("slack", team, user, **cached[1])

    async def _look_up(self, install: Install, user: str) -> dict:
        try:
            info = (await install.client.users_info(user=user))["user"]
        except SlackApiError:
            return {}  # keep what the profile already has; ask again soon
        profile = info.get("profile", {})
        return {"name": profile.get("display_name") or info.get("real_name") or info.get("name"),
                "tz": info.get("tz"), "guest": is_guest(info, install.home)}
