"""Modal submissions: the profile form, saved before Slack is answered."""

from slack_bolt.async_app import AsyncApp

from bot.core.errors import answered
from handlers.slack import render
from handlers.slack.edge import SlackEdge, team_of, user_of


def register(app: AsyncApp, edge: SlackEdge) -> None:
    @app.view(render.PROFILE_CALLBACK)
    async def on_profile_saved(ack, body, client):
        """The profile form was submitted: save it, close the form, then say how it went in
        the DM and redraw the home tab."""
        who = await edge.actor_of(client, team_of(body), user_of(body))
        fields = render.profile_submission(body["view"]["state"]["values"])
        reply = await answered(edge.dispatch.save_profile(who, fields))
        await ack()
        edge.later(client.chat_postMessage(channel=who.user_id, text=render.fallback(reply),
                                           blocks=render.blocks(reply)))
        edge.later(edge.publish_home(client, who))
