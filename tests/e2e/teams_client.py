"""Bot Framework activities as Teams sends them, posted to `/api/messages`."""

import itertools
from datetime import UTC, datetime

import aiohttp

TENANT = "tenant-1"
BOT = {"id": "28:preceptor-bot", "name": "Preceptor"}


class TeamsClient:
    def __init__(self, base_url: str, service_url: str, people: dict[str, dict]):
        self.url, self.service_url, self.people = f"{base_url}/api/messages", service_url, people
        self._ids = itertools.count(1)

    def activity(self, user: str, kind: str = "message", tenant: str = TENANT, **fields) -> dict:
        person = self.people[user]
        return {
            "type": kind, "id": f"act-{next(self._ids)}", "channelId": "msteams",
            "timestamp": datetime.now(UTC).isoformat(), "serviceUrl": self.service_url,
            "from": {"id": user, "name": person["name"], "aadObjectId": f"aad-{user}"},
            "conversation": {"id": f"a:chat-{user}", "conversationType": "personal",
                             "tenantId": tenant},
            "recipient": BOT, "locale": "en-US", "localTimezone": person["tz"],
            "channelData": {"tenant": {"id": tenant}}, **fields,
        }

    async def post(self, activity: dict, headers: dict | None = None) -> aiohttp.ClientResponse:
        async with aiohttp.ClientSession() as session:
            response = await session.post(self.url, json=activity, headers=headers or {})
            await response.read()
            return response

    async def say(self, user: str, text: str):
        return await self.post(self.activity(user, text=text))

    async def press(self, user: str, action_id: str, value: str):
        return await self.post(self.activity(user, value={"action_id": action_id, "value": value}))

    def execute(self, user: str, verb: str, data: dict, trigger: str = "manual") -> dict:
        """An `Action.Execute` as Teams invokes the bot with it (adaptivecards.io, "Universal
        Action Model", request format: `adaptiveCard/action` with `action` and `trigger`)."""
        return self.activity(user, kind="invoke", name="adaptiveCard/action", value={
            "action": {"type": "Action.Execute", "id": f"action-{next(self._ids)}",
                       "verb": verb, "data": data}, "trigger": trigger})

    async def invoke(self, activity: dict) -> tuple[int, dict | None]:
        """An invoke activity; the HTTP status and the invoke response Teams would get."""
        async with aiohttp.ClientSession() as session:
            response = await session.post(self.url, json=activity)
            body = await response.json() if response.content_length else None
            return response.status, body

    async def install(self, user: str):
        return await self.post(self.activity(user, kind="installationUpdate", action="add"))
