"""Modal submissions: the profile form, saved before Slack is answered; closed forms."""

import re

from slack_bolt.async_app import AsyncApp

from bot.core.errors import PreceptorError
from bot.core.messages import Message
from handlers.slack import render
from handlers.slack.edge import SlackEdge, user_of
from handlers.slack.installs import workspace_of


def register(app: AsyncApp, edge: SlackEdge) -> None:
    @app.view(render.PROFILE_CALLBACK)
    async def on_profile_saved(ack, body, client, context):
        """The profile form was submitted: saved, the form closes, the DM says how it went
        and the home tab is redrawn. A field that is refused keeps the form open with the
        reason beside that field (Slack's `response_action: errors`), and nothing is saved."""
        who = await edge.actor_of(workspace_of(context), user_of(body))
        values = body["view"]["state"]["values"]
        try:
            reply = await edge.dispatch.save_profile(who, render.profile_submission(values))
        except PreceptorError as error:
            if error.field in values:
                await ack(response_action="errors", errors={error.field: error.message})
                return
            reply = Message(error.message)
        await ack()
        edge.later(client.chat_postMessage(channel=who.user_id, text=render.fallback(reply),
                                           blocks=render.blocks(reply)))
        edge.later(edge.publish_home(client, who))

    @app.view_closed(re.compile(".*"))
    async def on_closed(ack):
        """A form was cancelled: nothing to do, but Slack wants its 200."""
        await ack()
