"""Buttons: the core's (the value names the object; the core checks the clicker's part in
it) and the home tab's own are written down, then acknowledged, and answered once worked;
any other gets a polite no."""

import re

from slack_bolt.async_app import AsyncApp

from bot.core.dispatch import BUTTONS
from bot.core.inbox import Received
from bot.core.messages import Message
from handlers.slack import render
from handlers.slack.edge import RESPONSE_URL_LIFETIME, SlackEdge, user_of
from handlers.slack.installs import workspace_of

HOME_TOGGLES = {"pause_me": "/mentor pause", "resume_me": "/mentor resume"}


def register(app: AsyncApp, edge: SlackEdge) -> None:
    @app.action(re.compile("^(" + "|".join(BUTTONS) + ")$"))
    async def on_button(ack, body, respond, client, context):
        action = body["actions"][0]
        await edge.take(_received(body, workspace_of(context), kind="press", action_id=action["action_id"],
                                  value=str(action.get("value", ""))),
                        ack, _refusal(ack, body, respond, client))

    @app.action(re.compile("^(" + "|".join(HOME_TOGGLES) + ")$"))
    async def on_pause_toggle(ack, body, respond, client, context):
        """The home tab's pause and resume: the commands, then the tab redrawn."""
        text = HOME_TOGGLES[body["actions"][0]["action_id"]]
        await edge.take(_received(body, workspace_of(context), kind="command", text=text), ack,
                        _refusal(ack, body, respond, client))

    @app.action("open_profile")
    async def on_open_profile(ack, body, client, context):
        await ack()
        await edge.open_profile(client, workspace_of(context), body)

    # Registered last: Bolt runs the first listener that matches.
    @app.action(re.compile(".*"))
    async def on_unknown_button(ack, body, respond):
        """A button we never drew (an old message, a forged payload): a polite no."""
        await ack()
        if body.get("response_url"):
            await respond(response_type="ephemeral", replace_original=False,
                          text="That button isn't one I know; nothing was changed.")


def _received(body: dict, team: str, **what) -> Received:
    """A click, keyed by its trigger id (a replayed click has the same); from the home tab
    (a view) it has no response URL, so it is answered by DM and the tab redrawn."""
    in_view = body.get("container", {}).get("type") == "view"
    return Received(key=f"slack:action:{body['trigger_id']}", platform="slack",
                    team=team, user_id=user_of(body), reply_to=body.get("response_url"),
                    reply_for=RESPONSE_URL_LIFETIME, after="home" if in_view else None, **what)


def _refusal(ack, body: dict, respond, client):
    async def refused(reply: Message) -> None:
        await ack()
        if body.get("response_url"):
            await respond(response_type="ephemeral", replace_original=False,
                          text=render.fallback(reply), blocks=render.blocks(reply))
        else:
            await client.chat_postMessage(channel=user_of(body), text=render.fallback(reply),
                                          blocks=render.blocks(reply))

    return refused
