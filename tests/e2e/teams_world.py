"""The server in Teams emulator mode, a fake Bot Connector and a fixed clock, with the
activity helpers the Teams tests share."""

from aiohttp.test_utils import TestServer

from bot.app.assembly import build
from bot.app.server import make_server
from bot.app.settings import Settings
from bot.core.clock import FixedClock
from tests.conftest import START
from tests.e2e.fake_connector import FakeConnector
from tests.e2e.teams_client import TENANT, TeamsClient

CHANNEL = "19:mentoring@thread.tacv2"
PEOPLE = {
    "29:priya": {"name": "Priya Raman", "tz": "America/New_York", "upn": "priya@hospital.org"},
    "29:lee": {"name": "Marcus Lee", "tz": "America/New_York", "upn": "lee@hospital.org"},
    "29:stranger": {"name": "Sam Stranger", "tz": "Europe/London", "upn": "sam@hospital.org"},
}


class TeamsWorld:
    def __init__(self, db_url: str, connector: FakeConnector, **settings):
        self.db_url, self.connector = db_url, connector
        self.settings = Settings(_env_file=None, database_url=db_url, preceptor_teams_dev=True,
                                 preceptor_teams_channel=CHANNEL, **settings)
        self.app = build(self.settings, clock=FixedClock(START), immediate_delivery=True)
        self.server = TestServer(make_server(self.app, tick=False))

    async def __aenter__(self):
        await self.server.start_server()
        self.client = TeamsClient(str(self.server.make_url("")).rstrip("/"), self.connector.url,
                                  PEOPLE)
        return self

    async def __aexit__(self, *exc):
        await self.server.close()

    async def deliver(self):
        await self.app.delivery.settle()
        return await self.app.tick.run()

    async def reply_to(self, user: str, count: int) -> list:
        return await self.connector.wait_for(f"a:chat-{user}", count)


def in_channel(activity: dict, message: str = "7") -> dict:
    """A channel message as Teams sends it: the conversation id carries `;messageid=` of the
    thread (msteams-docs, "Conversation events" / "Receive all messages with RSC")."""
    activity["conversation"] = {"id": f"{CHANNEL};messageid={message}",
                                "conversationType": "channel", "tenantId": TENANT}
    return activity


def mention(user: str, name: str) -> dict:
    """A mention entity as Teams sends it (msteams-docs, "Channel and group chat
    conversations with a bot": `type`, `text`, `mentioned`)."""
    return {"type": "mention", "text": f"<at>{name}</at>", "mentioned": {"id": user, "name": name}}
