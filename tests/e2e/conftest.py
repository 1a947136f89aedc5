"""`preceptor serve`'s aiohttp app on a real port, Slack's Web API as a local fake."""

import asyncio

import pytest
from aiohttp.test_utils import TestServer

from bot.app.assembly import build
from bot.app.server import INBOX_WORKER, make_server
from bot.app.settings import Settings
from bot.core.clock import FixedClock
from tests.conftest import START
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_client import SECRET, SlackClient

CHANNEL = "C_MENTORING"
PEOPLE = {
    "U_PRIYA": {"name": "Priya Raman", "tz": "America/New_York"},
    "U_LEE": {"name": "Marcus Lee", "tz": "America/New_York"},
    "U_KIM": {"name": "Jordan Kim", "tz": "America/Chicago"},
    "U_SOUZA": {"name": "Ana Souza", "tz": "America/New_York"},
    "U_STRANGER": {"name": "Sam Stranger", "tz": "Europe/London"},
}


class SlackWorld:
    """The server, the fake Slack and a clock, rebuildable on the same database (a restart)."""

    def __init__(self, db_url: str, fake: FakeSlack, **settings):
        self.db_url, self.fake = db_url, fake
        self.clock = FixedClock(START)
        self.settings = Settings(
            _env_file=None, database_url=db_url, slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET, slack_api_url=f"{fake.url}/api/",
            preceptor_channel=CHANNEL, **settings,
        )
        self.server: TestServer | None = None

    async def start(self) -> SlackClient:
        self.app = build(self.settings, clock=self.clock, immediate_delivery=True)
        web = make_server(self.app, tick=False)
        self.worker = web[INBOX_WORKER]
        self.server = TestServer(web)
        await self.server.start_server()
        return SlackClient(str(self.server.make_url("")).rstrip("/"), self.fake)

    async def stop(self) -> None:
        await self.server.close()

    async def restart(self) -> SlackClient:
        await self.stop()
        return await self.start()

    async def work_done(self, taken: int) -> None:
        """Wait until the server has taken `taken` inbox items in all and finished them."""
        async with asyncio.timeout(10):
            while self.worker.taken < taken or self.worker.busy:
                await asyncio.sleep(0.01)

    async def answer(self, client: SlackClient | None = None, timeout: float = 5) -> dict | None:
        """The private answer to `client`'s last request: in its acknowledgement (a refusal, or a
        read-only command answered at once), at its response URL once worked, or the form it
        opened. Which of them depends on load, so a test not about the path waits for either."""
        client = client or self.client
        if client.acked and client.acked.get("text"):
            return client.acked

        def found():
            replies = self.fake.to("response_url", url=client.last)
            forms = self.fake.to("views.open", trigger_id=client.trigger)
            return replies[0] if replies else {"form": forms[0]} if forms else None

        return await self.fake.first(found, timeout=timeout)

    async def deliver(self):
        """What the server's interval tick would do now (after any delivery in flight)."""
        await self.app.delivery.settle()
        return await self.app.tick.run()


@pytest.fixture
async def fake():
    slack = FakeSlack(users={user: dict(person) for user, person in PEOPLE.items()})  # tests edit them
    await slack.start()
    yield slack
    await slack.stop()
    assert slack.invalid == [], slack.invalid
    assert slack.unexpected == [], slack.unexpected


@pytest.fixture
async def slack_world(db_url, fake):
    world = SlackWorld(db_url, fake)
    world.client = await world.start()
    yield world
    await world.stop()


@pytest.fixture
async def connector():
    """The Bot Connector fake, with a roster of sign-in names for the Teams people."""
    from tests.e2e.fake_connector import FakeConnector
    from tests.e2e.teams_world import PEOPLE as TEAMS_PEOPLE

    fake = FakeConnector(roster={u: {"name": p["name"], "upn": p["upn"]}
                                 for u, p in TEAMS_PEOPLE.items()})
    await fake.start()
    yield fake
    await fake.stop()
    assert fake.unexpected == []


@pytest.fixture
async def teams(db_url, connector):
    """The server in Teams emulator mode with the fake Bot Connector."""
    from tests.e2e.teams_world import TeamsWorld

    async with TeamsWorld(db_url, connector) as world:
        yield world
