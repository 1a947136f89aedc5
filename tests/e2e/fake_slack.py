"""Slack's Web API as a local aiohttp server: records every call, checks every Block Kit payload
with slack_sdk's models, and can be told to fail. Unknown methods are recorded as unexpected."""

import asyncio
import itertools
import json
import math
import time
from dataclasses import dataclass, field

from aiohttp import web
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_MESSAGE_BLOCKS = 50


async def serve_locally(app: web.Application) -> tuple[web.AppRunner, str]:
    """Run `app` on a free loopback port; returns its runner and base URL."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"


def _check_block(block: dict) -> None:
    """slack_sdk's model checks, plus what Slack enforces and the models do not."""
    Block.parse(block).validate_json()
    ids = [e.get("action_id") for e in block.get("elements", []) if e.get("action_id")]
    assert len(ids) == len(set(ids)), f"duplicate action_id in one block: {ids}"
    assert len(json.dumps(block)) < 12000


@dataclass
class PostLimits:
    """chat.postMessage as Slack limits it: about 1 a second per channel with short bursts,
    and a cap per minute for the workspace (fixed windows from the first post); beyond either,
    429 with Retry-After in whole seconds."""

    per_minute: int = 6000
    channel_per_second: float = 1.0
    channel_burst: int = 3
    accepted: list[float] = field(default_factory=list)  # monotonic time of each accepted post

    def __post_init__(self):
        self._buckets: dict[str, tuple[float, float]] = {}  # channel -> (tokens, when counted)
        self._windows: dict[int, int] = {}

    def _channel_wait(self, channel: str, now: float) -> float:
        """A token bucket per channel (written here, not the bot's pacing, so the two are
        independent): 0.0 and one token taken, or the seconds until one is back."""
        tokens, then = self._buckets.get(channel, (float(self.channel_burst), now))
        tokens = min(float(self.channel_burst), tokens + (now - then) * self.channel_per_second)
        if tokens >= 1:
            self._buckets[channel] = (tokens - 1, now)
            return 0.0
        self._buckets[channel] = (tokens, now)
        return (1 - tokens) / self.channel_per_second

    def retry_after(self, channel: str) -> int | None:
        """None to accept the post now (and count it), else the seconds to wait."""
        now = time.monotonic()
        start = self.accepted[0] if self.accepted else now
        window = int((now - start) // 60)
        if self._windows.get(window, 0) >= self.per_minute:
            return max(1, math.ceil(start + (window + 1) * 60 - now))
        if wait := self._channel_wait(channel, now):
            return max(1, math.ceil(wait))
        self._windows[window] = self._windows.get(window, 0) + 1
        self.accepted.append(now)
        return None


@dataclass
class Call:
    method: str
    params: dict
    token: str | None = None
    refused: bool = False  # turned away by a rate limit


@dataclass
class FakeSlack:
    users: dict[str, dict] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    failures: dict[str, list[tuple[int, dict, dict]]] = field(default_factory=dict)
    channels: dict[str, list[str]] = field(default_factory=dict)  # channels the bot is in
    delay: float = 0.0  # seconds each call takes, to be caught mid-run
    limits: PostLimits | None = None  # enforce Slack's posting limits
    # Tokens Slack would accept; the OAuth exchange adds the one it issues. Any other call is
    # answered as Slack answers it: HTTP 200, `ok: false`, `not_authed` or `invalid_auth`.
    tokens: set[str] = field(default_factory=lambda: {"xoxb-test", "xoxb-bench"})
    revoked: set[str] = field(default_factory=set)  # answered `token_revoked`
    # oauth.v2.access's answer (Slack's reference example, ids changed); an org-wide install
    # test swaps in the org-wide shape.
    oauth: dict = field(default_factory=lambda: {
        "app_id": "A1", "authed_user": {"id": "U_ADMIN"}, "scope": "commands,chat:write",
        "token_type": "bot", "access_token": "xoxb-team2", "bot_user_id": "UBOT2",
        "team": {"id": "T2", "name": "Other Hospital"}, "enterprise": None,
        "is_enterprise_install": False})
    per_page: int = 200  # users.list pages at most this many (Slack: `limit`, up to 200)

    def __post_init__(self):
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self._arrived = asyncio.Event()   # set whenever a call is recorded

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._arrived.set()

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{token}", self._response_url)
        app.router.add_post("/upload/{file}", self._upload)
        self._runner, self.url = await serve_locally(app)
        return self.url

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    def response_url(self, name: str = "r") -> str:
        return f"{self.url}/response/{name}"

    def fail(self, method: str, status: int, body: dict, headers: dict | None = None):
        self.failures.setdefault(method, []).append((status, body, headers or {}))

    def to(self, method: str, **match) -> list[dict]:
        """Params of the calls to `method` whose params include `match`."""
        return [c.params for c in self.calls if c.method == method
                and all(c.params.get(k) == v for k, v in match.items())]

    async def first(self, found, timeout: float = 10):
        """The first truthy `found()` as calls arrive (None when `timeout` passes)."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    self._arrived.clear()
                    if result := found():
                        return result
                    await self._arrived.wait()
        except TimeoutError:
            return None

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10, **match) -> list[dict]:
        """Bolt answers Slack first and works after, so tests wait for the work to show up."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    self._arrived.clear()
                    if len(found := self.to(method, **match)) >= count:
                        return found
                    await self._arrived.wait()
        except TimeoutError:
            pass
        raise AssertionError(f"expected {count} {method} call(s) matching {match}, got "
                             f"{len(self.to(method, **match))}: {[c.method for c in self.calls]}")

    async def _params(self, request: web.Request) -> dict:
        params = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            params.update(dict(await request.post()))
        for key in ("blocks", "view"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    def _check_blocks(self, method: str, params: dict) -> None:
        try:
            if "blocks" in params:
                assert len(params["blocks"]) <= MAX_MESSAGE_BLOCKS, "too many blocks"
                for block in params["blocks"]:
                    _check_block(block)
            if "view" in params:
                View(**params["view"]).validate_json()
                for block in params["view"].get("blocks", []):
                    _check_block(block)
        except Exception as error:  # recorded, and the test's teardown fails on it
            self.invalid.append(f"{method}: {error}")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        if self.delay:
            await asyncio.sleep(self.delay)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") or params.get("token")
        self._record(Call(method, params, token))
        self._check_blocks(method, params)
        if refused := self._refusal(method, token):
            return web.json_response({"ok": False, "error": refused})
        if self.failures.get(method):
            status, body, headers = self.failures[method].pop(0)
            return web.json_response(body, status=status, headers=headers)
        limited = method == "chat.postMessage" and self.limits
        if limited and (wait := self.limits.retry_after(params.get("channel", ""))):
            self.calls[-1].refused = True
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                         headers={"Retry-After": str(wait)})
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        if answer is None:
            self.unexpected.append(method)
            return web.json_response({"ok": False, "error": "unknown_method"}, status=404)
        return web.json_response({"ok": True, **answer(params)})

    def _refusal(self, method: str, token: str | None) -> str | None:
        """Slack's answer to a call whose token it would not take (the OAuth exchange
        authenticates with the client's id and secret instead)."""
        if method == "oauth.v2.access":
            return None
        if not token:
            return "not_authed"
        if token in self.revoked:
            return "token_revoked"
        return None if token in self.tokens else "invalid_auth"

    async def _response_url(self, request: web.Request) -> web.Response:
        params = {**await request.json(), "url": request.match_info["token"]}
        self._record(Call("response_url", params))
        self._check_blocks("response_url", params)
        return web.Response(text="ok")

    def _oauth_v2_access(self, params):
        assert params.get("code") == "good-code"
        self.tokens.add(self.oauth["access_token"])
        return dict(self.oauth)

    async def _upload(self, request: web.Request) -> web.Response:
        self._record(Call("upload", {"file": request.match_info["file"],
                                          "content": (await request.read()).decode()}))
        return web.Response(text="OK")

    def _files_getUploadURLExternal(self, params):
        return {"upload_url": f"{self.url}/upload/F1", "file_id": "F1"}

    def _files_completeUploadExternal(self, params):
        return {"files": [{"id": "F1", "title": params.get("files", "")}]}

    def _users_conversations(self, params):
        return {"channels": [{"id": c, "name": c.lower()} for c in self.channels],
                "response_metadata": {"next_cursor": ""}}

    def _user(self, user: str) -> dict:
        """A user object as users.info and users.list give it (Slack's users.info reference
        example, fields we do not read left out): ids starting with "UBOT" are bots, as the
        app's own user is; `team`, `enterprise` and the guest flags come from `users`."""
        known = self.users.get(user, {})
        found = {"id": user, "team_id": known.get("team", "T1"), "name": user.lower(),
                 "deleted": False, "real_name": known.get("name", user),
                 "tz": known.get("tz", "UTC"), "is_bot": user.startswith("UBOT"),
                 "is_restricted": known.get("is_restricted", False),
                 "is_ultra_restricted": False, "is_app_user": False,
                 "profile": {"display_name": known.get("name", user),
                             "real_name": known.get("name", user)}}
        if "enterprise" in known:
            found["enterprise_user"] = {"id": user, "enterprise_id": known["enterprise"],
                                        "enterprise_name": "Hospital", "teams": [found["team_id"]]}
        return found

    def _users_list(self, params):
        """Everyone the fake knows and every channel member, Slackbot last, `limit` a page
        (`per_page` at most) with Slack's cursor in `response_metadata.next_cursor`."""
        ids = dict.fromkeys([*self.users, *(m for ms in self.channels.values() for m in ms)])
        everyone = [self._user(u) for u in ids if u != "USLACKBOT"] + [
            {"id": "USLACKBOT", "team_id": "T1", "name": "slackbot", "is_bot": False,
             "deleted": False, "tz": "America/Los_Angeles"}]
        start = int(params.get("cursor") or 0)
        size = min(int(params.get("limit") or self.per_page), self.per_page)
        more = start + size < len(everyone)
        return {"members": everyone[start:start + size],
                "response_metadata": {"next_cursor": str(start + size) if more else ""}}

    def _conversations_members(self, params):
        return {"members": self.channels.get(params["channel"], []),
                "response_metadata": {"next_cursor": ""}}

    def _auth_test(self, params):
        return {"team_id": "T1", "user_id": "UBOT", "bot_id": "B1", "url": "https://x.slack.com/"}

    def _users_info(self, params):
        return {"user": self._user(params["user"])}

    def _conversations_open(self, params):
        users = sorted(params["users"].split(","))
        return {"channel": {"id": "G" + "-".join(users)}}

    def _chat_postMessage(self, params):
        return {"channel": params["channel"], "ts": f"1700000000.{next(self._ts):06d}"}

    def _chat_postEphemeral(self, params):
        return {"message_ts": f"1700000000.{next(self._ts):06d}"}

    def _views_open(self, params):
        return {"view": {"id": "V1", "hash": "h1"}}

    def _views_update(self, params):
        return {"view": {"id": params.get("view_id", "V1"), "hash": "h2"}}

    def _views_publish(self, params):
        return {"view": {"id": "VH", "hash": "h3"}}
