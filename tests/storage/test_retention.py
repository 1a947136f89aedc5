"""Data minimisation: every tick deletes interaction edges, inbound event ids and settled
outbox rows past their retention (PRECEPTOR_KEEP_*_DAYS), and nothing younger."""

from datetime import timedelta

from sqlmodel import func, select

from bot.core.messages import Message
from bot.delivery import outbox
from storage.models import InboundEvent, Interaction, Member, Outbox


async def count(world, model, *where) -> int:
    async with world.db.transaction() as session:
        return (await session.exec(select(func.count()).select_from(model).where(*where))).one()


async def seed(world, when, tag: str) -> None:
    """One edge, one inbound event id, and one message of each outbox state, all at `when`."""
    await world.person(f"a{tag}")
    await world.person(f"b{tag}")
    async with world.db.transaction() as session:
        a, b = [(await session.exec(select(Member).where(Member.platform_user_id == u))).one()
                for u in (f"a{tag}", f"b{tag}")]
        session.add(Interaction(member_id=a.id, other_id=b.id, weight=1.0, count=1, last_at=when))
        session.add(InboundEvent(key=f"slack:Ev{tag}", received_at=when))
        for status in ("sent", "failed", "withdrawn", "parked", "pending"):
            await outbox.to_channel(session, workspace_id=a.workspace_id, channel="#x", now=when,
                                    message=Message("hi"), dedupe_key=f"{tag}:{status}")
        await session.flush()
        for row in (await session.exec(select(Outbox).where(
                Outbox.dedupe_key.like(f"{tag}:%")))).all():
            row.status = row.dedupe_key.split(":")[1]


async def test_a_tick_forgets_what_is_past_its_retention_and_keeps_the_rest(world):
    now = world.clock.now()
    await seed(world, now - timedelta(days=400), "old")
    await seed(world, now - timedelta(days=6), "new")
    report = await world.app.tick.run()
    assert await count(world, Interaction) == 1          # the year-old edge went
    assert await count(world, InboundEvent) == 1         # the 400-day-old id went; 6 days stays
    left = {k for k in await _keys(world) if k.startswith(("old:", "new:"))}
    assert left == {"old:parked", "old:pending", "new:sent", "new:failed", "new:withdrawn",
                    "new:parked", "new:pending"}  # parked rows wait for an operator
    assert report.purged == 1 + 1 + 3


async def test_retention_periods_come_from_the_settings(world):
    now = world.clock.now()
    await seed(world, now - timedelta(days=40), "mid")
    # by default: the settled rows (30 days) and the event id (7), not the edge (365)
    assert (await world.app.tick.run()).purged == 4
    settings = world.settings.model_copy(update={"preceptor_keep_interactions_days": 30})
    from bot.app.assembly import build

    app = build(settings, clock=world.clock, messengers={"console": world.messenger})
    try:
        # the edge, at 30 days, and the pending message the first tick sent (40 days old)
        assert (await app.tick.run()).purged == 2
    finally:
        await app.close()
    assert await count(world, Interaction) == 0


async def _keys(world) -> list[str]:
    async with world.db.transaction() as session:
        return list((await session.exec(select(Outbox.dedupe_key).where(
            Outbox.dedupe_key.is_not(None)))).all())
