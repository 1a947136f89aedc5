"""The `preceptor` command and server: tick from the command line, health, inbound dedupe."""

import os
import subprocess
import sys
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app.server import make_server
from storage.models import CheckIn
from tests.bot.test_checkins import paired

ROOT = Path(__file__).resolve().parents[2]


def tick(url: str, now: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot.app.cli", "tick", "--now", now], cwd=ROOT, capture_output=True,
        text=True, timeout=60, env={**os.environ, "DATABASE_URL": url},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_tick_at_the_same_moment_twice_does_the_work_once(world, db_url):
    await paired(world)
    due = (world.clock.now().replace(microsecond=0)).isoformat().replace("+00:00", "Z")
    assert "check-ins: 0" in tick(db_url, due)
    later = "2026-12-16T15:00:00+00:00"
    assert "check-ins: 1" in tick(db_url, later)
    assert "check-ins: 0" in tick(db_url, later)
    async with world.db.transaction() as session:
        assert len((await session.exec(select(CheckIn))).all()) == 1


def test_tick_refuses_a_malformed_time():
    done = subprocess.run([sys.executable, "-m", "bot.app.cli", "tick", "--now", "next tuesday"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "not an ISO 8601 time" in done.stderr


async def test_healthz_answers_ok_with_a_database_and_503_without(world):
    async with TestClient(TestServer(make_server(world.app, tick=False))) as client:
        response = await client.get("/healthz")
        assert response.status == 200 and (await response.json()) == {"status": "ok"}
    broken = world.build(database_url="postgresql://nobody@127.0.0.1:1/none")
    async with TestClient(TestServer(make_server(broken, tick=False))) as client:
        assert (await client.get("/healthz")).status == 503


async def test_an_inbound_event_is_processed_once(world):
    assert await world.app.events.first_time("slack:Ev123")
    assert not await world.app.events.first_time("slack:Ev123")
    assert await world.app.events.first_time("slack:Ev124")


def test_socket_mode_needs_an_app_token():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    done = subprocess.run([sys.executable, "-m", "bot.app.cli", "serve", "--socket-mode"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2 and "needs SLACK_APP_TOKEN" in done.stderr
