"""`POST /api/messages`: botbuilder's CloudAdapter, with every authentication failure a 401.

CloudAdapter turns only `PermissionError` into 401; an unknown key id, a bad signature or an
expired token surface as other exceptions. The bot's own errors are handled by the
adapter's `on_turn_error`, so whatever still escapes `process` failed authentication.
Activities from another tenant than the configured one are refused before anything runs.
"""

import logging

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter

from handlers.teams.bot import PreceptorTeamsBot

log = logging.getLogger(__name__)


class TeamsHttp:
    def __init__(self, adapter: CloudAdapter, bot: PreceptorTeamsBot, tenant: str | None):
        self.adapter, self.bot, self.tenant = adapter, bot, tenant

    def add_routes(self, web_app: web.Application) -> None:
        web_app.router.add_post("/api/messages", self.messages)

    async def messages(self, request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.json_response({"error": "expected JSON"}, status=415)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "expected a JSON activity"}, status=400)
        if not isinstance(body, dict) or not body.get("type"):
            return web.json_response({"error": "expected a JSON activity"}, status=400)
        if self.tenant and _tenant(body) != self.tenant:
            return web.json_response({"error": "unauthorized"}, status=401)  # another tenant
        try:
            response = await self.adapter.process(request, self.bot)
        except web.HTTPException:
            raise
        except Exception as error:
            log.warning("Teams request refused: %s", type(error).__name__)
            return web.json_response({"error": "unauthorized"}, status=401)
        return response or web.Response(status=201)


def _tenant(body: dict) -> str | None:
    data = body.get("channelData") or {}
    tenant = (data.get("tenant") or {}).get("id") if isinstance(data, dict) else None
    conversation = body.get("conversation") or {}
    return tenant or (conversation.get("tenantId") if isinstance(conversation, dict) else None)
