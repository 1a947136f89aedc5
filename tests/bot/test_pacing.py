"""Pacing shared by every instance: one conversation's sends keep under the platform's limit
however many deliverers there are; other conversations are not held up."""

import asyncio
from datetime import timedelta

from bot.core.clock import FixedClock
from bot.delivery.loop import deliver_due
from bot.delivery.pacing import Pace, next_slot, take_slot
from handlers.console.messenger import ConsoleMessenger
from storage.engine import Database
from tests.bot.test_delivery import queue, rows
from tests.conftest import START

SLACK = Pace(per_second=1.0, burst=2)


def test_a_burst_then_one_interval_apart_then_a_burst_again_after_quiet():
    tat, sent = START, []
    for tenth in range(60):  # someone tries to send every 0.1 s for 6 s
        allowed, value = next_slot(tat, START + timedelta(seconds=tenth / 10), SLACK)
        if allowed:
            tat = value
            sent.append(tenth / 10)
    assert sent == [0.0, 0.1, 1.0, 2.0, 3.0, 4.0, 5.0]
    quiet = START + timedelta(seconds=60)
    first, after = next_slot(tat, quiet, SLACK)
    assert first and next_slot(after, quiet, SLACK)[0]  # the whole burst again
    assert not next_slot(after + SLACK.interval, quiet, SLACK)[0]


def test_a_refused_send_is_told_when_it_may_go():
    now = START
    tat = now + timedelta(seconds=3)  # three sends ahead
    allowed, when = next_slot(tat, now, SLACK)
    assert not allowed and when == now + timedelta(seconds=2)
    assert next_slot(tat, when, SLACK)[0]


async def test_instances_taking_slots_at_once_share_one_budget(world, db_url):
    """Four instances (their own engines) ask for slots in one conversation at the same
    moment, five times each: the burst goes, the rest are told to wait, in order."""
    now = world.clock.now()
    instances = [Database(db_url) for _ in range(4)]
    try:
        answers = await asyncio.gather(*[take_slot(db, "1:C1", SLACK, now)
                                         for db in instances for _ in range(5)])
        other = await take_slot(instances[0], "1:C2", SLACK, now)
    finally:
        for db in instances:
            await db.dispose()
    assert answers.count(None) == SLACK.burst
    assert {w for w in answers if w} == {now + timedelta(seconds=1)}  # none taken: all wait
    assert other is None  # another channel has its own budget


class Channel(ConsoleMessenger):
    """A console with Slack's pace, remembering when (on the business clock) each send went."""

    pace = SLACK

    def __init__(self, clock):
        super().__init__()
        self.clock, self.times = clock, []

    async def send_dm(self, team, user_id, message):
        self.times.append(self.clock.now())
        return await super().send_dm(team, user_id, message)


async def test_three_deliverers_keep_one_conversation_under_its_limit(world, db_url):
    await queue(world, *["ward"] * 12, "u1", "u2", team="T1")
    clock = FixedClock(world.clock.now())
    sent = Channel(clock)
    instances = [Database(db_url) for _ in range(3)]
    try:
        for _ in range(48):  # 12 s in quarter seconds, all three delivering each step
            await asyncio.gather(*[deliver_due(db, {"console": sent}, clock, batch=4)
                                   for db in instances])
            clock.advance(timedelta(seconds=0.25))
    finally:
        for db in instances:
            await db.dispose()
    to_ward = [t for t, d in zip(sent.times, sent.delivered, strict=True) if d.to == "ward"]
    assert len(to_ward) == 12 and len(sent.delivered) == 14  # nothing lost or repeated
    for first in to_ward:  # never more than the burst in any second, and 1 a second sustained
        assert sum(first <= t < first + SLACK.interval for t in to_ward) <= SLACK.burst
    assert to_ward[-1] - to_ward[0] >= SLACK.interval * (len(to_ward) - SLACK.burst)
    others = [t for t, d in zip(sent.times, sent.delivered, strict=True) if d.to != "ward"]
    assert max(others) < world.clock.now() + timedelta(seconds=1)  # not held up by the ward
    assert all(r.status == "sent" and r.attempts == 0 for r in await rows(world))
