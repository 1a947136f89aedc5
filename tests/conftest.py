"""Every storage and scheduling test runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

import os
import shutil
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlmodel import SQLModel

from bot.app.cli import prepare_database
from storage.engine import sync_url
from tests.helpers import World

PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgres"] if PG_URL else ["sqlite"]
START = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # 09:00 in New York, a Tuesday


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.db"
    prepare_database(f"sqlite:///{path}")
    return path


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own database beside TEST_DATABASE_URL's
    (test_gw0, test_gw1…), created on first use, so parallel workers never clean each other's rows."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(sync_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_ready():
    url = _worker_database(PG_URL)
    engine = create_engine(sync_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    prepare_database(url)
    return url


def _clean_postgres(url: str) -> None:
    """Remove every row the tests made, keeping the curated aspects the migration seeded."""
    engine = create_engine(sync_url(url))
    with engine.begin() as conn:
        conn.execute(text(
            "DELETE FROM aspectsynonym WHERE aspect_id IN "
            "(SELECT id FROM aspect WHERE workspace_id IS NOT NULL)"
        ))
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name == "aspect":
                conn.execute(text("DELETE FROM aspect WHERE workspace_id IS NOT NULL"))
            elif table.name != "aspectsynonym":
                conn.execute(table.delete())
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A migrated, seeded, empty database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_ready")
    _clean_postgres(url)
    return url


@pytest.fixture
async def world(db_url):
    world = World(db_url, START)
    yield world
    await world.close()


@pytest.fixture
async def world_factory(db_url):
    """Fresh worlds on one database, each its own workspace (for property-based tests)."""
    import itertools

    made, numbers = [], itertools.count()

    async def make() -> World:
        made.append(World(db_url, START, team=f"P{next(numbers)}"))
        return made[-1]

    yield make
    for world in made:
        await world.close()
