"""Run Alembic migrations from code (`preceptor db upgrade`), no alembic.ini needed."""

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from storage.engine import sync_url

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision`; safe to run on every start."""
    command.upgrade(alembic_config(url), revision)


@cache  # the migrations on disk do not change while the process runs
def head() -> str:
    """The latest revision this version's migrations reach."""
    latest = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert latest, "storage/migrations/versions has no head"
    return latest


def revisions(conn: Connection) -> tuple[str | None, str]:
    """The schema revision of the database on `conn` (None when it has none) and the latest."""
    return MigrationContext.configure(conn).get_current_revision(), head()
