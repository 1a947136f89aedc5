"""The durable inbox: written before the acknowledgement, worked once by whichever worker is
free, answered after a worker dies, and a replay is not worked twice."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import insert
from sqlmodel import func, select

from bot.app.admission import Admission
from bot.app.inbox_worker import InboxWorker
from bot.core.actor import Actor
from bot.core.errors import BadCommand, PhiRefused
from bot.core.inbox import LEASE, MAX_ATTEMPTS, RETRY_AFTER, SORRY, Received
from bot.core.messages import Message
from storage.models import InboxItem, Outbox, Thanks
from tests.helpers import TEAM


class Edge:
    """The console as an inbox platform: the item's sender, as they typed."""

    def __init__(self):
        self.followed: list[str] = []

    async def actor(self, item: InboxItem) -> Actor:
        return Actor("console", item.team, item.user_id, name=item.user_id.title())

    async def after(self, item: InboxItem, actor: Actor, reply: Message) -> None:
        self.followed.append(item.body.get("after") or "")


def typed(n: int, text: str, who: str = "priya", **more) -> Received:
    return Received(key=f"console:{n}", platform="console", team=TEAM, user_id=who,
                    kind="command", text=text, reply_to=f"https://reply/{n}",
                    reply_for=timedelta(minutes=29), **more)


async def rows(world, model, *where):
    async with world.db.transaction() as session:
        return list((await session.exec(select(model).where(*where))).all())


async def count(world, model, *where) -> int:
    async with world.db.transaction() as session:
        return (await session.exec(select(func.count()).select_from(model).where(*where))).one()


async def work_all(world, worker: InboxWorker, items: int) -> None:
    """Run `worker` until it has taken `items` items and finished them."""
    task = asyncio.create_task(worker.run())
    try:
        async with asyncio.timeout(10):
            while worker.taken < items or worker.busy:
                await asyncio.sleep(0.01)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)  # as the server stops it
        await worker.close(1)


@pytest.fixture
async def people(world):
    await world.person("priya")
    await world.person("lee")
    return world


async def test_a_command_is_written_worked_once_and_answered_where_it_was_asked(people):
    world, edge = people, Edge()
    assert await world.app.inbox.receive(typed(1, "/mentor thanks @lee for the ultrasound tips"))
    assert not await world.app.inbox.receive(typed(1, "/mentor thanks @lee for the ultrasound tips"))
    await work_all(world, InboxWorker(world.app.inbox, {"console": edge}, world.app.admission), 1)

    assert await count(world, Thanks) == 1  # the replay was not worked
    (reply,) = await rows(world, Outbox, Outbox.kind == "reply")
    assert reply.recipients == ["priya"] and reply.reply_to == "https://reply/1"
    assert reply.reply_until == world.clock.now() + timedelta(minutes=29)
    assert "Sent your thanks to @Lee" in Message.from_dict(reply.payload).text.replace("<@lee|Lee>", "@Lee")
    (item,) = await rows(world, InboxItem)
    assert item.status == "done" and item.body == {}  # the words are not kept once worked
    assert edge.followed == [""]


@pytest.mark.parametrize("text, refusal", [
    ("/learn POCUS: scanning Mrs. Alvarez, MRN 00123456", PhiRefused),
    ("/mentor frobnicate", BadCommand),
])
async def test_a_refused_command_is_never_written_down(people, text, refusal):
    with pytest.raises(refusal):
        await people.app.inbox.receive(typed(2, text))
    assert await count(people, InboxItem) == 0


async def test_a_refusal_at_work_is_the_answer_and_undoes_only_the_use_case(people):
    world = people
    await world.app.inbox.receive(typed(3, "/mentor thanks @nobody hello"))
    await work_all(world, InboxWorker(world.app.inbox, {"console": Edge()}, world.app.admission), 1)
    (reply,) = await rows(world, Outbox, Outbox.kind == "reply")
    assert "I don't know who that is" in reply.payload["text"]
    assert (await rows(world, InboxItem))[0].status == "done"  # answered, so not tried again
    assert await count(world, Thanks) == 0


async def test_an_item_whose_worker_died_is_answered_once_by_another(people):
    world = people
    for n in range(5):
        await world.app.inbox.receive(typed(10 + n, f"/mentor thanks @lee for lesson {n}"))
    dead = await world.app.inbox.claim(["console"], 5)  # claimed, then the worker died
    assert len(dead) == 5
    other = world.build()  # a second instance on the same database
    try:
        survivor = InboxWorker(other.inbox, {"console": Edge()}, other.admission)
        task = asyncio.create_task(survivor.run())
        await asyncio.sleep(0.1)
        assert survivor.taken == 0  # still leased to the dead worker
        world.clock.advance(LEASE + timedelta(seconds=1))
        other.inbox.arrived.set()
        async with asyncio.timeout(10):
            while survivor.taken < 5 or survivor.busy:
                await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await survivor.close(1)
    finally:
        await other.close()
    # The "dead" worker was only slow: its late answers find the items no longer its own.
    late = [await world.app.inbox.answer(item, Actor("console", TEAM, "priya")) for item in dead]
    assert late == [None] * 5
    assert await count(world, Thanks) == 5
    assert await count(world, Outbox, Outbox.kind == "reply") == 5


async def test_an_item_that_keeps_failing_is_answered_with_an_apology(people):
    world = people
    async with world.db.transaction() as session:  # written by a version that kept other words
        await session.exec(insert(InboxItem).values(
            key="console:old", platform="console", team=TEAM, user_id="priya", kind="command",
            body={"words": "/mentor status"}, status="pending", attempts=0,
            received_at=world.clock.now()))
    worker = InboxWorker(world.app.inbox, {"console": Edge()}, world.app.admission)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        await work_all(world, worker, attempt)
        world.clock.advance(RETRY_AFTER * attempt + timedelta(seconds=1))
    (item,) = await rows(world, InboxItem)
    assert item.status == "failed" and item.attempts == MAX_ATTEMPTS
    (reply,) = await rows(world, Outbox, Outbox.kind == "reply")
    assert reply.payload["text"] == SORRY


async def test_the_worker_gives_way_while_requests_are_being_answered(people):
    world = people
    admission = Admission(patience=60)
    worker = InboxWorker(world.app.inbox, {"console": Edge()}, admission)
    await world.app.inbox.receive(typed(20, "/mentor status"))
    task = asyncio.create_task(worker.run())
    try:
        with admission.answering():
            async with asyncio.timeout(2):
                while admission.giving_way == 0:
                    await asyncio.sleep(0.01)
            assert worker.taken == 0
        async with asyncio.timeout(5):
            while worker.taken < 1 or worker.busy:
                await asyncio.sleep(0.01)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)  # as the server stops it
        await worker.close(1)


async def test_worked_items_are_kept_a_day_against_replays_then_forgotten(people):
    world = people
    await world.app.inbox.receive(typed(7, "/mentor thanks @lee for the chest tube"))
    await work_all(world, InboxWorker(world.app.inbox, {"console": Edge()}, world.app.admission), 1)
    world.clock.advance(timedelta(hours=23))
    assert (await world.app.tick.run()).forgotten == 0
    assert not await world.app.inbox.receive(typed(7, "/mentor thanks @lee for the chest tube"))
    world.clock.advance(timedelta(hours=2))
    assert (await world.app.tick.run()).forgotten == 1
    assert await count(world, InboxItem) == 0


async def test_items_arriving_together_are_written_together_and_a_replay_among_them_once(people):
    world = people
    items = [typed(100 + n % 25, f"/mentor thanks @lee for case review {n % 25}") for n in range(30)]
    new = await asyncio.gather(*[world.app.inbox.receive(item) for item in items])
    assert sum(new) == 25 and new[:25] == [True] * 25  # the five replays came last
    assert await count(world, InboxItem) == 25
