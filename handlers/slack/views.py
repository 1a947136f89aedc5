"""Modal submissions: the profile form."""

from slack_bolt.async_app import AsyncApp

from bot.core.errors import answered
from handlers.slack import render
from handlers.slack.edge import SlackEdge, team_of, user_of


def register(app: AsyncApp, edge: SlackEdge) -> None:
    @app.view(render.PROFILE_CALLBACK)
    async def on_profile_saved(ack, body, client):
        """The profile form was submitted: save it and say how it went in the DM."""
        await ack()
        who = await edge.actor(client, team_of(body), user_of(body))
        fields = render.profile_submission(body["view"]["state"]["values"])
        reply = await answered(edge.dispatch.save_profile(who, fields))
        await client.chat_postMessage(channel=who.user_id, text=render.fallback(reply),
                                      blocks=render.blocks(reply))
        await edge.publish_home(client, who)
