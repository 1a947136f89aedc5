"""Finding due work: how long one tick takes to find and claim the check-ins due among
1,000,000 mentorships, on SQLite and on PostgreSQL, against the same at 10,000 (the
baseline, same run), with the query plan of the claim.

0.1% of mentorships are due (active, next check-in passed); the rest are active and not yet
due, paused or wrapped up. Timed: the claim of one batch (find, lock, rolled back, 20 runs)
and a whole `tick` that prompts every due pair (no platform connected, so nothing is sent).

    python -m bench.due [--sizes 10000 1000000] [--database URL]
"""

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bench.common import backend, fresh_database, record
from bot.app.assembly import build
from bot.app.cli import prepare_database
from bot.app.settings import Settings
from bot.core.clock import FixedClock
from bot.core.tick import BATCH
from storage.engine import Database
from storage.models import Aspect, Member, Mentorship, Workspace
from storage.queries.mentorships import claim_due_mentorships

NOW = datetime(2026, 12, 1, 14, tzinfo=UTC)
DUE_SHARE = 0.001
MEMBERS = 20_000


async def seed(db: Database, size: int) -> int:
    """`size` mentorships among MEMBERS people; returns how many are due at NOW."""
    rng = random.Random(size)
    async with db.engine.begin() as conn:
        ws = (await conn.execute(insert(Workspace).values(
            platform="slack", external_id="T1", name="", active=True, digest_quarter="2026Q4",
            rosters_read_at=NOW, created_at=NOW).returning(Workspace.id))).scalar_one()
        aspects = list((await conn.execute(select(Aspect.id))).scalars())
        await conn.execute(insert(Member), [
            {"workspace_id": ws, "platform_user_id": f"U{n}", "name": f"P{n}", "capacity": 3,
             "tz": "UTC", "quiet_start_hour": 0, "quiet_end_hour": 0, "paused": False,
             "unreachable": False, "quarterly_digest": False, "created_at": NOW}
            for n in range(MEMBERS)])
        ids = list((await conn.execute(select(Member.id))).scalars())
    due = 0
    for start in range(0, size, 50_000):
        rows = []
        for n in range(start, min(size, start + 50_000)):
            mentor, mentee = ids[n % MEMBERS], ids[(n // MEMBERS + 1 + n) % MEMBERS]
            is_due = rng.random() < DUE_SHARE
            due += is_due
            status = "active" if is_due else rng.choice(["active", "active", "paused", "wrapped"])
            rows.append({
                "mentor_id": mentor, "mentee_id": mentee,
                "aspect_id": aspects[n // MEMBERS % len(aspects)],  # so every triple is new
                "reasons": [], "cadence_days": 14, "status": status, "silent_rounds": 0,
                "rounds": 0, "started_at": NOW - timedelta(days=30),
                "next_checkin_at": NOW - timedelta(minutes=rng.randint(1, 600)) if is_due
                else NOW + timedelta(minutes=rng.randint(1, 20_000))})
        async with db.engine.begin() as conn:
            await conn.execute(insert(Mentorship), rows)
    return due


async def plan(db: Database) -> list[str]:
    query = (select(Mentorship).where(Mentorship.status == "active",
                                      Mentorship.next_checkin_at <= NOW)
             .order_by(Mentorship.next_checkin_at).limit(BATCH))
    async with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        compiled = query.compile(dialect=conn.dialect)
        explain = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
        params = compiled.construct_params()
        if compiled.positiontup:  # SQLite's "?" placeholders
            params = tuple(params[k] for k in compiled.positiontup)
        result = await conn.exec_driver_sql(explain + str(compiled), params)
        return [" ".join(str(c) for c in row if c is not None) for row in result]


async def measure(url: str, size: int) -> dict:
    await asyncio.to_thread(prepare_database, url)
    db = Database(url)
    started = time.perf_counter()
    due = await seed(db, size)
    seeded = time.perf_counter() - started
    claims = []
    for _ in range(20):
        async with AsyncSession(db.engine) as session:  # rolled back: nothing changes
            start = time.perf_counter()
            await claim_due_mentorships(session=session, now=NOW, limit=BATCH)
            claims.append(time.perf_counter() - start)
            await session.rollback()
    query_plan = await plan(db)
    await db.dispose()
    app = build(Settings(database_url=url), clock=FixedClock(NOW), messengers={})
    start = time.perf_counter()
    report = await app.tick.run()
    tick_seconds = time.perf_counter() - start
    await app.close()
    row = {"mentorships": size, "due": due, "prompted": report.checkins,
           "claim_p50_ms": round(1000 * statistics.median(claims), 2),
           "claim_max_ms": round(1000 * max(claims), 2),
           "tick_s": round(tick_seconds, 2), "plan": query_plan, "seed_s": round(seeded, 1)}
    print(row)
    return row


async def main_async(args) -> None:
    kind = backend(args.database or "")
    with tempfile.TemporaryDirectory() as folder:
        rows = [await measure(fresh_database(args.database, folder, f"due{size}"), size)
                for size in args.sizes]
    growth = rows[-1]["claim_p50_ms"] / rows[0]["claim_p50_ms"]
    print(f"claim p50 {rows[0]['mentorships']:,} → {rows[-1]['mentorships']:,}: {growth:.2f}×")
    record(f"due-{kind}", {"backend": kind, "results": rows, "claim_growth": round(growth, 2)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--database", help="PostgreSQL server URL (default: a SQLite file)")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
