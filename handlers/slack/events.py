"""Events: the home tab, typed words in the bot's DM, familiarity signals from channels,
and uninstalls. Events we do not use are acknowledged, so Slack does not retry them.

The workspace is `workspace_of(context)`, which Bolt reads from `authorizations[0]`, the
install the event is for (in a Slack Connect channel the envelope's `team_id` is the
partner's)."""

import logging
import re

from slack_bolt.async_app import AsyncApp

from bot.core.inbox import Received
from bot.core.messages import Message
from handlers.slack import observations, render
from handlers.slack.edge import SlackEdge
from handlers.slack.installs import workspace_of

log = logging.getLogger(__name__)


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
    async def on_home(body, event, client, context):
        if (event.get("tab", "home") != "home" or not event.get("user")
                or not await edge.first_time(body["event_id"])):
            return
        who = await edge.actor_of(workspace_of(context), event["user"])
        edge.later(edge.publish_home(client, who))

    @app.event("message")
    async def on_message(body, event, say, context):
        """Typed words in the bot's DM: check-in answers, `help`, `status`, any command,
        written down before Slack is answered (its retries have the same event id).
        In channels: who replied to or mentioned whom, for familiarity (never the words).
        Bots, Slackbot, the app itself and system notices are neither."""
        if not observations.by_a_person(event, context.bot_user_id):
            return
        if event.get("channel_type") != "im":
            for seen in observations.from_message(event, context.bot_user_id):
                await edge.events.observe("slack", workspace_of(context), seen,
                                          event_key=f"slack:{body['event_id']}:{seen.kind}")
            return
        if event.get("subtype") or not event.get("text"):
            return  # in the DM, only typed words are commands

        async def refused(reply: Message) -> None:
            await say(text=render.fallback(reply), blocks=render.blocks(reply))

        await edge.take(Received(
            key=f"slack:{body['event_id']}", platform="slack", team=workspace_of(context),
            user_id=event["user"], kind="command", text=event["text"],
        ), _acknowledged, refused)


def _workspace(app: AsyncApp, edge: SlackEdge) -> None:
    """Uninstalls, and the signals of a workspace: reactions and channel joins."""

    @app.event(re.compile("^(app_uninstalled|tokens_revoked)$"))
    async def on_removed(body, context):
        """Stop all sending there and forget its tokens. An org-level removal (Enterprise
        Grid: it names the org, no workspace) stops every workspace of the org."""
        event = body["event"]
        if event["type"] == "tokens_revoked" and not event.get("tokens", {}).get("bot"):
            return  # only people's own tokens, which the app never holds
        if not (context.team_id or context.enterprise_id):
            log.warning("a %s naming no workspace or org was ignored", event["type"])
            return
        if await edge.first_time(body["event_id"]):
            org_level = context.team_id is None or context.is_enterprise_install
            stopped = await edge.installs.removed(
                None if org_level else context.team_id, context.enterprise_id)
            for workspace in stopped:
                await edge.events.removed("slack", workspace)
            log.info("Slack %s: stopped sending to %s", event["type"], ", ".join(stopped))

    @app.event(re.compile("^(reaction_added|member_joined_channel|member_left_channel)$"))
    async def on_workspace_signal(body, event, context):
        """A reaction to a colleague's message, someone joining or leaving a channel."""
        seen = observations.from_signal(event, context.bot_user_id)
        if seen is not None:
            await edge.events.observe("slack", workspace_of(context), seen,
                                      event_key=f"slack:{body['event_id']}")


async def _acknowledged() -> None:
    """Bolt acknowledges events itself, once the listener has returned."""
