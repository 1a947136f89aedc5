"""The outbox survives a misbehaving platform: retries, Retry-After, permanent failures, leases."""

import asyncio
from datetime import timedelta

from sqlmodel import select

from bot import outbox
from bot.delivery import LEASE, MAX_ATTEMPTS, deliver_due
from bot.messages import Message
from bot.messenger import PermanentError, TransientError
from handlers.console.messenger import ConsoleMessenger
from storage.models import Outbox, Workspace


class Flaky(ConsoleMessenger):
    """Fails the first `transient` sends, and always for users in `gone`."""

    def __init__(self, transient=0, retry_after=None, gone=()):
        super().__init__()
        self.transient, self.retry_after, self.gone = transient, retry_after, set(gone)
        self.calls = 0

    async def send_dm(self, team, user_id, message):
        self.calls += 1
        if user_id in self.gone:
            raise PermanentError("user_not_found")
        if self.transient:
            self.transient -= 1
            raise TransientError("ratelimited", retry_after=self.retry_after)
        return await super().send_dm(team, user_id, message)


async def queue(world, *users, text="hello"):
    async with world.db.transaction() as session:
        workspace = Workspace(platform="console", external_id="T9", created_at=world.clock.now())
        session.add(workspace)
        await session.flush()
        for user in users:
            await outbox._enqueue(session, workspace.id, "dm", [user], Message(text),
                                  world.clock.now(), world.clock.now(), None)


async def rows(world):
    async with world.db.transaction() as session:
        return (await session.exec(select(Outbox).order_by(Outbox.id))).all()


async def test_retry_after_is_honoured_then_the_message_goes(world):
    await queue(world, "u1")
    flaky = Flaky(transient=1, retry_after=600)
    now = world.clock.now()
    report = await deliver_due(world.db, {"console": flaky}, now)
    assert (report.sent, report.retried) == (0, 1)
    (row,) = await rows(world)
    assert row.status == "pending" and row.not_before >= now + timedelta(seconds=600)
    early = await deliver_due(world.db, {"console": flaky}, now + timedelta(seconds=599))
    assert early.sent == 0 and flaky.calls == 1
    later = await deliver_due(world.db, {"console": flaky}, row.not_before)
    assert later.sent == 1 and [d.to for d in flaky.delivered] == ["u1"]


async def test_permanent_failures_are_recorded_once_and_others_still_go(world):
    await queue(world, "gone", "u2")
    flaky = Flaky(gone={"gone"})
    report = await deliver_due(world.db, {"console": flaky}, world.clock.now())
    assert (report.sent, report.failed) == (1, 1)
    failed, sent = await rows(world)
    assert failed.status == "failed" and failed.last_error == "user_not_found"
    assert sent.status == "sent"
    again = await deliver_due(world.db, {"console": flaky}, world.clock.now() + timedelta(days=30))
    assert again.sent == again.failed == 0 and flaky.calls == 2


async def test_a_message_that_keeps_failing_is_parked(world):
    await queue(world, "u3")
    flaky = Flaky(transient=10_000)
    when = world.clock.now()
    for _ in range(MAX_ATTEMPTS):
        await deliver_due(world.db, {"console": flaky}, when)
        when += timedelta(days=1)
    (row,) = await rows(world)
    assert row.status == "parked" and row.attempts == MAX_ATTEMPTS
    assert (await deliver_due(world.db, {"console": flaky}, when + timedelta(days=9))).sent == 0


async def test_a_crashed_deliverers_lease_runs_out_and_another_sends(world):
    await queue(world, "u4")
    now = world.clock.now()
    async with world.db.transaction() as session:
        row = (await session.exec(select(Outbox))).one()
        row.claimed_until, row.claim_token = now + LEASE, "crashed-process"
    messenger = ConsoleMessenger()
    assert (await deliver_due(world.db, {"console": messenger}, now)).sent == 0
    assert (await deliver_due(world.db, {"console": messenger}, now + LEASE)).sent == 1


async def test_concurrent_deliverers_send_each_message_once(world):
    await queue(world, *[f"u{i}" for i in range(60)])
    messenger = ConsoleMessenger()
    now = world.clock.now()
    reports = await asyncio.gather(
        *(deliver_due(world.db, {"console": messenger}, now, batch=7) for _ in range(3))
    )
    assert sum(r.sent for r in reports) == 60
    assert sorted(d.to for d in messenger.delivered) == sorted(f"u{i}" for i in range(60))


async def test_nothing_is_claimed_for_a_platform_without_a_messenger(world):
    await queue(world, "u5")
    report = await deliver_due(world.db, {"slack": ConsoleMessenger()}, world.clock.now())
    (row,) = await rows(world)
    assert report.sent == 0 and row.status == "pending" and row.claimed_until is None


async def test_an_unexpected_error_is_retried_later_not_lost(world):
    class Broken(ConsoleMessenger):
        async def send_dm(self, team, user_id, message):
            raise KeyError("surprise")

    await queue(world, "u6")
    report = await deliver_due(world.db, {"console": Broken()}, world.clock.now())
    (row,) = await rows(world)
    assert report.retried == 1 and row.status == "pending" and row.attempts == 1
    assert row.claimed_until is None and row.not_before > world.clock.now()
