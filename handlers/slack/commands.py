"""`/learn …` and `/mentor …`: written down, then acknowledged; answered privately (through
the response URL) once worked. A read-only command is answered in the acknowledgement when it
can be; a form the core says the command wants opens at once."""

import re

from slack_bolt.async_app import AsyncApp

from bot.core.inbox import Received
from bot.core.messages import Message
from handlers.slack import render
from handlers.slack.edge import RESPONSE_URL_LIFETIME, SlackEdge
from handlers.slack.installs import workspace_of


def register(app: AsyncApp, edge: SlackEdge) -> None:
    @app.command(re.compile(r"^/(learn|mentor)$"))
    async def on_command(ack, body, client, context):
        text = f"{body['command']} {body.get('text', '')}"
        if edge.dispatch.form(text) == "profile":
            await ack()
            await edge.open_profile(client, workspace_of(context), body)  # the trigger lasts 3 s
            return

        async def answer(reply: Message) -> None:
            """Answered in the acknowledgement itself: only the sender sees it."""
            await ack(response_type="ephemeral", text=render.fallback(reply),
                      blocks=render.blocks(reply))

        item = Received(
            key=f"slack:command:{body['trigger_id']}", platform="slack", team=workspace_of(context),
            user_id=body["user_id"], kind="command", text=text, channel=body.get("channel_id"),
            reply_to=body.get("response_url"), reply_for=RESPONSE_URL_LIFETIME,
        )
        reply = await edge.at_once(item)
        if reply is not None:
            await answer(reply)
            return
        await edge.take(item, ack, answer)
