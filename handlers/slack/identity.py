"""Who the app is in a single-token workspace (`auth.test`), asked once and kept.

Bolt would ask on every first request and answer a failure with a 500, so a hospital
firewall or a bad token turned every command into an error. Here a failure is one clear log
line naming the setting, requests are still written down and acknowledged (answered once
Slack is reachable again), and the question is asked again a minute later.
"""

import logging
import time

from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
RETRY_SECONDS = 60.0
TIMEOUT_SECONDS = 2.0  # inside Slack's 3 s for the acknowledgement it delays


class Identity:
    def __init__(self, token: str, base_url: str):
        self.token = token
        self._client = AsyncWebClient(token=token, base_url=base_url, timeout=TIMEOUT_SECONDS)
        self.known: dict | None = None  # auth.test's answer, once it has one
        self._next_try = 0.0
        self._problem: str | None = "not checked yet"

    async def check(self) -> dict | None:
        """`auth.test`'s answer, asked at most once a minute until it has one."""
        if self.known is not None or time.monotonic() < self._next_try:
            return self.known
        self._next_try = time.monotonic() + RETRY_SECONDS
        try:
            self.known = dict((await self._client.auth_test()).data)
            self._problem = None
            log.info("Slack: signed in as %s in workspace %s", self.known.get("user_id"),
                     self.known.get("team_id"))
        except SlackApiError as error:
            self._problem = f"SLACK_BOT_TOKEN refused ({error.response.get('error')})"
            log.error("Slack refused SLACK_BOT_TOKEN (%s): check the token in .env; commands are "
                      "acknowledged and will be answered once it works", error.response.get("error"))
        except Exception as error:  # unreachable: a firewall, DNS, a proxy, a timeout
            self._problem = f"unreachable at SLACK_API_URL ({type(error).__name__})"
            log.error("Slack's Web API at SLACK_API_URL is unreachable (%s): check the network "
                      "or proxy; commands are acknowledged and answered once it is back",
                      type(error).__name__)
        return self.known

    async def problem(self) -> str | None:
        """For readiness: None when Slack knows us, else what is wrong."""
        await self.check()
        return self._problem

    def authorizer(self):
        """Bolt's `authorize`: the token always, the app's ids once known. (A plain function:
        Bolt passes arguments by the names it reads off the signature, `self` included.)"""
        async def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
            known = await self.check() or {}
            return AuthorizeResult(enterprise_id=known.get("enterprise_id") or enterprise_id,
                                   team_id=known.get("team_id") or team_id, bot_token=self.token,
                                   bot_user_id=known.get("user_id"), bot_id=known.get("bot_id"))

        return authorize
