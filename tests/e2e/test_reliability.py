"""Several instances and crashes: each piece of work happens once, and nothing is lost."""

import asyncio
import signal
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from bot.core.messages import Message
from storage.engine import Database
from storage.models import Aspect, Member, Mentorship, Outbox, Workspace
from tests.e2e.instances import ROOT, env

T0 = datetime(2026, 12, 1, 14, tzinfo=UTC)


async def tick(url: str, fake, now: datetime) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.app.cli", "tick", "--now", now.isoformat(), cwd=ROOT,
        env=env(url, fake), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def workspace(db: Database) -> int:
    async with db.engine.begin() as conn:
        return (await conn.execute(insert(Workspace).values(
            platform="slack", external_id="T1", name="", active=True,
            digest_quarter="2026Q4", rosters_read_at=T0, created_at=T0
        ).returning(Workspace.id))).scalar_one()


async def test_three_processes_ticking_prompt_each_of_1000_pairs_exactly_once(db_url, fake):
    if not db_url.startswith("postgresql"):
        pytest.skip("several instances run on PostgreSQL")
    db = Database(db_url)
    ws = await workspace(db)
    async with db.engine.begin() as conn:
        aspect = (await conn.execute(select(Aspect.id).limit(1))).scalar_one()
        await conn.execute(insert(Member), [
            {"workspace_id": ws, "platform_user_id": f"U{n}", "name": f"P{n}", "capacity": 2,
             "tz": "UTC", "quiet_start_hour": 0, "quiet_end_hour": 0, "paused": False,
             "unreachable": False, "quarterly_digest": False, "created_at": T0}
            for n in range(2000)])
        ids = dict((await conn.execute(select(Member.platform_user_id, Member.id))).all())
        await conn.execute(insert(Mentorship), [
            {"mentor_id": ids[f"U{2 * n}"], "mentee_id": ids[f"U{2 * n + 1}"],
             "aspect_id": aspect, "reasons": [], "cadence_days": 14, "status": "active",
             "next_checkin_at": T0, "silent_rounds": 0, "rounds": 0, "started_at": T0}
            for n in range(1000)])
    await db.dispose()
    processes = [await tick(db_url, fake, T0 + timedelta(minutes=1)) for _ in range(3)]
    outputs = [await p.communicate() for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], [e.decode() for _, e in outputs]
    prompts = Counter(c.params["channel"] for c in fake.calls if c.method == "chat.postMessage")
    assert len(prompts) == 2000 and set(prompts.values()) == {1}
    handled = sum(int(o.decode().split("check-ins: ")[1].split(",")[0]) for o, _ in outputs)
    assert handled == 1000


async def test_a_deliverer_killed_mid_run_loses_nothing_and_repeats_at_most_one(db_url, fake):
    db = Database(db_url)
    ws = await workspace(db)
    messages = 300
    async with db.engine.begin() as conn:
        await conn.execute(insert(Outbox), [
            {"workspace_id": ws, "kind": "dm", "recipients": [f"U{n}"],
             "payload": Message(f"message {n}").to_dict(), "status": "pending", "attempts": 0,
             "not_before": T0, "created_at": T0} for n in range(messages)])
    await db.dispose()
    fake.delay = 0.01  # slow enough to be killed in the middle
    first = await tick(db_url, fake, T0)
    await fake.wait_for("chat.postMessage", 50, timeout=60)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    fake.delay = 0
    sent_before = sum(c.method == "chat.postMessage" for c in fake.calls)
    assert sent_before < messages  # it really died mid-run
    restart = await tick(db_url, fake, T0 + timedelta(minutes=6))  # after the dead one's lease
    await restart.communicate()
    again = await tick(db_url, fake, T0 + timedelta(minutes=12))
    await again.communicate()
    texts = Counter(c.params["text"] for c in fake.calls if c.method == "chat.postMessage")
    assert set(texts) == {f"message {n}" for n in range(messages)}  # none lost
    assert sum(texts.values()) - messages <= 1  # at most one duplicate for the one crash
