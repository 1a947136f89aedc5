"""Before anything runs: the settings and the database, checked, with every mistake an
operator can make answered in one line that names the setting and the fix (never a
traceback, never a silently empty database)."""

import logging
import sqlite3
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.app.settings import Settings
from storage.engine import CONNECT_TIMEOUT_SECONDS, sync_url
from storage.migrate import revisions

log = logging.getLogger(__name__)


class OperatorError(Exception):
    """A mistake in how Preceptor is set up: the message is the whole story."""


def settings(**overrides) -> Settings:
    """The settings, or one line per setting that is wrong."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise OperatorError("\n".join(_setting_problem(e) for e in error.errors())) from None


def _setting_problem(error: dict) -> str:
    name = str(error["loc"][0]).upper() if error["loc"] else "a setting"
    why = error["msg"].removeprefix("Value error, ")
    return f"{name}={error.get('input')!s}: {why} (set it in .env or the environment)"


def shown(url: str) -> str:
    """The database URL as it may be logged: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def database(url: str) -> str:
    """Check that the database exists, answers and is migrated to this version's schema;
    returns the revision. `preceptor db upgrade` is the fix for the last two."""
    current, head = current_and_head(url, create=False)
    if current is None:
        raise OperatorError(f"DATABASE_URL: the database at {shown(url)} has no Preceptor tables: "
                            "run `preceptor db upgrade` to create them")
    if current != head:
        raise OperatorError(f"DATABASE_URL: the database at {shown(url)} is at revision {current}, "
                            f"this version needs {head}: back it up (README, Backups), then run "
                            "`preceptor db upgrade`")
    return current


def current_and_head(url: str, *, create: bool) -> tuple[str | None, str]:
    """The database's schema revision (None: no schema) and the latest; a SQLite file that
    does not exist is only made when `create`."""
    parsed = make_url(url)
    sqlite_file = parsed.get_backend_name() == "sqlite" and parsed.database
    if sqlite_file and not create and not Path(parsed.database).exists():
        raise OperatorError(f"DATABASE_URL: there is no database at {parsed.database}: run "
                            "`preceptor db upgrade` to create it there, or point DATABASE_URL "
                            "at the existing one")
    engine = create_engine(sync_url(url), connect_args=_timeout(url))
    try:
        with engine.connect() as conn:
            return revisions(conn)
    except OperationalError as error:
        raise OperatorError(_connection_problem(url, error)) from None
    finally:
        engine.dispose()


def backup(url: str, target: Path | None) -> str:
    """A consistent copy of a SQLite database taken while the bot runs (SQLite's online
    backup API: writers carry on); PostgreSQL's is `pg_dump`, which says so."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise OperatorError("preceptor db backup copies SQLite databases; for PostgreSQL use "
                            f"pg_dump --format=custom --file=preceptor.dump '{shown(url)}' (README, Backups)")
    if target is None:
        raise OperatorError("name the file to write: preceptor db backup /backups/preceptor-$(date +%F).db")
    if target.exists():
        raise OperatorError(f"{target} exists already: name a new file, so no backup is overwritten")
    current_and_head(url, create=False)  # the source exists and opens
    source, copy = sqlite3.connect(parsed.database), sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
    finally:
        source.close()
        copy.close()
    return f"backed up {parsed.database} to {target} ({target.stat().st_size:,} bytes)"


def _timeout(url: str) -> dict:
    return {"connect_timeout": CONNECT_TIMEOUT_SECONDS} if url.startswith("postgresql") else {}


def _connection_problem(url: str, error: OperationalError) -> str:
    """What the driver said, reduced to its one meaningful line, with what to check."""
    said = str(error.orig).strip().splitlines()[0]
    said = said.split("failed: ")[-1].removeprefix("FATAL:").strip()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"DATABASE_URL: cannot open the SQLite database {parsed.database} ({said})"
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    hint = ("is the server running there, and does the firewall let this machine in?"
            if "refused" in said or "timeout" in said or "resolve" in said else
            "check the user, password and database name in it")
    return f"DATABASE_URL: cannot connect to PostgreSQL at {where} ({said}): {hint}"
