"""Bolt listeners: acknowledge, turn the payload into plain values, call the core, render.

Nothing here decides anything: who may press what, what a command means (and whether it
wants a form) and what others receive are the core's business. Replies to the actor are
ephemeral (or in their DM); messages for others go through the core's outbox. One module a
kind of listener; the catch-alls register last, since Bolt runs the first that matches.
"""

from slack_bolt.async_app import AsyncApp

from handlers.slack import actions, commands, events, views
from handlers.slack.edge import SlackEdge


def register(app: AsyncApp, edge: SlackEdge) -> None:
    for kind in (commands, views, actions, events):
        kind.register(app, edge)
