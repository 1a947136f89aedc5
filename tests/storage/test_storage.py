"""Storage on each backend: UTC datetimes, SQLite settings, migrations, constraints."""

import asyncio
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from bot.app.cli import prepare_database
from storage.engine import Database, sync_url
from storage.migrate import upgrade
from storage.models import Aspect, LearningRequest, Member, Mentorship, Workspace

NOW = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


@pytest.fixture
async def db(db_url):
    database = Database(db_url)
    yield database
    await database.dispose()


async def people(db, n=2):
    async with db.transaction() as session:
        ws = Workspace(platform="console", external_id="S", created_at=NOW)
        session.add(ws)
        await session.flush()
        members = [Member(workspace_id=ws.id, platform_user_id=f"u{i}", created_at=NOW)
                   for i in range(n)]
        session.add_all(members)
        await session.flush()
        return [m.id for m in members]


async def test_datetimes_come_back_aware_utc(db):
    (member_id,) = await people(db, 1)
    local = datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    async with db.transaction() as session:
        (await session.get(Member, member_id)).paused_until = local
    async with db.transaction() as session:
        stored = (await session.get(Member, member_id)).paused_until
    assert stored == local and stored.tzinfo is not None and stored.utcoffset() == timedelta(0)


async def test_naive_datetimes_are_refused(db):
    (member_id,) = await people(db, 1)
    with pytest.raises(Exception, match="naive datetime"):
        async with db.transaction() as session:
            (await session.get(Member, member_id)).paused_until = datetime(2026, 12, 1)


async def test_one_live_mentorship_per_mentor_mentee_and_aspect(db):
    mentor, mentee = await people(db)
    async with db.transaction() as session:
        aspect_id = (await session.exec(select(Aspect.id))).first()

    def pair(status="active"):
        return Mentorship(mentor_id=mentor, mentee_id=mentee, aspect_id=aspect_id, status=status,
                          next_checkin_at=NOW, started_at=NOW)

    async with db.transaction() as session:
        session.add(pair())
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            session.add(pair("paused"))
    async with db.transaction() as session:
        (await session.exec(select(Mentorship))).one().status = "wrapped"
    async with db.transaction() as session:
        session.add(pair())
    async with db.transaction() as session:
        assert (await session.exec(select(func.count()).select_from(Mentorship))).one() == 2


async def test_one_live_mentorship_per_request_whoever_the_mentor(db):
    mentor, other, mentee = await people(db, 3)
    async with db.transaction() as session:
        aspect_id = (await session.exec(select(Aspect.id))).first()
        request = LearningRequest(member_id=mentee, aspect_id=aspect_id, created_at=NOW)
        session.add(request)
        await session.flush()

    def pair(mentor_id, status="active"):
        return Mentorship(mentor_id=mentor_id, mentee_id=mentee, aspect_id=aspect_id, status=status,
                          request_id=request.id, next_checkin_at=NOW, started_at=NOW)

    async with db.transaction() as session:
        session.add(pair(mentor))
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            session.add(pair(other))
    async with db.transaction() as session:
        session.add(pair(other, "wrapped"))  # a wrapped pair does not count


@pytest.fixture
def empty_url(db_url, tmp_path):
    """A database with no schema at all, on the same backend as `db_url`."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin = create_engine(sync_url(db_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS test_empty"))
        conn.execute(text("CREATE DATABASE test_empty"))
    yield db_url.rsplit("/", 1)[0] + "/test_empty"
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS test_empty WITH (FORCE)"))
    admin.dispose()


def test_the_migration_to_one_mentorship_per_request_keeps_both_pairs_of_an_old_race(empty_url):
    """Two live pairs on one request (what the race left) survive the upgrade; the later one
    goes on as a pair of its own, and the index holds from then on."""
    upgrade(empty_url, "0009")
    engine = create_engine(sync_url(empty_url))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO workspace (platform, external_id, name, active, created_at)"
                          " VALUES ('console', 'S', '', true, :t)"), {"t": NOW})
        for n in range(3):
            conn.execute(text(
                "INSERT INTO member (workspace_id, platform_user_id, name, capacity, tz, "
                "quiet_start_hour, quiet_end_hour, paused, unreachable, quarterly_digest, created_at)"
                " VALUES (1, :u, '', 2, 'UTC', 21, 7, false, false, true, :t)"), {"u": f"u{n}", "t": NOW})
        conn.execute(text("INSERT INTO aspect (slug, name, category, curated) "
                          "VALUES ('x', 'X', 'other', false)"))
        conn.execute(text("INSERT INTO learningrequest (member_id, aspect_id, details, public, "
                          "another_perspective, status, created_at) VALUES (3, 1, '', true, false, "
                          "'matched', :t)"), {"t": NOW})
        for mentor in (1, 2):
            conn.execute(text(
                "INSERT INTO mentorship (mentor_id, mentee_id, aspect_id, request_id, reasons, "
                "cadence_days, status, next_checkin_at, silent_rounds, rounds, started_at) VALUES "
                "(:m, 3, 1, 1, '[]', 14, 'active', :t, 0, 0, :t)"), {"m": mentor, "t": NOW})
    upgrade(empty_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT mentor_id, request_id, status FROM mentorship ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(1, 1, "active"), (2, None, "active")]


def test_the_quality_migration_schedules_running_pairs_and_flags_none_of_the_old_at_once(empty_url):
    """Pairs running before surveys existed: first survey at day 30, last heard at their last
    answered check-in (a silent round is no answer), old ones that never met counted as
    flagged already (no burst of messages to the lead), wrapped ones recorded as wrapped."""
    upgrade(empty_url, "0016")
    engine = create_engine(sync_url(empty_url))
    now = datetime.now(UTC)
    old, recent = now - timedelta(days=60), now - timedelta(days=5)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO workspace (platform, external_id, name, active, created_at)"
                          " VALUES ('console', 'S', '', true, :t)"), {"t": NOW})
        for n in range(2):
            conn.execute(text(
                "INSERT INTO member (workspace_id, platform_user_id, name, capacity, tz, affiliation, "
                "quiet_start_hour, quiet_end_hour, paused, unreachable, quarterly_digest, created_at)"
                " VALUES (1, :u, '', 2, 'UTC', 'member', 21, 7, false, false, true, :t)"),
                {"u": f"u{n}", "t": NOW})
        for slug in ("x", "y", "z"):
            conn.execute(text("INSERT INTO aspect (slug, name, category, curated) "
                              "VALUES (:s, :s, 'other', false)"), {"s": slug})
        for started, status, aspect in ((old, "active", 1), (recent, "active", 2), (old, "wrapped", 1),
                                        (old, "active", 3)):
            conn.execute(text(
                "INSERT INTO mentorship (mentor_id, mentee_id, aspect_id, reasons, cadence_days, status, "
                "next_checkin_at, silent_rounds, rounds, started_at) VALUES "
                "(1, 2, :a, '[]', 14, :s, :t, 0, 0, :t)"), {"a": aspect, "s": status, "t": started})
        for pair, n, (outcome, answered) in ((1, 1, ("not_yet", old + timedelta(days=14))),
                                             (1, 2, ("silent", old + timedelta(days=28))),
                                             (4, 1, ("met", old + timedelta(days=14)))):
            conn.execute(text("INSERT INTO checkin (mentorship_id, round, asked_at, outcome, answered_at) "
                              "VALUES (:p, :n, :t, :o, :a)"),
                         {"p": pair, "n": n, "t": old, "o": outcome, "a": answered})
    upgrade(empty_url)
    db = Database(empty_url)
    try:
        rows = asyncio.run(_pairs(db))
    finally:
        asyncio.run(db.dispose())
        engine.dispose()
    (first, second, third, fourth) = rows
    assert first.next_survey_at == old + timedelta(days=30) and first.heard_at == old + timedelta(days=14)
    assert first.flagged_at is not None and second.flagged_at is None
    assert fourth.flagged_at is None  # it met: nothing to flag, then or later
    assert second.heard_at == recent and second.next_survey_at == recent + timedelta(days=30)
    assert (third.end_reason, third.next_survey_at, first.end_reason) == ("wrapped", None, None)


async def _pairs(db: Database) -> list[Mentorship]:
    async with db.transaction() as session:
        return list((await session.exec(select(Mentorship).order_by(Mentorship.id))).all())


def test_migrations_build_exactly_the_models(db_url):
    engine = create_engine(sync_url(db_url))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == []


async def test_upgrade_is_repeatable_and_seeds_the_taxonomy_once(db_url, db):
    async with db.transaction() as session:
        before = (await session.exec(select(func.count()).select_from(Aspect))).one()
    await asyncio.to_thread(prepare_database, db_url)
    async with db.transaction() as session:
        after = (await session.exec(select(func.count()).select_from(Aspect))).one()
    assert before == after >= 150


async def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path, sqlite_template):
    import shutil

    path = tmp_path / "x.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    async with database.transaction() as session:
        mode = (await session.exec(text("PRAGMA journal_mode"))).one()[0]
        keys = (await session.exec(text("PRAGMA foreign_keys"))).one()[0]
        busy = (await session.exec(text("PRAGMA busy_timeout"))).one()[0]
    assert (mode, keys) == ("wal", 1) and busy >= 5000
    with pytest.raises(IntegrityError):
        async with database.transaction() as session:
            session.add(Member(workspace_id=999, platform_user_id="orphan", created_at=NOW))
    await database.dispose()


WORKER = textwrap.dedent("""
    import asyncio, sys
    from storage.engine import Database
    from storage.models import Member

    async def main(url, member_id, rounds):
        db = Database(url)
        for _ in range(rounds):
            async with db.transaction() as session:
                member = await session.get(Member, member_id)
                await asyncio.sleep(0)
                member.capacity = member.capacity + 1
        await db.dispose()

    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
""")


async def test_concurrent_read_modify_write_loses_no_update_on_sqlite(tmp_path, sqlite_template):
    import shutil

    path = tmp_path / "race.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    db = Database(url)
    (member_id,) = await people(db, 1)
    async with db.transaction() as session:
        (await session.get(Member, member_id)).capacity = 0
    workers, rounds = 6, 40
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, url, str(member_id), str(rounds)])
        for _ in range(workers)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * workers
    async with db.transaction() as session:
        assert (await session.get(Member, member_id)).capacity == workers * rounds
    await db.dispose()
