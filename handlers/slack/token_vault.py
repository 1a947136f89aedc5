"""Slack tokens encrypted at rest. slack_sdk's SQLAlchemy installation store keeps
`bot_token` in plain text, so this store wraps it: tokens are Fernet-encrypted (key from
PRECEPTOR_SECRET_KEY) before they are written and decrypted after they are read. Reads and
writes may go through different stores (on SQLite: reads on an engine that never waits for
the writer, writes on the writing engine, so that a save never fails on a stale snapshot)."""

import copy

from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

TOKENS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
PREFIX = "enc:"


class EncryptedInstallationStore(AsyncInstallationStore):
    def __init__(self, inner: AsyncInstallationStore, key: str,
                 writes: AsyncInstallationStore | None = None):
        self.inner, self._fernet = inner, Fernet(key.encode())
        self.writes = writes or inner

    @property
    def logger(self):
        return self.inner.logger

    def _sealed(self, item):
        sealed = copy.copy(item)
        for name in TOKENS:
            value = getattr(sealed, name, None)
            if value and not value.startswith(PREFIX):
                setattr(sealed, name, PREFIX + self._fernet.encrypt(value.encode()).decode())
        return sealed

    def _opened(self, item):
        if item is None:
            return None
        for name in TOKENS:
            value = getattr(item, name, None)
            if value and value.startswith(PREFIX):
                setattr(item, name, self._fernet.decrypt(value[len(PREFIX):].encode()).decode())
        return item

    async def async_save(self, installation):
        await self.writes.async_save(self._sealed(installation))

    async def async_save_bot(self, bot):
        await self.writes.async_save_bot(self._sealed(bot))

    async def async_find_bot(self, **kwargs):
        return self._opened(await self.inner.async_find_bot(**kwargs))

    async def async_find_installation(self, **kwargs):
        return self._opened(await self.inner.async_find_installation(**kwargs))

    async def async_delete_bot(self, **kwargs):
        await self.writes.async_delete_bot(**kwargs)

    async def async_delete_installation(self, **kwargs):
        await self.writes.async_delete_installation(**kwargs)

    async def async_delete_all(self, **kwargs):
        await self.writes.async_delete_all(**kwargs)
