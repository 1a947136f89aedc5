"""`/learn …` and `/mentor …`: acknowledged at once, answered privately when the work is done."""

import re
from dataclasses import replace

from slack_bolt.async_app import AsyncApp

from bot.core.errors import answered
from handlers.slack import render
from handlers.slack.edge import SlackEdge


def register(app: AsyncApp, edge: SlackEdge) -> None:
    @app.command(re.compile(r"^/(learn|mentor)$"))
    async def on_command(ack, body, client, respond):
        """A form the core says the command wants opens at once; words are answered privately."""
        text = f"{body['command']} {body.get('text', '')}"
        if edge.dispatch.form(text) == "profile":
            await ack()
            await edge.open_profile(client, body, body["trigger_id"])  # the trigger lasts 3 s
            return
        async with edge.admission.work(ack):
            who = replace(await edge.actor(client, body["team_id"], body["user_id"]),
                          channel=body.get("channel_id"))
            reply = await answered(edge.dispatch.command(who, text))
            await respond(response_type="ephemeral", text=render.fallback(reply),
                          blocks=render.blocks(reply), replace_original=False)
            if reply.file:
                await edge.hand_over(client, who.user_id, reply.file)
