"""Workspace events are written down as they come and folded in batches: a batch gives what
folding its events one at a time would, in order (departures where they fall); a retry is
written once; nothing is folded twice; the folder gives way to people."""

import asyncio
import random
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, event
from sqlmodel import func, select

from bot.app.admission import Admission
from bot.app.fold_worker import FoldWorker
from bot.matching.familiarity import Observation
from storage.engine import sync_url
from storage.models import AspectSignal, ChannelMember, Expertise, Interaction, Member, ObservedEvent

PEOPLE = ("ana", "ben", "cho", "dev", "eli")
CHANNELS = ("C1", "C2", "C3")


def random_events(rng: random.Random, n: int) -> list[tuple[Observation, timedelta]]:
    """Every kind, repeats, self-mentions, the aspect's words in some replies; each after a
    pause of up to 40 days (so weights decay between them)."""
    events = []
    for _ in range(n):
        who, channel = rng.choice(PEOPLE), rng.choice(CHANNELS)
        others = tuple(rng.choices(PEOPLE, k=rng.randint(1, 3)))
        kind = rng.choice(["reply", "reply", "mention", "reaction", "joined", "left", "roster"])
        words = rng.choice(["", "tilt the probe for the FAST exam", "thanks!"])
        observation = {
            "reply": Observation("reply", who, others[:1], channel, words),
            "mention": Observation("mention", who, others, channel),
            "reaction": Observation("reaction", who, others[:1], channel),
            "joined": Observation("joined", who, channel=channel),
            "left": Observation("left", who, channel=channel),
            "roster": Observation("roster", "", tuple(set(others)), channel),
        }[kind]
        events.append((observation, timedelta(days=rng.choice([0, 0, 1, 40]))))
    return events


async def familiarity(world) -> dict:
    """Everything folded into this world's workspace, by people's platform ids."""
    async with world.db.transaction() as session:
        ids = dict((await session.exec(select(Member.id, Member.platform_user_id).where(
            Member.workspace_id == (await world_workspace(session, world))))).all())
        edges = {(ids[e.member_id], ids[e.other_id]): (round(e.weight, 9), e.count, e.threads,
                                                       e.channel, e.last_at)
                 for e in (await session.exec(select(Interaction))).all() if e.member_id in ids}
        channels = {(c.channel, ids[c.member_id]) for c in (await session.exec(
            select(ChannelMember))).all() if c.member_id in ids}
        signals = {(ids[s.member_id], s.aspect_id, s.answers, s.last_at) for s in (
            await session.exec(select(AspectSignal))).all() if s.member_id in ids}
        inferred = {(ids[x.member_id], x.aspect_id, x.weight) for x in (
            await session.exec(select(Expertise))).all() if x.member_id in ids}
    return {"people": set(ids.values()), "edges": edges, "channels": channels,
            "signals": signals, "inferred": inferred}


async def world_workspace(session, world) -> int:
    from storage.models import Workspace

    return (await session.exec(select(Workspace.id).where(Workspace.external_id == world.team))).one()


@pytest.mark.parametrize("seed", range(6))
async def test_a_batch_folds_as_its_events_one_by_one(world_factory, seed):
    events = random_events(random.Random(seed), 30)
    one_by_one, batched = await world_factory(), await world_factory()
    for observation, pause in events:  # each folded as it comes
        one_by_one.clock.advance(pause)
        await one_by_one.observe(observation)
    for observation, pause in events:  # the same moments, all folded at the end
        batched.clock.advance(pause)
        await batched.app.events.observe("console", batched.team, observation)
    assert await batched.fold() == len(events)
    expected = await familiarity(one_by_one)
    assert expected["edges"] and expected["channels"]  # the sequence exercises them
    assert await familiarity(batched) == expected


async def test_weights_decay_to_each_event_within_one_batch(world):
    await world.app.events.observe("console", world.team, Observation("reply", "ana", ("ben",), "C1"))
    world.clock.advance(timedelta(days=90))  # one half-life
    await world.app.events.observe("console", world.team, Observation("reaction", "ben", ("ana",), "C2"))
    await world.fold()
    edges = (await familiarity(world))["edges"]
    assert edges[("ana", "ben")][:4] == edges[("ben", "ana")][:4] == (0.8, 2, 1, "C2")  # 1/2 + 0.3


async def test_a_retry_is_written_once_and_folded_once(world):
    mention = Observation("mention", "ana", ("ben",), "C1")
    for _ in range(2):
        await world.app.events.observe("console", world.team, mention, event_key="slack:Ev1:mention")
    await world.fold()
    await world.app.events.observe("console", world.team, mention, event_key="slack:Ev1:mention")
    assert await world.fold() == 0
    async with world.db.transaction() as session:
        assert (await session.exec(select(func.count()).select_from(ObservedEvent))).one() == 1
    assert (await familiarity(world))["edges"][("ana", "ben")][1] == 1


async def test_an_observation_is_committed_before_observe_returns(world, db_url):
    await world.app.events.observe("console", world.team, Observation("joined", "ana", channel="C1"))
    # Read at once, from another connection and without yielding to the event loop (as a
    # restarted instance would find it): nothing left for a background task to finish.
    elsewhere = create_engine(sync_url(db_url))
    try:
        with elsewhere.connect() as connection:
            (row,) = connection.execute(select(ObservedEvent.__table__)).all()
    finally:
        elsewhere.dispose()
    assert (row.kind, row.user_id, row.channel, row.folded_at) == ("joined", "ana", "C1", None)


async def test_a_batch_costs_a_handful_of_statements(world):
    for n in range(200):
        await world.app.events.observe("console", world.team, Observation(
            ("reply", "mention", "reaction", "joined")[n % 4], f"u{n % 40}", (f"u{(n * 7) % 40}",),
            f"C{n % 5}", "the FAST exam" if n % 8 == 0 else ""))
    statements = []
    event.listen(world.db.engine.sync_engine, "before_cursor_execute", lambda _c, _cur, statement,
                 *_: statement.startswith("BEGIN") or statements.append(statement))
    assert await world.fold() == 200
    # The workspace and 40 people are new: take, workspace (3), members (3), memberships,
    # edges (2), answers (2), inferred expertise, mark folded; then an empty take. On
    # PostgreSQL each transaction also takes the folders' lock.
    locks = 2 if world.db.engine.dialect.name == "postgresql" else 0
    assert len(statements) <= 16 + locks, statements


async def test_the_folder_gives_way_to_people_then_folds(world):
    requests, people = Admission(), Admission(patience=5)
    folder = FoldWorker(world.app.events, world.db, world.clock, requests=requests, people=people)
    await world.app.events.observe("console", world.team, Observation("joined", "ana", channel="C1"))
    with people.answering():  # a command being worked
        running = asyncio.create_task(folder.run())
        async with asyncio.timeout(5):
            while not people.giving_way:
                await asyncio.sleep(0)
        assert folder.folded == 0
    try:
        async with asyncio.timeout(5):
            while folder.folded < 1:
                await asyncio.sleep(0.01)
    finally:
        running.cancel()
    assert (await familiarity(world))["channels"] == {("C1", "ana")}


async def test_without_polling_the_folder_opens_no_transaction_until_something_arrives(world):
    """On SQLite an idle write transaction stales every reader's snapshot (their next write
    fails at once), so a folder that does not poll touches the database only when woken."""
    statements = []
    event.listen(world.db.engine.sync_engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: statements.append(statement))
    folder = FoldWorker(world.app.events, world.db, world.clock, requests=Admission(),
                        people=Admission(), poll=None)
    running = asyncio.create_task(folder.run())
    try:
        await asyncio.sleep(0.3)  # (an absence has no state to wait on; a poller's first
        assert statements == []   # take would be under way within milliseconds)
        await world.app.events.observe("console", world.team, Observation("joined", "ana", channel="C1"))
        async with asyncio.timeout(5):
            while folder.folded < 1:
                await asyncio.sleep(0.01)
    finally:
        running.cancel()
