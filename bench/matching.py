"""Matching at scale and quality, against two baselines run in the same command.

A synthetic hospital: departments, sites, role tracks and seniority; teams of ~50 who talk
mostly among themselves (interaction edges, ~20 per person); a few percent of staff who
declared each aspect; and for every test request a *planted* right mentor: same team and
specialty, 3–8 years ahead, declared the aspect, already talking with the mentee. Quality is
how often the top 3 contain the planted mentor:

- preceptor: `bot.matching.suggest`, the real engine on the real schema (SQLite);
- random: three people chosen at random among those who declared the aspect;
- expertise-only: keyword match on the declared aspect, most senior first.

    python -m bench.matching [--sizes 1000 10000 100000] [--requests 60]
"""

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from bench.common import record
from bot.app.cli import prepare_database
from bot.matching.ranking import suggest
from storage.engine import Database
from storage.models import Member

NOW = datetime(2026, 12, 1, 14, tzinfo=UTC)
SPECIALTIES = ["Internal Medicine", "Emergency Medicine", "Surgery", "Pediatrics", "Obstetrics",
               "Critical Care", "Cardiology", "Oncology", "Neurology", "Psychiatry", "Radiology",
               "Anesthesiology", "Family Medicine", "Geriatrics", "Nephrology", "Pharmacy"]
SITES = ["Main campus", "North campus", "South clinic", "Children's"]
ROLES = ["resident", "attending", "fellow", "nurse", "np", "pa", "pharmacist", "student"]
TEAM_SIZE, EDGES_PER_PERSON, DECLARE_SHARE, ASPECTS = 50, 24, 0.05, 40


def _ts(when: datetime) -> str:
    return when.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def generate(path: Path, staff: int, requests: int, seed: int = 7) -> list[tuple[int, int, int]]:
    """Fill the SQLite file at `path`; returns (mentee id, aspect id, planted mentor id)."""
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("INSERT INTO workspace (platform, external_id, name, active, created_at) "
               "VALUES ('console', 'bench', '', 1, ?)", (_ts(NOW),))
    aspect_ids = [r[0] for r in db.execute(
        "SELECT id FROM aspect WHERE curated = 1 ORDER BY id LIMIT ?", (ASPECTS,))]
    teams = staff // TEAM_SIZE
    people = []  # (id, team, specialty, site, role, year)
    rows = []
    for n in range(staff):
        team = n % teams
        specialty, site = SPECIALTIES[team % len(SPECIALTIES)], SITES[(team // 3) % len(SITES)]
        role, year = rng.choice(ROLES), rng.randint(1985, 2026)
        people.append((n + 1, team, specialty, site, role, year))
        rows.append((1, f"U{n}", f"Staff {n}", role, specialty, site, year, 2, 21, 7, "UTC",
                     _ts(NOW), _ts(NOW - timedelta(days=rng.randint(0, 120)))))
    db.executemany(
        "INSERT INTO member (workspace_id, platform_user_id, name, role, specialty, site, "
        "career_start_year, capacity, quiet_start_hour, quiet_end_hour, tz, paused, "
        "unreachable, created_at, last_active_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,0,0,?,?)", rows)
    by_team: dict[int, list[int]] = {}
    for pid, team, *_ in people:
        by_team.setdefault(team, []).append(pid)
    edges: dict[tuple[int, int], float] = {}
    for pid, team, *_ in people:
        mates = by_team[team]
        for _ in range(EDGES_PER_PERSON // 2):
            other = rng.choice(mates) if rng.random() < 0.8 else rng.randint(1, staff)
            if other != pid:
                w = rng.uniform(0.3, 3)
                edges[(pid, other)] = edges[(other, pid)] = w
    expertise = {(pid, a) for pid, *_ in people for a in aspect_ids
                 if rng.random() < DECLARE_SHARE / 4}
    plants = []
    for _ in range(requests):
        mentee = rng.choice(people)
        aspect = rng.choice(aspect_ids)
        mates = [p for p in by_team[mentee[1]] if p != mentee[0]]
        planted = rng.choice(mates)
        db.execute("UPDATE member SET role='resident', career_start_year=2025 WHERE id=?",
                   (mentee[0],))
        db.execute("UPDATE member SET role='attending', specialty=?, site=?, "
                   "career_start_year=? WHERE id=?",
                   (mentee[2], mentee[3], 2025 - rng.randint(3, 8), planted))
        expertise.add((planted, aspect))
        w = rng.uniform(2, 4)
        edges[(planted, mentee[0])] = edges[(mentee[0], planted)] = w
        plants.append((mentee[0], aspect, planted))
    db.executemany("INSERT INTO expertise (member_id, aspect_id, source, weight, updated_at) "
                   "VALUES (?, ?, 'declared', 1.0, ?)", [(p, a, _ts(NOW)) for p, a in expertise])
    db.executemany(
        "INSERT INTO interaction (member_id, other_id, weight, count, threads, last_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(a, b, w, max(1, int(w * 2)), int(w), _ts(NOW - timedelta(days=10)))
         for (a, b), w in edges.items()])
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return plants


def baselines(path: Path, plants, rng: random.Random) -> dict[str, float]:
    db = sqlite3.connect(path)
    hits = {"random": 0, "expertise-only": 0}
    for mentee, aspect, planted in plants:
        declared = [r for r in db.execute(
            "SELECT m.id, m.career_start_year FROM member m JOIN expertise e ON e.member_id = m.id "
            "WHERE e.aspect_id = ? AND m.id != ?", (aspect, mentee))]
        ids = [r[0] for r in declared]
        hits["random"] += planted in rng.sample(ids, min(3, len(ids)))
        senior = sorted(declared, key=lambda r: r[1])[:3]
        hits["expertise-only"] += planted in [r[0] for r in senior]
    db.close()
    return {k: v / len(plants) for k, v in hits.items()}


async def rank_all(url: str, plants) -> tuple[list[float], float]:
    db = Database(url)
    timings, hits = [], 0
    async with db.transaction() as session:
        mentees = {m.id: m for m in (await session.exec(
            select(Member).where(Member.id.in_([p[0] for p in plants])))).all()}
    for warm in plants[:5]:  # warm caches and the connection pool
        async with db.transaction() as session:
            await suggest(session, mentee=mentees[warm[0]], aspect_id=warm[1], aspect_name="x",
                          now=NOW)
    for mentee, aspect, planted in plants:
        start = time.perf_counter()
        async with db.transaction() as session:
            found = await suggest(session, mentee=mentees[mentee], aspect_id=aspect,
                                  aspect_name="x", now=NOW)
        timings.append((time.perf_counter() - start) * 1000)
        hits += planted in [s.mentor.id for s in found]
    await db.dispose()
    return timings, hits / len(plants)


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for staff in args.sizes:
            path = Path(folder) / f"h{staff}.db"
            started = time.perf_counter()
            prepare_database(f"sqlite:///{path}")
            plants = generate(path, staff, args.requests)
            built = time.perf_counter() - started
            timings, quality = asyncio.run(rank_all(f"sqlite:///{path}", plants))
            base = baselines(path, plants, random.Random(1))
            edges = sqlite3.connect(path).execute("SELECT count(*) FROM interaction").fetchone()[0]
            row = {"staff": staff, "edges": edges, "requests": len(plants),
                   "p50_ms": round(percentile(timings, 50), 2),
                   "p95_ms": round(percentile(timings, 95), 2),
                   "top3_planted": {"preceptor": round(quality, 3),
                                    **{k: round(v, 3) for k, v in base.items()}},
                   "build_s": round(built, 1)}
            results.append(row)
            print(json.dumps(row))
    if len(results) > 1:
        growth = results[-1]["p95_ms"] / results[-2]["p95_ms"]
        print(f"p95 growth {results[-2]['staff']} → {results[-1]['staff']} staff: {growth:.2f}×")
    record("matching", {"backend": "sqlite", "results": results})


if __name__ == "__main__":
    main()
