"""Assemble the Slack edge: the Bolt app, its Web API clients, the Messenger and the routes."""

from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store.async_cacheable_installation_store import (
    AsyncCacheableInstallationStore,
)
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.app.admission import Admission
from bot.app.settings import Settings
from bot.core.dispatch import Dispatch
from bot.core.inbox import Inbox
from bot.core.workspace_events import WorkspaceEvents
from handlers.slack import listeners
from handlers.slack.directory import Directory
from handlers.slack.edge import SlackEdge
from handlers.slack.http import SlackHttp
from handlers.slack.identity import Identity
from handlers.slack.installs import Installs, OAuthInstalls, SingleToken
from handlers.slack.messenger import SlackMessenger
from handlers.slack.token_vault import EncryptedInstallationStore
from storage.engine import Database

Problem = Callable[[], Awaitable[str | None]]  # readiness: None, or what is wrong

# Least privilege: what the listeners and the Messenger use, and the channel signals the
# matching engine reads (history and reactions are counted, never stored as text).
BOT_SCOPES = [
    "commands", "chat:write", "files:write", "im:history", "im:write", "mpim:write", "users:read",
    "channels:history", "channels:read", "reactions:read",
]


def is_configured(settings: Settings, socket_mode: bool = False) -> bool:
    if socket_mode:  # no public endpoint, so no signing secret needed
        return bool(settings.slack_app_token and settings.slack_bot_token)
    return bool(settings.slack_signing_secret and (settings.slack_bot_token or _oauth(settings)))


def _oauth(settings: Settings) -> bool:
    return bool(settings.slack_client_id and settings.slack_client_secret)


def _installations(settings: Settings, db: Database) -> AsyncCacheableInstallationStore:
    """slack_sdk's store on our database (its tables come with our migrations), tokens
    encrypted at rest, read through a cache and an engine that never waits for SQLite's
    writer (Bolt reads it before it acknowledges), written on the writing engine."""
    if not settings.preceptor_secret_key:
        raise SystemExit("Slack OAuth needs PRECEPTOR_SECRET_KEY to encrypt tokens at rest "
                         "(make one with: python -c 'from cryptography.fernet import Fernet; "
                         "print(Fernet.generate_key().decode())')")
    reads, writes = (AsyncSQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=engine)
                     for engine in (db.reader, db.engine))
    return AsyncCacheableInstallationStore(
        EncryptedInstallationStore(reads, settings.preceptor_secret_key, writes=writes))


def messenger(settings: Settings, db: Database) -> SlackMessenger:
    return SlackMessenger(installs(settings, db))


def installs(settings: Settings, db: Database) -> Installs:
    """The token of each workspace: the single bot token's, or each install's (OAuth)."""
    if _oauth(settings):
        return OAuthInstalls(_installations(settings, db), db, settings.slack_client_id,
                             settings.slack_api_url)
    return SingleToken(Identity(settings.slack_bot_token, settings.slack_api_url),
                       settings.slack_api_url)


def bolt_app(settings: Settings, db: Database, dispatch: Dispatch, events: WorkspaceEvents,
             inbox: Inbox, known: Installs | None = None) -> tuple[AsyncApp, SlackEdge, Problem]:
    """The Bolt app, with listeners registered, the edge they share (the inbox worker's
    Slack part) and its readiness check. Its client retries 429s after Retry-After. Each
    listener finishes before Slack is answered (`process_before_response`): what it
    acknowledges is written down. `known`: the Messenger's installs, shared."""
    known = known or installs(settings, db)
    client = AsyncWebClient(base_url=settings.slack_api_url,
                            token=None if _oauth(settings) else settings.slack_bot_token)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    # SlackHttp checks every signature before anything is parsed, so Bolt need not again.
    options: dict = {"signing_secret": settings.slack_signing_secret, "client": client,
                     "request_verification_enabled": False, "process_before_response": True}
    if isinstance(known, OAuthInstalls):
        # Consuming a state reads it, then deletes it: on SQLite that must begin as a writer
        # (the reader's snapshot goes stale the moment a worker commits, and the delete then
        # fails at once with "database is locked").
        states = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=600, engine=db.engine)
        options["oauth_settings"] = AsyncOAuthSettings(
            client_id=settings.slack_client_id, client_secret=settings.slack_client_secret,
            scopes=BOT_SCOPES, installation_store=known.store,
            state_store=states,
        )
        options["authorize"] = known.authorize
        problem: Problem = _no_problem  # each workspace has its own token, checked as it is used
    else:  # Bolt would ask auth.test on the request path; ours asks once, and fails gently
        assert isinstance(known, SingleToken)
        identity = known.identity
        options["authorize"], problem = identity.authorizer(), identity.problem
    app = AsyncApp(**options)
    edge = SlackEdge(dispatch, events, inbox, Directory(), known)
    listeners.register(app, edge)
    return app, edge, problem


async def _no_problem() -> None:
    return None


def mount(web_app: web.Application, bolt: AsyncApp, settings: Settings, admission: Admission) -> None:
    """Serve Slack's requests on `web_app` (the signature checked before Bolt parses them)."""
    SlackHttp(bolt, settings.slack_signing_secret, admission).add_routes(web_app, oauth=_oauth(settings))
