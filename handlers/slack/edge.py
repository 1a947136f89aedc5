"""What every Slack listener is handed: the core's entry points, and the Slack calls they
share (who someone is, the home tab, the profile form, a file into someone's DM)."""

from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bot.app.admission import Admission
from bot.core.actor import Actor
from bot.core.dispatch import Dispatch
from bot.core.errors import answered
from bot.core.workspace_events import WorkspaceEvents
from handlers.slack import render
from handlers.slack.directory import Directory


@dataclass(frozen=True)
class SlackEdge:
    dispatch: Dispatch
    events: WorkspaceEvents
    admission: Admission
    directory: Directory

    async def actor(self, client: AsyncWebClient, team: str, user: str) -> Actor:
        return await self.directory.actor(client, team, user)

    async def first_time(self, key: str) -> bool:
        return await self.events.first_time(f"slack:{key}")

    async def publish_home(self, client: AsyncWebClient, who: Actor) -> None:
        reply, paused = await self.dispatch.home(who)
        await client.views_publish(user_id=who.user_id, view=render.home_view(reply, paused))

    async def open_profile(self, client: AsyncWebClient, body: dict, trigger_id: str) -> None:
        """Open the form before any database work (the trigger lasts 3 s), then fill it in."""
        opened = await client.views_open(trigger_id=trigger_id, view=render.profile_modal())
        who = await self.actor(client, team_of(body), user_of(body))
        values = await answered(self.dispatch.profile_fields(who))
        if isinstance(values, dict):
            await client.views_update(view_id=opened["view"]["id"], hash=opened["view"]["hash"],
                                      view=render.profile_modal(values))

    @staticmethod
    async def hand_over(client: AsyncWebClient, user: str, file: tuple[str, str]) -> None:
        """A file for the person alone, in their DM with the app (e.g. `/mentor export`)."""
        dm = await client.conversations_open(users=user)
        await client.files_upload_v2(channel=dm["channel"]["id"], filename=file[0],
                                     content=file[1], title=file[0])


def team_of(body: dict) -> str:
    """The workspace, from a slash command, an interaction or an event body."""
    return body.get("team_id") or (body.get("team") or {}).get("id") or body["user"]["team_id"]


def user_of(body: dict) -> str:
    return body.get("user_id") or body["user"]["id"]
