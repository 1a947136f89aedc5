"""The outbox survives a misbehaving platform: retries, Retry-After, permanent failures, leases."""

import asyncio
from datetime import timedelta

from sqlmodel import select

from bot.app.admission import Admission
from bot.core.clock import FixedClock
from bot.core.messages import Message
from bot.delivery import outbox
from bot.delivery.loop import LEASE, LONGEST_SEND, MAX_ATTEMPTS, deliver_due, deliver_until_idle
from bot.delivery.messenger import PermanentError, RateLimited, TransientError
from handlers.console.messenger import ConsoleMessenger
from storage.engine import Database
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


async def queue(world, *users, text="hello", team="T9"):
    async with world.db.transaction() as session:
        workspace = Workspace(platform="console", external_id=team, created_at=world.clock.now())
        session.add(workspace)
        await session.flush()
        for user in users:
            await outbox._enqueue(session, workspace.id, "dm", [user], Message(text),
                                  world.clock.now(), world.clock.now(), None)


async def deliver(world, messenger, when, batch=20):
    return await deliver_due(world.db, {"console": messenger}, FixedClock(when), batch=batch)


async def rows(world):
    async with world.db.transaction() as session:
        return (await session.exec(select(Outbox).order_by(Outbox.id))).all()


async def test_retry_after_is_honoured_then_the_message_goes(world):
    await queue(world, "u1")
    flaky = Flaky(transient=1, retry_after=600)
    now = world.clock.now()
    report = await deliver(world, flaky, now)
    assert (report.sent, report.retried) == (0, 1)
    (row,) = await rows(world)
    assert row.status == "pending" and row.not_before >= now + timedelta(seconds=600)
    early = await deliver(world, flaky, now + timedelta(seconds=599))
    assert early.sent == 0 and flaky.calls == 1
    later = await deliver(world, flaky, row.not_before)
    assert later.sent == 1 and [d.to for d in flaky.delivered] == ["u1"]


async def test_permanent_failures_are_recorded_once_and_others_still_go(world):
    await queue(world, "gone", "u2")
    flaky = Flaky(gone={"gone"})
    report = await deliver(world, flaky, world.clock.now())
    assert (report.sent, report.failed) == (1, 1)
    failed, sent = await rows(world)
    assert failed.status == "failed" and failed.last_error == "user_not_found"
    assert sent.status == "sent"
    again = await deliver(world, flaky, world.clock.now() + timedelta(days=30))
    assert again.sent == again.failed == 0 and flaky.calls == 2


async def test_a_message_that_keeps_failing_is_parked(world):
    await queue(world, "u3")
    flaky = Flaky(transient=10_000)
    when = world.clock.now()
    for _ in range(MAX_ATTEMPTS):
        await deliver(world, flaky, when)
        when += timedelta(days=1)
    (row,) = await rows(world)
    assert row.status == "parked" and row.attempts == MAX_ATTEMPTS
    assert (await deliver(world, flaky, when + timedelta(days=9))).sent == 0


async def test_a_crashed_deliverers_lease_runs_out_and_another_sends(world):
    await queue(world, "u4")
    now = world.clock.now()
    async with world.db.transaction() as session:
        row = (await session.exec(select(Outbox))).one()
        row.claimed_until, row.claim_token = now + LEASE, "crashed-process"
    messenger = ConsoleMessenger()
    assert (await deliver(world, messenger, now)).sent == 0
    assert (await deliver(world, messenger, now + LEASE)).sent == 1


async def test_concurrent_deliverers_send_each_message_once(world):
    await queue(world, *[f"u{i}" for i in range(60)])
    messenger = ConsoleMessenger()
    now = world.clock.now()
    reports = await asyncio.gather(
        *(deliver(world, messenger, now, batch=7) for _ in range(3))
    )
    assert sum(r.sent for r in reports) == 60
    assert sorted(d.to for d in messenger.delivered) == sorted(f"u{i}" for i in range(60))


async def test_nothing_is_claimed_for_a_platform_without_a_messenger(world):
    await queue(world, "u5")
    report = await deliver_due(world.db, {"slack": ConsoleMessenger()}, FixedClock(world.clock.now()))
    (row,) = await rows(world)
    assert report.sent == 0 and row.status == "pending" and row.claimed_until is None


async def test_an_unexpected_error_is_retried_later_not_lost(world):
    class Broken(ConsoleMessenger):
        async def send_dm(self, team, user_id, message):
            raise KeyError("surprise")

    await queue(world, "u6")
    report = await deliver(world, Broken(), world.clock.now())
    (row,) = await rows(world)
    assert report.retried == 1 and row.status == "pending" and row.attempts == 1
    assert row.claimed_until is None and row.not_before > world.clock.now()


class Limited(ConsoleMessenger):
    """Workspace T1 answers its `first` send with a 429; user "busy" is paced for 2 s."""

    def __init__(self, first=True):
        super().__init__()
        self.first, self.calls = first, []

    async def send_dm(self, team, user_id, message):
        self.calls.append(user_id)
        if team == "T1" and self.first:
            self.first = False
            raise RateLimited(30, workspace=True)
        if user_id == "busy":
            raise RateLimited(2, workspace=False, spacing=1)
        return await super().send_dm(team, user_id, message)


async def test_a_429_holds_the_whole_workspace_without_counting_attempts(world):
    await queue(world, "a1", "a2", "a3", team="T1")
    await queue(world, "b1", "b2", team="T2")
    limited, now = Limited(), world.clock.now()
    report = await deliver(world, limited, now)
    assert limited.calls == ["a1", "b1", "b2"]  # T1's other rows were not even tried
    assert (report.sent, report.deferred, report.retried) == (2, 1, 0)
    waiting = [r for r in await rows(world) if r.status == "pending"]
    assert len(waiting) == 3
    assert all(r.attempts == 0 and r.not_before == now + timedelta(seconds=30) for r in waiting)
    assert report.next_due == now + timedelta(seconds=30)
    later = await deliver(world, limited, now + timedelta(seconds=30))
    assert later.sent == 3 and [d.to for d in limited.delivered][-3:] == ["a1", "a2", "a3"]


async def test_a_paced_conversation_waits_alone_its_rows_spaced_in_order(world):
    await queue(world, "busy", "u1", "busy", "busy", team="T2")
    limited, now = Limited(first=False), world.clock.now()
    report = await deliver(world, limited, now)
    assert limited.calls == ["busy", "u1"]  # the other two were queued behind the first
    busy, sent, *later = await rows(world)
    assert (report.sent, report.deferred) == (1, 3) and sent.status == "sent"
    assert [r.not_before - now for r in (busy, *later)] == [timedelta(seconds=s) for s in (2, 3, 4)]
    assert all(r.attempts == 0 and r.claimed_until is None for r in (busy, *later))


class MovingClock(FixedClock):
    """Sleeping moves it: time passes only through the injected clock."""

    async def sleep(self, seconds):
        self.advance(timedelta(seconds=seconds))


async def test_delivery_waits_out_a_rate_limit_and_finishes(world):
    await queue(world, "a1", "a2", team="T1")
    clock, limited = MovingClock(world.clock.now()), Limited()
    report = await deliver_until_idle(world.db, {"console": limited}, clock)
    assert (report.sent, report.deferred) == (2, 1) and report.next_due is None
    assert clock.now() == world.clock.now() + timedelta(seconds=30)


async def test_a_clock_that_stands_still_gets_one_pass(world):
    await queue(world, "a1", team="T1")
    report = await deliver_until_idle(world.db, {"console": Limited()}, FixedClock(world.clock.now()))
    assert (report.sent, report.deferred) == (0, 1)


async def test_a_send_that_could_outlive_its_lease_is_left_for_later(world):
    await queue(world, "u1", "u2")
    clock = FixedClock(world.clock.now())

    class Slow(ConsoleMessenger):
        async def send_dm(self, team, user_id, message):
            clock.advance(LEASE - LONGEST_SEND)  # the first send takes most of the lease
            return await super().send_dm(team, user_id, message)

    slow = Slow()
    report = await deliver_due(world.db, {"console": slow}, clock)
    first, second = await rows(world)
    assert report.sent == 1 and [d.to for d in slow.delivered] == ["u1"]
    assert second.status == "pending" and second.claimed_until is None


class WaitingClock(FixedClock):
    """Time stands still, but a sleep really waits (a rate limit's window)."""

    sleeping = False

    async def sleep(self, seconds):
        self.sleeping = True
        await asyncio.sleep(3600)


async def test_closing_does_not_wait_out_a_rate_limit(world):
    await queue(world, "a1", team="T1")
    clock = WaitingClock(world.clock.now())
    app = world.build(clock=clock, messengers={"console": Limited()}, immediate_delivery=True,
                      shutdown_grace=0.2)
    app.delivery.soon()
    await until(lambda: clock.sleeping)  # the first pass met the 429 and waits out its window
    async with asyncio.timeout(5):
        await app.close()
    (row,) = await rows_after_close(world)
    assert row.status == "pending" and row.attempts == 0  # still queued for the next tick


async def until(condition, seconds=5):
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.01)


async def rows_after_close(world):
    db = Database(world.db.url)
    try:
        async with db.transaction() as session:
            return (await session.exec(select(Outbox))).all()
    finally:
        await db.dispose()


async def test_a_servers_delivery_gives_way_to_requests_being_answered(world):
    await queue(world, "u1")
    console = ConsoleMessenger()
    app = world.build(messengers={"console": console}, immediate_delivery=True,
                      admission=Admission(patience=60))  # only the end of the burst lets it go
    with app.admission.answering():  # a burst of acknowledgements is under way
        app.delivery.soon()
        await until(lambda: app.admission.giving_way == 1)
        assert console.delivered == []
    async with asyncio.timeout(2):
        await app.delivery.settle()
    assert [d.to for d in console.delivered] == ["u1"]
    await app.close()


async def test_a_row_queued_while_delivery_waits_out_a_window_goes_at_once(world):
    await queue(world, "a1", team="T1")
    limited, clock = Limited(), WaitingClock(world.clock.now())
    app = world.build(clock=clock, messengers={"console": limited}, immediate_delivery=True,
                      shutdown_grace=0.2)
    app.delivery.soon()
    await until(lambda: clock.sleeping)  # T1 answered 429: delivery waits out its 30 s
    await queue(world, "b1", team="T2")
    app.delivery.soon()
    await until(lambda: limited.delivered)
    assert [d.to for d in limited.delivered] == ["b1"]  # T2 did not wait for T1's window
    async with asyncio.timeout(5):
        await app.close()


async def test_rows_queued_while_delivery_gives_way_go_in_the_same_claim(world):
    console = ConsoleMessenger()
    app = world.build(messengers={"console": console}, immediate_delivery=True,
                      admission=Admission(patience=60))
    with app.admission.answering():  # a burst: delivery waits, commands keep queueing
        await queue(world, "u1")
        app.delivery.soon()
        await until(lambda: app.admission.giving_way == 1)
        await queue(world, "u2", team="T2")
        app.delivery.soon()
    async with asyncio.timeout(2):
        await app.delivery.settle()
    sent = await rows(world)
    assert [d.to for d in console.delivered] == ["u1", "u2"]
    assert len({row.claim_token for row in sent}) == 1   # one claim took both
    await app.close()
