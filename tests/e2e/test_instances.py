"""Several `preceptor serve` processes on one PostgreSQL, with crashes and a hung database:
one mentor per request under any interleaving, every acknowledged command answered after a
SIGKILL, one channel's pace shared, and polite answers when the database stops answering."""

import asyncio
import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from bot.core.messages import Message
from storage.engine import Database
from storage.models import (
    Aspect,
    InboxItem,
    IntroAsk,
    LearningRequest,
    Member,
    Mentorship,
    Outbox,
    Thanks,
    Workspace,
)
from tests.e2e.fake_slack import PostLimits
from tests.e2e.instances import HangingProxy, Instance

pytestmark = pytest.mark.timeout(240)
LEASE = "8"  # seconds: what a killed instance held is taken up this much later


@pytest.fixture
def pg_url(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("several instances run on PostgreSQL")
    return db_url


@pytest.fixture
async def instances():
    started: list[Instance] = []
    yield started
    await asyncio.gather(*[i.stop() for i in started])


async def seed(url: str, people: list[str]) -> dict[str, int]:
    """Workspace T1 with `people` (no quiet hours); their member ids by Slack id."""
    now = datetime.now(UTC)
    db = Database(url)
    async with db.engine.begin() as conn:
        ws = (await conn.execute(insert(Workspace).values(
            platform="slack", external_id="T1", name="", active=True, rosters_read_at=now,
            digest_quarter=f"{now.year}Q{(now.month - 1) // 3 + 1}", created_at=now,
        ).returning(Workspace.id))).scalar_one()
        await conn.execute(insert(Member), [
            {"workspace_id": ws, "platform_user_id": p, "name": p, "capacity": 2, "tz": "UTC",
             "quiet_start_hour": 0, "quiet_end_hour": 0, "paused": False, "unreachable": False,
             "quarterly_digest": False, "created_at": now} for p in people])
        ids = dict((await conn.execute(select(Member.platform_user_id, Member.id))).all())
    await db.dispose()
    return {**ids, "workspace": ws}


async def settled(url: str, items: int, timeout: float = 60) -> None:
    """Until `items` inbox items are worked (answered or set aside)."""
    db = Database(url)
    deadline = time.monotonic() + timeout
    try:
        while True:
            async with db.engine.connect() as conn:
                done = (await conn.execute(select(func.count()).select_from(InboxItem).where(
                    InboxItem.status != "pending"))).scalar_one()
            if done >= items or time.monotonic() > deadline:
                assert done >= items, f"{done} of {items} inbox items worked"
                return
            await asyncio.sleep(0.2)
    finally:
        await db.dispose()


async def rows(url: str, query):
    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            return (await conn.execute(query)).all()
    finally:
        await db.dispose()


async def offers_waiting(url: str, ids: dict[str, int], trials: int) -> tuple[list[int], list[int]]:
    """For each trial n: M{n}'s open public request, and A{n}'s offer on it waiting for her."""
    now = datetime.now(UTC)
    db = Database(url)
    async with db.engine.begin() as conn:
        aspect = (await conn.execute(select(Aspect.id).limit(1))).scalar_one()
        requests = (await conn.execute(insert(LearningRequest).returning(LearningRequest.id), [
            {"member_id": ids[f"M{n}"], "aspect_id": aspect, "details": "", "public": True,
             "another_perspective": False, "status": "open", "created_at": now}
            for n in range(trials)])).scalars().all()
        asks = (await conn.execute(insert(IntroAsk).returning(IntroAsk.id), [
            {"request_id": requests[n], "mentor_id": ids[f"A{n}"], "mentee_id": ids[f"M{n}"],
             "asker_id": ids[f"A{n}"], "asked_id": ids[f"M{n}"], "origin": "volunteer",
             "reasons": [], "status": "pending", "created_at": now,
             "expires_at": now + timedelta(days=3)} for n in range(trials)])).scalars().all()
    await db.dispose()
    return list(requests), list(asks)


async def test_accepts_and_volunteers_across_instances_never_give_a_request_two_mentors(
        pg_url, fake, instances):
    """200 requests, each with one mentor's offer waiting: the mentee accepts it on one
    instance while a second mentor volunteers on another; then the mentee accepts every
    offer she has, on both instances at once. One mentorship per request, every time."""
    trials = 200
    ids = await seed(pg_url, [f"{r}{n}" for n in range(trials) for r in ("M", "A", "B")])
    requests, asks = await offers_waiting(pg_url, ids, trials)
    one, two = instances[:] = await asyncio.gather(Instance(pg_url, fake).start(),
                                                   Instance(pg_url, fake).start())
    order = random.Random(14)
    clicks = []
    for n in range(trials):  # each trial's two clicks on different instances, either first
        accept, volunteer = order.sample([one, two], 2)
        pair = [accept.client().click(f"M{n}", "intro_accept", str(asks[n])),
                volunteer.client().click(f"B{n}", "offer_help", str(requests[n]))]
        clicks += pair if order.random() < 0.5 else pair[::-1]
    responses = await asyncio.gather(*clicks)
    assert {r.status for r in responses} == {200}
    await settled(pg_url, len(clicks))
    offers = await rows(pg_url, select(IntroAsk.id, IntroAsk.asked_id).where(
        IntroAsk.origin == "volunteer"))
    slack_id = {member: user for user, member in ids.items()}
    again = [i.client().click(slack_id[asked], "intro_accept", str(ask))
             for ask, asked in offers for i in (one, two)]
    assert {r.status for r in await asyncio.gather(*again)} == {200}
    await settled(pg_url, len(clicks) + len(again))
    live = Counter(r for (r,) in await rows(pg_url, select(Mentorship.request_id).where(
        Mentorship.status == "active")))
    assert len(live) == trials and set(live.values()) == {1}
    volunteered = len(offers) - trials
    assert volunteered > 0  # the races went both ways: some offers were in before the accept
    print(f"{trials} races: {volunteered} volunteers' offers were in before the accept")
    await fake.wait_for("conversations.open", trials, timeout=60)
    intros = Counter(c.params["users"] for c in fake.calls if c.method == "conversations.open")
    assert len(intros) == trials and set(intros.values()) == {1}  # one introduction each
    pending = await rows(pg_url, select(IntroAsk.id).where(IntroAsk.status == "pending"))
    assert pending == []


async def thanks_until_killed(instance: Instance, commands: int, kill_at: int,
                              holding=None) -> dict[int, str]:
    """`/mentor thanks` at 50 a second, SIGKILLing `instance` at the `kill_at`th ack (once
    `holding()` is true, when given: waiting on state, not on time); the acknowledged ones,
    with the name of their response URL."""
    acked: dict[int, str] = {}

    async def kill() -> None:
        async with asyncio.timeout(10):
            while holding is not None and not await holding():
                await asyncio.sleep(0.01)
        instance.kill()

    async def send(n: int) -> None:
        client = instance.client()
        try:
            response = await client.command(
                "U_SENDER", "/mentor", f"thanks <@U_R{n}> for covering shift {n}")
        except aiohttp.ClientError:
            return  # the instance died before acknowledging this one
        if response.status == 200 and not client.acked:
            acked[n] = client.last
            if len(acked) == kill_at:
                killing.append(asyncio.get_running_loop().create_task(kill()))

    sending, killing = [], []
    for n in range(commands):  # 50 a second, as Slack would deliver a busy ward's commands
        if instance.process.returncode is not None:
            break
        sending.append(asyncio.get_running_loop().create_task(send(n)))
        await asyncio.sleep(1 / 50)
    await asyncio.gather(*sending, *killing)
    return acked


async def test_a_serving_instance_killed_mid_burst_loses_no_acknowledged_command(
        pg_url, fake, instances):
    """`/mentor thanks` sent at 50 a second to one instance, SIGKILLed from the 100th ack
    once it holds messages to send, then another started: every acknowledged command is
    worked once and answered (at most one answer or thank-you repeated, the one in flight
    when it died)."""
    commands = 300  # at 50 a second: 6 s, so it dies mid-burst even if the kill waits a moment
    await seed(pg_url, ["U_SENDER"] + [f"U_R{n}" for n in range(commands)])
    first = Instance(pg_url, fake, lease_seconds=LEASE)
    instances.append(await first.start())
    fake.delay = 0.05  # a slow Slack: the instance dies with messages it had taken to send

    async def holding_messages() -> bool:  # under load its delivery may start a moment later
        return (await rows(pg_url, select(func.count()).select_from(Outbox).where(
            Outbox.status == "pending", Outbox.claimed_until > datetime.now(UTC))))[0][0] > 0

    acked = await thanks_until_killed(first, commands, kill_at=100, holding=holding_messages)
    await first.process.wait()
    assert 100 <= len(acked) < commands  # it died mid-burst
    now = datetime.now(UTC)
    held = [(await rows(pg_url, select(func.count()).select_from(table).where(
        table.status == "pending", table.claimed_until > now)))[0][0] for table in (InboxItem, Outbox)]
    assert held[1] > 0  # the dead instance held messages: the next one must take them over
    fake.delay = 0
    instances.append(await Instance(pg_url, fake, lease_seconds=LEASE).start())

    def answered():
        replies = Counter(c.params["url"] for c in fake.calls if c.method == "response_url")
        return replies if all(replies[name] for name in acked.values()) else None

    replies = await fake.first(answered, timeout=90)
    assert replies is not None, [n for n, r in acked.items() if not fake.to("response_url", url=r)]
    thanked = Counter(text for (text,) in await rows(pg_url, select(Thanks.text)))
    assert all(thanked[f"for covering shift {n}"] == 1 for n in acked)  # worked exactly once
    assert set(thanked.values()) == {1}
    await fake.wait_for("chat.postMessage", len(thanked), timeout=60)
    dms = Counter(c.params["channel"] for c in fake.calls if c.method == "chat.postMessage")
    repeated = sum(replies.values()) - len(replies) + sum(dms.values()) - len(dms)
    assert repeated <= 1
    print(f"killed after {len(acked)} acks, holding {held[0]} commands and {held[1]} messages; "
          f"{len(thanked)} thanks recorded, {repeated} repeated")


async def test_three_instances_keep_one_channel_under_slacks_pace(pg_url, fake, instances):
    """Twelve announcements for one channel and twelve DMs, delivered by three instances
    ticking every second, against a Slack that enforces 1 a second (bursts of 3)."""
    fake.limits = PostLimits()
    ids = await seed(pg_url, [f"U{n}" for n in range(12)])
    now = datetime.now(UTC)
    db = Database(pg_url)
    async with db.engine.begin() as conn:
        await conn.execute(insert(Outbox), [
            {"workspace_id": ids["workspace"], "kind": kind, "recipients": [to],
             "payload": Message(f"{kind} {n}").to_dict(), "status": "pending", "attempts": 0,
             "not_before": now, "created_at": now}
            for n in range(12) for kind, to in (("channel", "C_MENTORING"), ("dm", f"U{n}"))])
    await db.dispose()
    instances[:] = await asyncio.gather(*[Instance(pg_url, fake, tick_seconds="1").start()
                                          for _ in range(3)])
    posts = await fake.wait_for("chat.postMessage", 12, timeout=60, channel="C_MENTORING")
    assert sorted(p["text"] for p in posts) == sorted(f"channel {n}" for n in range(12))
    await fake.wait_for("chat.postMessage", 24, timeout=30)  # the DMs were not held up
    assert [c.params.get("channel") for c in fake.calls if c.refused] == []  # not one 429


async def test_a_hung_database_gets_polite_answers_within_3_seconds_and_recovers(
        pg_url, fake, instances):
    url = make_url(pg_url)
    proxy = await HangingProxy(url.host or "127.0.0.1", url.port or 5432).start()
    try:
        await seed(pg_url, ["U_SENDER", "U_LEE"])
        through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        served = await Instance(through, fake).start()
        instances.append(served)
        proxy.hang()
        client = served.client()
        started = time.monotonic()
        response = await client.command("U_SENDER", "/mentor", "thanks <@U_LEE> for the echo tips")
        took = time.monotonic() - started
        assert response.status == 200 and took < 3, took
        assert "my database is busy or out of reach" in client.acked["text"]
        started = time.monotonic()
        assert await served.health(probe="readyz") == 503 and time.monotonic() - started < 3
        assert await served.health() == 200  # alive all along: an orchestrator restarts nothing
        proxy.resume()
        assert await served.health(probe="readyz") == 200  # no restart
        client = served.client()
        await client.command("U_SENDER", "/mentor", "thanks <@U_LEE> for the line teaching")
        await fake.wait_for("response_url", url=client.last, timeout=15)
        thanked = [t for (t,) in await rows(pg_url, select(Thanks.text))]
        assert thanked == ["for the line teaching"]  # the refused one changed nothing
    finally:
        await proxy.stop()
