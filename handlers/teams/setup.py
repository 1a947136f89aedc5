"""Assemble the Teams edge: authentication, the CloudAdapter, the bot, the Messenger, the route."""

import logging
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botframework.connector.auth import AuthenticationConstants

from bot.app.settings import Settings
from bot.core.messages import Message
from bot.core.preceptor import Preceptor
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
        log.exception("Teams turn failed", exc_info=error)
        await turn_context.send_activity(cards.activity(Message(
            "Sorry, something went wrong on my side; nothing was changed. Please try again.")))

    cloud.on_turn_error = on_error
    return cloud


def messenger(settings: Settings, core: Preceptor, cloud: CloudAdapter | None = None) -> TeamsMessenger:
    return TeamsMessenger(cloud or adapter(settings), settings.microsoft_app_id or "", core)


def mount(web_app: web.Application, core: Preceptor, settings: Settings) -> None:
    """Serve Teams on `web_app` and let the core's outbox send to Teams."""
    cloud = adapter(settings)
    core.messengers["teams"] = messenger(settings, core, cloud)
    tenant = settings.microsoft_app_tenant_id if settings.microsoft_app_id else None
    TeamsHttp(cloud, PreceptorTeamsBot(core), tenant).add_routes(web_app)
