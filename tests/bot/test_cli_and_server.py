"""The `preceptor` command and server: tick from the command line, health, inbound dedupe."""

import os
import subprocess
import sys
from datetime import timedelta
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


async def test_healthz_is_alive_and_readyz_names_what_is_not_ready(world):
    async with TestClient(TestServer(make_server(world.app, tick=False))) as client:
        response = await client.get("/healthz")
        assert response.status == 200 and (await response.json()) == {"status": "ok"}
        ready = await client.get("/readyz", headers={"X-Request-Id": "req-42"})
        assert ready.status == 200 and (await ready.json()) == {"database": "ok"}
        assert ready.headers["X-Request-Id"] == "req-42"
        assert len((await client.get("/readyz")).headers["X-Request-Id"]) == 16
    broken = world.build(database_url="postgresql://nobody@127.0.0.1:1/none")
    async with TestClient(TestServer(make_server(broken, tick=False))) as client:
        assert (await client.get("/healthz")).status == 200
        errors = sample(await (await client.get("/metrics")).text(), "preceptor_database_errors_total")
        response = await client.get("/readyz")
        assert response.status == 503 and (await response.json()) == {"database": "unavailable"}
        page = await client.get("/metrics")  # still answers, with the failure counted
        assert page.status == 200
        assert sample(await page.text(), "preceptor_database_errors_total") > errors


async def test_readyz_says_when_the_schema_is_behind(tmp_path):
    from bot.app.assembly import build
    from bot.app.settings import Settings
    from storage.migrate import head, upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0013")
    app = build(Settings(_env_file=None, database_url=url))
    async with TestClient(TestServer(make_server(app, tick=False))) as client:
        response = await client.get("/readyz")
        assert response.status == 503 and (await response.json()) == {
            "database": f"at revision 0013, needs {head()}: run `preceptor db upgrade`"}


async def test_an_inbound_event_is_processed_once(world):
    assert await world.app.events.first_time("slack:Ev123")
    assert not await world.app.events.first_time("slack:Ev123")
    assert await world.app.events.first_time("slack:Ev124")


def test_socket_mode_needs_an_app_token():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    done = subprocess.run([sys.executable, "-m", "bot.app.cli", "serve", "--socket-mode"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2 and "needs SLACK_APP_TOKEN" in done.stderr


def sample(page: str, name: str, **labels: str) -> float:
    """One series' value in a Prometheus text page (0 when absent)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(page):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    return 0.0


async def test_metrics_show_queues_sends_and_ticks(world):
    from tests.bot.test_learning_and_intros import hospital

    async with TestClient(TestServer(make_server(world.app, tick=False))) as client:
        before = await (await client.get("/metrics")).text()
        await hospital(world)
        await world.cmd("priya", "/learn POCUS")  # the public post waits in the outbox
        page = await (await client.get("/metrics")).text()
        assert sample(page, "preceptor_outbox_depth") == 1
        assert sample(page, "preceptor_work_queue_depth") == 0
        world.clock.advance(timedelta(minutes=5))
        aged = await (await client.get("/metrics")).text()
        assert sample(aged, "preceptor_outbox_oldest_seconds") == 300
        await world.tick()
        after = await (await client.get("/metrics")).text()
    assert sample(after, "preceptor_outbox_depth") == 0
    sent = "preceptor_sends_total"
    assert sample(after, sent, platform="console", outcome="sent") - \
        sample(before, sent, platform="console", outcome="sent") >= 1
    assert sample(after, "preceptor_tick_seconds_count") > sample(before, "preceptor_tick_seconds_count")


async def test_the_privacy_notice_and_terms_are_served_with_the_retention_periods(world):
    from bot.app.assembly import build

    settings = world.settings.model_copy(update={"preceptor_keep_interactions_days": 180})
    app = build(settings, clock=world.clock)
    async with TestClient(TestServer(make_server(app, tick=False))) as client:
        privacy = await client.get("/privacy")
        assert privacy.status == 200 and privacy.content_type == "text/html"
        page = await privacy.text()
        assert "Kept 180 days after\nthe last one" in page and "kept\n7 days" in page
        assert "$" not in page
        assert (await client.get("/terms")).status == 200
