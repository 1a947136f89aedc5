"""Events: the home tab, typed words in the bot's DM, familiarity signals from channels,
and uninstalls. Events we do not use are acknowledged, so Slack does not retry them."""

import re

from slack_bolt.async_app import AsyncApp

from bot.core.errors import answered
from handlers.slack import observations, render
from handlers.slack.edge import SlackEdge


def register(app: AsyncApp, edge: SlackEdge) -> None:
    _people(app, edge)
    _workspace(app, edge)

    # Registered last: Bolt runs the first listener that matches.
    @app.event(re.compile(".*"))
    async def on_anything_else(body):
        """Events we do not use are acknowledged (200), so Slack does not retry them."""

    @app.error
    async def on_error(error, body, logger):
        """Real failures are logged with their traceback; the person hears nothing false."""
        logger.exception("Slack request failed: %s", type(error).__name__, exc_info=error)


def _people(app: AsyncApp, edge: SlackEdge) -> None:
    """The home tab, and messages: typed words in the bot's DM, familiarity in channels."""

    @app.event("app_home_opened")
    async def on_home(body, event, client):
        if event.get("tab", "home") != "home" or not await edge.first_time(body["event_id"]):
            return
        await edge.publish_home(client, await edge.actor(client, body["team_id"], event["user"]))

    @app.event("message")
    async def on_message(body, event, client, say):
        """Typed words in the bot's DM: check-in answers, `help`, `status`, any command.
        In channels: who replied to or mentioned whom, for familiarity (never the words)."""
        if event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return
        if event.get("channel_type") != "im":
            for seen in observations.from_message(event):
                await edge.events.observe("slack", body["team_id"], seen,
                                          event_key=f"slack:{body['event_id']}:{seen.kind}")
            return
        if not event.get("text"):
            return
        async with edge.admission.work(_acknowledged):  # Bolt acknowledges events itself
            who = await edge.actor(client, body["team_id"], event["user"])
            reply = await answered(edge.dispatch.command(who, event["text"],
                                                         event_key=f"slack:{body['event_id']}"))
            if reply is not None:  # None: Slack's retry of an event already handled
                await say(text=render.fallback(reply), blocks=render.blocks(reply))



def _workspace(app: AsyncApp, edge: SlackEdge) -> None:
    """Uninstalls, and the signals of a workspace: reactions and channel joins."""

    @app.event(re.compile("^(app_uninstalled|tokens_revoked)$"))
    async def on_removed(body):
        """Stop all sending there, and forget the workspace's tokens (OAuth)."""
        if await edge.first_time(body["event_id"]):
            await edge.events.removed("slack", body["team_id"])
            if app.installation_store is not None:
                await app.installation_store.async_delete_all(
                    enterprise_id=body.get("enterprise_id"), team_id=body["team_id"])

    @app.event(re.compile("^(reaction_added|member_joined_channel)$"))
    async def on_workspace_signal(body, event):
        """A reaction to a colleague's message, or someone joining a channel: familiarity."""
        seen = observations.from_signal(event)
        if seen is not None:
            await edge.events.observe("slack", body["team_id"], seen,
                                      event_key=f"slack:{body['event_id']}")


async def _acknowledged() -> None:
    return None
