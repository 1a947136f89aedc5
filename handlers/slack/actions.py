"""Buttons: the core's (the value names the object; the core checks the clicker's part in
it), the home tab's own, and any other (a polite no)."""

import re

from slack_bolt.async_app import AsyncApp

from bot.core.dispatch import BUTTONS
from bot.core.errors import answered
from handlers.slack import render
from handlers.slack.edge import SlackEdge, team_of, user_of


def register(app: AsyncApp, edge: SlackEdge) -> None:
    @app.action(re.compile("^(" + "|".join(BUTTONS) + ")$"))
    async def on_button(ack, body, client, respond):
        async with edge.admission.work(ack):
            await _press(edge, body, client, respond)

    @app.action("open_profile")
    async def on_open_profile(ack, body, client):
        await ack()
        await edge.open_profile(client, body, body["trigger_id"])

    @app.action(re.compile("^(pause_me|resume_me)$"))
    async def on_pause_toggle(ack, body, client):
        await ack()
        who = await edge.actor(client, team_of(body), user_of(body))
        word = "pause" if body["actions"][0]["action_id"] == "pause_me" else "resume"
        await answered(edge.dispatch.command(who, f"/mentor {word}"))
        await edge.publish_home(client, who)

    # Registered last: Bolt runs the first listener that matches.
    @app.action(re.compile(".*"))
    async def on_unknown_button(ack, body, respond):
        """A button we never drew (an old message, a forged payload): a polite no."""
        await ack()
        if body.get("response_url"):
            await respond(response_type="ephemeral", replace_original=False,
                          text="That button isn't one I know; nothing was changed.")


async def _press(edge: SlackEdge, body: dict, client, respond) -> None:
    action = body["actions"][0]
    who = await edge.actor(client, team_of(body), user_of(body))
    reply = await answered(edge.dispatch.press(who, action["action_id"], action.get("value", ""),
                                               event_key=f"slack:action:{body['trigger_id']}"))
    if reply is None:
        return  # a repeat of a click already handled
    if body.get("response_url"):
        await respond(response_type="ephemeral", text=render.fallback(reply),
                      blocks=render.blocks(reply), replace_original=False)
    else:
        await client.chat_postMessage(channel=who.user_id, text=render.fallback(reply),
                                      blocks=render.blocks(reply))
    if body.get("container", {}).get("type") == "view":
        await edge.publish_home(client, who)
