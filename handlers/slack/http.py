"""`POST /slack/events`: the signature is checked before Bolt parses anything.

Bolt's own check runs after its body parser, which crashes (500) on JSON that is not an
object, so an unauthenticated request must never reach it; Bolt's check is switched off.
The OAuth pages are browser requests and go to Bolt's OAuth flow directly.
"""

import contextlib
import json
import logging
from urllib.parse import parse_qs, parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.app.admission import Admission

log = logging.getLogger(__name__)


class SlackHttp:
    def __init__(self, app: AsyncApp, signing_secret: str, admission: Admission):
        self.app, self.admission = app, admission
        self.verifier = SignatureVerifier(signing_secret)

    def add_routes(self, web_app: web.Application, *, oauth: bool) -> None:
        web_app.router.add_post("/slack/events", self.events)
        if oauth:
            web_app.router.add_get("/slack/install", self.install)
            web_app.router.add_get("/slack/oauth_redirect", self.oauth_redirect)

    async def events(self, request: web.Request) -> web.Response:
        body = (await request.read()).decode("utf-8", errors="replace")
        headers = dict(request.headers)
        if not self.verifier.is_valid_request(body, headers):
            return web.json_response({"error": "invalid signature"}, status=401)
        if not _well_formed(body, request.content_type):
            return web.json_response({"error": "expected a JSON object"}, status=400)
        try:
            bolt = _bolt_request(body, request, headers)
        except (TypeError, KeyError, AttributeError, ValueError):
            # Signed, but shaped as Slack never sends (`"user": false`): Bolt cannot read it.
            log.warning("ignored a signed request Bolt could not read")
            return web.Response(status=200)
        # Only signed commands and clicks make work wait: nobody else can hold it back, and
        # events (JSON) are only written down, however many come.
        waits = self.admission.answering() if request.content_type != "application/json" \
            else contextlib.nullcontext()
        with waits:
            response = await self.app.async_dispatch(bolt)
        return await to_aiohttp_response(response)

    async def install(self, request: web.Request) -> web.Response:
        flow = self.app.oauth_flow
        assert flow is not None  # mounted only with OAuth
        return await to_aiohttp_response(await flow.handle_installation(_browser_request(request)))

    async def oauth_redirect(self, request: web.Request) -> web.Response:
        flow = self.app.oauth_flow
        assert flow is not None
        return await to_aiohttp_response(await flow.handle_callback(_browser_request(request)))


def _browser_request(request: web.Request) -> AsyncBoltRequest:
    """A browser GET: only the query string and headers (cookies) matter; a body is ignored."""
    return AsyncBoltRequest(body="", query=request.query_string, headers=request.headers)


def _bolt_request(body: str, request: web.Request, headers: dict) -> AsyncBoltRequest:
    bolt = AsyncBoltRequest(body=body, query=request.query_string, headers=headers)
    if request.content_type == "application/json" or "payload" not in body:
        return bolt
    form = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" not in form:
        # Bolt takes any form body containing the word "payload" for an interaction, so a
        # slash command whose text says "payload" would be lost: give it the form as it is.
        bolt.body = form
        bolt.context = build_async_context(AsyncBoltContext({}), form)
    return bolt


def _well_formed(body: str, content_type: str) -> bool:
    """JSON bodies and form `payload`s must be objects, and so must an event's `event`, whose
    `type` is a string if it has one (Bolt's matchers read it as one)."""
    if content_type == "application/json":
        document = _json(body)
    elif "payload=" in body:
        document = _json(parse_qs(body).get("payload", [""])[0])
    else:
        return True
    if not isinstance(document, dict) or not isinstance(event := document.get("event", {}), dict):
        return False
    return isinstance(event.get("type", ""), str)


def _json(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return None
