"""Which token serves a workspace, and whose people are its own.

A workspace is what Bolt's context names (`workspace_of`): a team (`T…`), or, for an
Enterprise Grid org-wide install, the organisation itself (`E…`), since one token then serves
every workspace of the org and people's ids are org-wide. A Grid workspace installed on its own
is a team whose install is filed under its enterprise. In a Slack Connect channel the partner's
people are not the workspace's own: `home` names the ids that are (see `directory.is_guest`).
"""

from dataclasses import dataclass
from typing import Protocol

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery.messenger import PermanentError
from handlers.slack.identity import Identity
from storage.engine import Database
from storage.queries.slack_installs import InstalledAs, installs_of, located


def workspace_of(context) -> str | None:
    """The workspace a request belongs to, from Bolt's context (never the envelope's
    `team_id`, which in a Slack Connect channel is the partner's)."""
    if context.is_enterprise_install and context.enterprise_id:
        return context.enterprise_id
    return context.team_id


@dataclass(frozen=True)
class Install:
    client: AsyncWebClient
    home: frozenset[str]  # team and enterprise ids whose people are the workspace's own


class Installs(Protocol):
    async def of(self, workspace: str) -> Install: ...

    async def removed(self, workspace: str | None, enterprise: str | None) -> list[str]:
        """Forget the install(s) an uninstall or revocation names; the workspaces it stops."""


class SingleToken:
    """One bot token (SLACK_BOT_TOKEN): every workspace is the one it was issued for."""

    def __init__(self, identity: Identity, base_url: str):
        self.identity, self._client = identity, AsyncWebClient(token=identity.token, base_url=base_url)

    async def of(self, workspace: str) -> Install:
        known = await self.identity.check() or {}
        ids = (workspace, known.get("team_id"), known.get("enterprise_id"))
        return Install(self._client, frozenset(filter(None, ids)))

    async def removed(self, workspace: str | None, enterprise: str | None) -> list[str]:
        """The one token is gone: its workspace stops, and an org-level removal stops the
        workspace the token was issued for too."""
        known = (self.identity.known or {}).get("team_id") if workspace is None else None
        return list(dict.fromkeys(w for w in (workspace or enterprise, known) if w))


class StoredAuthorize(AsyncAuthorize):
    """Bolt's `authorize` from the installation store alone. Bolt's own asks `auth.test` on
    every request (its cache is off): a round trip to Slack before each acknowledgement, and a
    500 while Slack is out of reach. The store already holds the bot's ids from the install."""

    def __init__(self, store: AsyncInstallationStore):
        super().__init__()
        self.store = store

    async def __call__(self, *, context, enterprise_id, team_id, user_id, **actor):
        bot = await self.store.async_find_bot(enterprise_id=enterprise_id, team_id=team_id,
                                              is_enterprise_install=context.is_enterprise_install)
        if bot is None:
            return None
        return AuthorizeResult(enterprise_id=bot.enterprise_id, team_id=bot.team_id,
                               bot_user_id=bot.bot_user_id, bot_id=bot.bot_id,
                               bot_token=bot.bot_token, bot_scopes=bot.bot_scopes)


class OAuthInstalls:
    """Each workspace's token from the installation store (OAuth), found as Slack files it."""

    def __init__(self, store: AsyncInstallationStore, db: Database, client_id: str, base_url: str):
        self.store, self._db, self._client_id, self._base_url = store, db, client_id, base_url
        self._located: dict[str, InstalledAs] = {}
        self._clients: dict[str, AsyncWebClient] = {}
        self.authorize = StoredAuthorize(store)

    async def of(self, workspace: str) -> Install:
        where = self._located.get(workspace)
        if where is None:
            where = await located(self._db, self._client_id, workspace)
            if where is None:
                raise PermanentError("not installed in this workspace")
            self._located[workspace] = where
        bot = await self.store.async_find_bot(enterprise_id=where.enterprise_id,
                                               team_id=where.team_id,
                                               is_enterprise_install=where.org_wide)
        if bot is None:
            self._located.pop(workspace, None)
            raise PermanentError("not installed in this workspace")
        if bot.bot_token not in self._clients:
            self._clients[bot.bot_token] = AsyncWebClient(token=bot.bot_token,
                                                          base_url=self._base_url)
        home = (workspace, where.enterprise_id)
        return Install(self._clients[bot.bot_token], frozenset(filter(None, home)))

    async def removed(self, workspace: str | None, enterprise: str | None) -> list[str]:
        """A workspace's removal forgets its install; an org-level one (no workspace named)
        forgets every install of the org: its org-wide one and each workspace's own."""
        if workspace and workspace != enterprise:
            stopped = [InstalledAs(enterprise, workspace, False)]
        else:
            stopped = await installs_of(self._db, self._client_id, enterprise)
        for where in stopped:
            await self.store.async_delete_all(enterprise_id=where.enterprise_id,
                                               team_id=where.team_id)
            self._located.pop(where.workspace, None)
        return [where.workspace for where in stopped if where.workspace]
