"""The Bot Connector service as a local aiohttp server: records what the bot sends to Teams,
serves roster entries, and can be told to refuse a conversation (403) or throttle (429).

As Teams does, it serves under a regional path of its service URL (`…/amer/v3/…`, as in
`https://smba.trafficmanager.net/amer/`): a bot that dropped the path reaches nothing. Its
errors carry the codes and messages of msteams-docs' "Send and receive messages" table
("Status code responses"; conversation-messages.md), in the Bot Connector's
`{"error": {"code", "message"}}` body."""

import asyncio
import itertools
from dataclasses import dataclass, field

from aiohttp import web

from tests.e2e.fake_slack import serve_locally


@dataclass
class Sent:
    conversation: str
    activity: dict

    @property
    def card(self) -> dict:
        for attachment in self.activity.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return attachment["content"]
        return {}

    @property
    def text(self) -> str:
        return "\n".join(b.get("text", "") for b in self.card.get("body", []))

    def actions(self, action_id: str | None = None) -> list[dict]:
        found = self.card.get("actions", [])
        if action_id is None:
            return found
        return [a for a in found if a.get("data", {}).get("action_id") == action_id]


REGION = "/amer"
ERRORS = {
    403: ("BotNotInConversationRoster", "The bot isn't part of the conversation roster."),
    404: ("ConversationNotFound", "The conversation wasn't found."),
    412: ("PreconditionFailed", "A precondition failed, please try again."),
    413: ("MessageSizeTooBig", "The message size is too large."),
    429: ("Throttled", "Too many requests. Also returns when to retry after."),
    502: ("ServiceError", "Bad Gateway"),  # the rate-limit page's "retry": no code documented
    504: ("ServiceError", "Gateway Timeout"),
}


def error(status: int, headers: dict | None = None) -> web.Response:
    code, message = ERRORS[status]
    return web.json_response({"error": {"code": code, "message": message}}, status=status,
                             headers=headers or {})


@dataclass
class FakeConnector:
    roster: dict[str, dict] = field(default_factory=dict)  # user id -> name, upn
    sent: list[Sent] = field(default_factory=list)
    created: list[dict] = field(default_factory=list)
    refuse: dict[str, tuple[int, dict]] = field(default_factory=dict)  # conversation -> status
    # conversation -> statuses to answer its next sends with, one each (then it accepts), in
    # the error body the Bot Connector sends
    failing: dict[str, list[int]] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._ids = itertools.count(1)
        self.url = ""

    async def start(self) -> str:
        app = web.Application()
        v3 = f"{REGION}/v3/conversations"
        app.router.add_post(v3 + "/{conversation}/activities/{reply_to}", self._send)
        app.router.add_post(v3 + "/{conversation}/activities", self._send)
        app.router.add_post(v3, self._create)
        app.router.add_get(v3 + "/{conversation}/members/{member}", self._member)
        app.router.add_route("*", "/{tail:.*}", self._other)
        self._runner, base = await serve_locally(app)
        self.url = f"{base}{REGION}/"
        return self.url

    async def stop(self) -> None:
        await self._runner.cleanup()

    def to(self, conversation: str) -> list[Sent]:
        return [s for s in self.sent if s.conversation == conversation]

    async def wait_for(self, conversation: str, count: int = 1, timeout: float = 10) -> list[Sent]:
        for _ in range(int(timeout / 0.02)):
            if len(self.to(conversation)) >= count:
                return self.to(conversation)
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} activities to {conversation}, got "
                             f"{[s.conversation for s in self.sent]}")

    async def _send(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation"]
        if conversation in self.refuse:
            return error(*self.refuse[conversation])
        if self.failing.get(conversation):
            return error(self.failing[conversation].pop(0))
        self.sent.append(Sent(conversation, await request.json()))
        return web.json_response({"id": f"activity-{next(self._ids)}"})

    async def _create(self, request: web.Request) -> web.Response:
        parameters = await request.json()
        self.created.append(parameters)
        member = parameters["members"][0]["id"]
        return web.json_response({"id": f"a:new-{member}", "serviceUrl": self.url})

    async def _member(self, request: web.Request) -> web.Response:
        member = request.match_info["member"]
        if member not in self.roster:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation",
                                                "message": "The member wasn't found."}}, status=404)
        known = self.roster[member]
        return web.json_response({"id": member, "name": known["name"], "aadObjectId": f"aad-{member}",
                                  "userPrincipalName": known["upn"], "email": known["upn"],
                                  "tenantId": "tenant-1"})

    async def _other(self, request: web.Request) -> web.Response:
        self.unexpected.append(f"{request.method} {request.path}")
        return web.json_response({}, status=404)
