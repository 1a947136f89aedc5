"""Bolt listeners: acknowledge, turn the payload into plain values, call the core, render.

Nothing here decides anything: who may press what, what a command means and what others
receive are the core's business. Replies to the actor are ephemeral (or in their DM);
messages for others go through the core's outbox.
"""

import re
from dataclasses import replace

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import PreceptorError
from bot.core.grammar import parse
from bot.core.messages import Message
from bot.core.preceptor import BUTTONS, Preceptor
from handlers.slack import observations, render
from handlers.slack.directory import Directory


def register(app: AsyncApp, core: Preceptor, directory: Directory) -> None:
    """Wire every listener onto `app`."""
    admission = core.admission

    async def actor(client: AsyncWebClient, team: str, user: str):
        return await directory.actor(client, team, user)

    async def first_time(key: str) -> bool:
        return await core.first_time(f"slack:{key}")

    @app.command(re.compile(r"^/(learn|mentor)$"))
    async def on_command(ack, body, client, respond):
        """`/learn …` and `/mentor …`: ack at once, then answer privately."""
        text = f"{body['command']} {body.get('text', '')}"
        if _wants_profile_form(text):
            await ack()
            await open_profile(client, body, body["trigger_id"])  # the trigger lasts 3 s
            return
        async with admission.work(ack):
            who = replace(await actor(client, body["team_id"], body["user_id"]),
                          channel=body.get("channel_id"))
            reply = await core.command(who, text)
            await respond(response_type="ephemeral", text=render.fallback(reply),
                          blocks=render.blocks(reply), replace_original=False)
            if reply.file:
                await hand_over(client, who.user_id, reply.file)

    async def hand_over(client: AsyncWebClient, user: str, file: tuple[str, str]) -> None:
        """A file for the person alone, in their DM with the app (e.g. `/mentor export`)."""
        dm = await client.conversations_open(users=user)
        await client.files_upload_v2(channel=dm["channel"]["id"], filename=file[0],
                                     content=file[1], title=file[0])

    async def open_profile(client: AsyncWebClient, body: dict, trigger_id: str) -> None:
        """Open the form before any database work (the trigger lasts 3 s), then fill it in."""
        opened = await client.views_open(trigger_id=trigger_id, view=render.profile_modal())
        who = await actor(client, _team(body), _user(body))
        values = await core.profile_fields(who)
        if isinstance(values, dict):
            await client.views_update(view_id=opened["view"]["id"], hash=opened["view"]["hash"],
                                      view=render.profile_modal(values))

    @app.view(render.PROFILE_CALLBACK)
    async def on_profile_saved(ack, body, client):
        """The profile form was submitted: save it and say how it went in the DM."""
        await ack()
        who = await actor(client, _team(body), _user(body))
        fields = render.profile_submission(body["view"]["state"]["values"])
        reply = await core.save_profile(who, fields)
        await client.chat_postMessage(channel=who.user_id, text=render.fallback(reply),
                                      blocks=render.blocks(reply))
        await publish_home(client, who)

    @app.action(re.compile("^(" + "|".join(BUTTONS) + ")$"))
    async def on_button(ack, body, client, respond):
        """A core button: the value names the object; the core checks the clicker's part in it."""
        async with admission.work(ack):
            await _press(body, client, respond)

    async def _press(body, client, respond) -> None:
        action = body["actions"][0]
        who = await actor(client, _team(body), _user(body))
        reply = await core.press(who, action["action_id"], action.get("value", ""),
                                 event_key=f"slack:action:{body['trigger_id']}")
        if reply is None:
            return  # a repeat of a click already handled
        if body.get("response_url"):
            await respond(response_type="ephemeral", text=render.fallback(reply),
                          blocks=render.blocks(reply), replace_original=False)
        else:
            await client.chat_postMessage(channel=who.user_id, text=render.fallback(reply),
                                          blocks=render.blocks(reply))
        if body.get("container", {}).get("type") == "view":
            await publish_home(client, who)

    @app.action("open_profile")
    async def on_open_profile(ack, body, client):
        await ack()
        await open_profile(client, body, body["trigger_id"])

    @app.action(re.compile("^(pause_me|resume_me)$"))
    async def on_pause_toggle(ack, body, client):
        await ack()
        who = await actor(client, _team(body), _user(body))
        word = "pause" if body["actions"][0]["action_id"] == "pause_me" else "resume"
        await core.command(who, f"/mentor {word}")
        await publish_home(client, who)

    async def publish_home(client: AsyncWebClient, who) -> None:
        reply, paused = await _home(core, who)
        await client.views_publish(user_id=who.user_id, view=render.home_view(reply, paused))

    @app.event("app_home_opened")
    async def on_home(body, event, client):
        if event.get("tab", "home") != "home" or not await first_time(body["event_id"]):
            return
        await publish_home(client, await actor(client, body["team_id"], event["user"]))

    @app.event("message")
    async def on_message(body, event, client, say):
        """Typed words in the bot's DM: check-in answers, `help`, `status`, any command.
        In channels: who replied to or mentioned whom, for familiarity (never the words)."""
        if event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return
        if event.get("channel_type") != "im":
            for seen in observations.from_message(event):
                await core.observe("slack", body["team_id"], seen,
                                   event_key=f"slack:{body['event_id']}:{seen.kind}")
            return
        if not event.get("text"):
            return
        async with admission.work(_acknowledged):  # Bolt acknowledges events itself
            who = await actor(client, body["team_id"], event["user"])
            reply = await core.command(who, event["text"], event_key=f"slack:{body['event_id']}")
            if reply is not None:  # None: Slack's retry of an event already handled
                await say(text=render.fallback(reply), blocks=render.blocks(reply))

    @app.event(re.compile("^(app_uninstalled|tokens_revoked)$"))
    async def on_removed(body):
        """Stop all sending there, and forget the workspace's tokens (OAuth)."""
        if await first_time(body["event_id"]):
            await core.workspace_removed("slack", body["team_id"])
            if app.installation_store is not None:
                await app.installation_store.async_delete_all(
                    enterprise_id=body.get("enterprise_id"), team_id=body["team_id"])

    @app.event(re.compile("^(reaction_added|member_joined_channel)$"))
    async def on_workspace_signal(body, event):
        """A reaction to a colleague's message, or someone joining a channel: familiarity."""
        seen = observations.from_signal(event)
        if seen is not None:
            await core.observe("slack", body["team_id"], seen, event_key=f"slack:{body['event_id']}")

    # Registered last: Bolt runs the first listener that matches.
    @app.event(re.compile(".*"))
    async def on_anything_else(body):
        """Events we do not use are acknowledged (200), so Slack does not retry them."""

    @app.action(re.compile(".*"))
    async def on_unknown_button(ack, body, respond):
        """A button we never drew (an old message, a forged payload): a polite no."""
        await ack()
        if body.get("response_url"):
            await respond(response_type="ephemeral", replace_original=False,
                          text="That button isn't one I know; nothing was changed.")

    @app.error
    async def on_error(error, body, logger):
        """Real failures are logged with their traceback; the person hears nothing false."""
        logger.exception("Slack request failed: %s", type(error).__name__, exc_info=error)



async def _acknowledged() -> None:
    return None


async def _home(core: Preceptor, who) -> tuple[Message, bool]:
    result = await core.home(who)
    return result if isinstance(result, tuple) else (result, False)


def _wants_profile_form(text: str) -> bool:
    try:
        cmd = parse(text)
    except PreceptorError:
        return False
    return cmd.name == "profile" and not cmd.fields


def _team(body: dict) -> str:
    """The workspace, from a slash command, an interaction or an event body."""
    return body.get("team_id") or (body.get("team") or {}).get("id") or body["user"]["team_id"]


def _user(body: dict) -> str:
    return body.get("user_id") or body["user"]["id"]
