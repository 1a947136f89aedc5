"""Correctly signed Slack requests (slash commands, button clicks, events) sent over real HTTP."""

import itertools
import json
import re
import time
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

SECRET = "test-signing-secret"
TEAM = "T1"
_IDS = itertools.count(1)  # trigger and event ids are unique across clients, as Slack's are


def sign(body: str, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
    }


class SlackClient:
    """What Slack itself sends to `/slack/events`, from workspace `team`; with `org`, as an
    Enterprise Grid org-wide install's requests carry it (api.slack.com/enterprise/apps/
    reference and changes-apis: `enterprise_id` and `is_enterprise_install` beside the
    workspace's `team_id`; events' `authorizations[0]` names the org and no team, as in
    bolt-python's tests/scenario_tests_async/test_events_org_apps.py). `org_wide=False`: a Grid workspace
    with an install of its own, which names its org too."""

    def __init__(self, base_url: str, fake, team: str = TEAM, org: str | None = None,
                 org_wide: bool = True):
        self.url = f"{base_url}/slack/events"
        self.fake, self.team, self.org, self.org_wide = fake, team, org, org_wide
        self._ids = _IDS

    async def post(self, body: str, content_type: str, headers: dict | None = None,
                   signed: bool = True) -> aiohttp.ClientResponse:
        all_headers = {"Content-Type": content_type, **(sign(body) if signed else {}),
                       **(headers or {})}
        self.sent = body  # to replay it byte for byte
        async with aiohttp.ClientSession() as session:
            response = await session.post(self.url, data=body.encode(), headers=all_headers)
            raw = await response.read()
            # What the acknowledgement itself said (a refusal is answered there), if anything.
            self.acked = json.loads(raw) if response.content_type == "application/json" and raw else None
            return response

    async def command(self, user: str, command: str, text: str = "", channel: str = "D1"):
        """Returns the HTTP response; `self.last` names where the reply will be posted and
        `self.trigger` the trigger id a form it opens would carry."""
        n = next(self._ids)
        self.last, self.trigger = f"cmd{n}", f"trigger-cmd-{n}"
        org = {"enterprise_id": self.org, "enterprise_name": "Hospital",
               "is_enterprise_install": str(self.org_wide).lower()} if self.org else {}
        body = urlencode({
            "token": "legacy", "team_id": self.team, "team_domain": "hospital", **org,
            "channel_id": channel, "channel_name": "directmessage", "user_id": user,
            "user_name": user.lower(), "command": command, "text": text, "api_app_id": "A1",
            "response_url": self.fake.response_url(f"cmd{n}"), "trigger_id": self.trigger,
        })
        return await self.post(body, "application/x-www-form-urlencoded")

    async def click(self, user: str, action_id: str, value: str, container: str = "message"):
        n = next(self._ids)
        self.trigger = f"trigger-click-{n}"
        org = {"enterprise": {"id": self.org, "name": "Hospital"},
               "is_enterprise_install": self.org_wide} if self.org else {}
        payload = {
            "type": "block_actions", "team": {"id": self.team, "domain": "hospital"},
            "user": {"id": user, "team_id": self.team, "username": user.lower()}, "api_app_id": "A1",
            "token": "legacy", "trigger_id": self.trigger,
            "container": {"type": container, "message_ts": "1", "channel_id": "C1"},
            "actions": [{"type": "button", "action_id": action_id, "value": value,
                         "block_id": "actions-0", "action_ts": f"{time.time():.6f}",
                         "text": {"type": "plain_text", "text": "x"}}], **org,
        }
        self.last = f"click{n}"
        if container == "message":
            payload["response_url"] = self.fake.response_url(f"click{n}")
            payload["channel"] = {"id": "C1", "name": "mentoring"}
        return await self.post(urlencode({"payload": json.dumps(payload)}),
                               "application/x-www-form-urlencoded")

    async def event(self, event: dict, event_id: str | None = None, headers: dict | None = None):
        org = {"enterprise_id": self.org, "authorizations": [{
            "enterprise_id": self.org, "team_id": None if self.org_wide else self.team,
            "user_id": "UBOT", "is_bot": True, "is_enterprise_install": self.org_wide}],
        } if self.org else {}
        body = json.dumps({
            "token": "legacy", "team_id": self.team, "api_app_id": "A1", "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids)}", "event_time": int(time.time()),
            "event": event, **org,
        })
        return await self.post(body, "application/json", headers=headers)

    async def submit_profile(self, user: str, values: dict):
        state = {key: {key: ({"type": "static_select", "selected_option": {"value": v}}
                             if key == "role" else {"type": "plain_text_input", "value": v})}
                 for key, v in values.items()}
        payload = {
            "type": "view_submission", "team": {"id": self.team},
            "user": {"id": user, "team_id": self.team},
            "api_app_id": "A1", "token": "legacy", "trigger_id": f"trigger-view-{next(self._ids)}",
            "view": {"id": "V1", "type": "modal", "callback_id": "profile",
                     "state": {"values": state}, "hash": "h"},
        }
        return await self.post(urlencode({"payload": json.dumps(payload)}),
                               "application/x-www-form-urlencoded")


async def install(base_url: str) -> None:
    """An admin's OAuth install through the bot's own pages, as a browser would make it: the
    install page, then Slack's redirect back with a code (the fake's oauth.v2.access answers)."""
    async with aiohttp.ClientSession() as http:
        page = await http.get(f"{base_url}/slack/install")
        html = await page.text()
        assert page.status == 200, html
        state = re.search(r"state=([\w-]+)", html).group(1)
        cookie = page.headers["Set-Cookie"].split(";")[0]
        done = await http.get(f"{base_url}/slack/oauth_redirect?code=good-code&state={state}",
                              headers={"Cookie": cookie})
        assert done.status == 200, await done.text()
