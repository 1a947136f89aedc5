"""Assemble the Teams edge: authentication, the CloudAdapter, the bot, the Messenger, the route."""

import logging
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import ActivityEventNames, ActivityTypes
from botframework.connector.auth import AuthenticationConstants

from bot.app.settings import Settings
from bot.core.conversations import ConversationStore
from bot.core.dispatch import Dispatch
from bot.core.messages import Message
from bot.core.workspace_events import WorkspaceEvents
from handlers.teams import cards
from handlers.teams.bot import PreceptorTeamsBot
from handlers.teams.http import TeamsHttp
from handlers.teams.messenger import TeamsMessenger

log = logging.getLogger(__name__)


@dataclass
class _Config:
    """The attribute names botbuilder's configuration classes read."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str | None


@dataclass
class _KeysElsewhere(_Config):
    """Public-cloud endpoints, but signing keys published at another address (sovereign
    clouds, offline tests): botbuilder then wants every endpoint spelled out."""

    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str = ""
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str = AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
    OAUTH_URL: str = AuthenticationConstants.OAUTH_URL
    TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL: str = (
        AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL)


def is_configured(settings: Settings) -> bool:
    """Served with an app id, or in emulator mode; never anonymous otherwise."""
    return bool(settings.microsoft_app_id) or settings.preceptor_teams_dev


def adapter(settings: Settings) -> CloudAdapter:
    if settings.microsoft_app_id:
        credentials = (settings.microsoft_app_id, settings.microsoft_app_password or "",
                       settings.microsoft_app_type, settings.microsoft_app_tenant_id)
        config = (_KeysElsewhere(*credentials, settings.microsoft_openid_metadata_url)
                  if settings.microsoft_openid_metadata_url else _Config(*credentials))
    else:  # PRECEPTOR_TEAMS_DEV: the Bot Framework Emulator and tests, no credentials
        config = _Config("", "", "MultiTenant", None)
    cloud = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))

    async def on_error(turn_context: TurnContext, error: Exception) -> None:
        """A person's turn that failed gets an apology. A proactive send's failure (a 502 from
        the connector) goes back to the outbox, which retries it: an apology there would take
        the message's place and the outbox would count it sent."""
        activity = turn_context.activity
        if activity.type == ActivityTypes.event and activity.name == ActivityEventNames.continue_conversation:
            raise error
        log.exception("Teams turn failed", exc_info=error)
        await turn_context.send_activity(cards.activity(Message(
            "Sorry, something went wrong on my side; nothing was changed. Please try again.")))

    cloud.on_turn_error = on_error
    return cloud


def messenger(settings: Settings, cloud: CloudAdapter, conversations: ConversationStore) -> TeamsMessenger:
    return TeamsMessenger(cloud, settings.microsoft_app_id or "", conversations)


def mount(web_app: web.Application, cloud: CloudAdapter, settings: Settings, dispatch: Dispatch,
          events: WorkspaceEvents, conversations: ConversationStore) -> None:
    """Serve Teams' activities on `web_app`, through the same adapter the messenger sends with."""
    tenant = settings.microsoft_app_tenant_id if settings.microsoft_app_id else None
    bot = PreceptorTeamsBot(dispatch, events, conversations,
                            messenger(settings, cloud, conversations).send_dm)
    TeamsHttp(cloud, bot, tenant).add_routes(web_app)
