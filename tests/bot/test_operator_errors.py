"""Every configuration, connection and migration mistake is one line naming the setting and
the fix, with exit status 2, never a traceback; `db upgrade` says what it did."""

import json
import logging
import sqlite3

import pytest
from sqlalchemy import create_engine, text

from bot.app.cli import main
from storage.engine import sync_url
from storage.migrate import head, upgrade
from tests.conftest import PG_URL


@pytest.fixture
def preceptor(tmp_path, monkeypatch, capsys):
    """`preceptor …` in an empty folder (no .env), returning (status, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # main() configures logging
    monkeypatch.setattr(root, "level", root.level)
    for name in ("DATABASE_URL", "LOG_LEVEL", "LOG_FORMAT", "PRECEPTOR_CHECKIN_DAYS"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str, **env: str) -> tuple[int, str, str]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        status = main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    return run


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.removeprefix("preceptor: ").strip()


@pytest.mark.parametrize("env, said", [
    ({"DATABASE_URL": "mysql://root@db/preceptor"},
     "DATABASE_URL=mysql://root@db/preceptor: use sqlite:///path/to/preceptor.db or "
     "postgresql://user@host/database (set it in .env or the environment)"),
    ({"PRECEPTOR_CHECKIN_DAYS": "0"},
     "PRECEPTOR_CHECKIN_DAYS=0: Input should be greater than or equal to 1 (set it in .env or "
     "the environment)"),
    ({"LOG_LEVEL": "loud"},
     "LOG_LEVEL=LOUD: Input should be '', 'DEBUG', 'INFO', 'WARNING' or 'ERROR' (set it in .env "
     "or the environment)"),
    ({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/preceptor"},
     "DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:1 (Connection refused): is the "
     "server running there, and does the firewall let this machine in?"),
])
def test_a_wrong_setting_or_an_unreachable_server_is_one_line(preceptor, env, said):
    status, _, err = preceptor("tick", **env)
    assert status == 2 and one_line(err) == said


def test_starting_elsewhere_never_opens_an_empty_database(preceptor, tmp_path):
    status, _, err = preceptor("report")
    assert status == 2 and one_line(err) == (
        f"DATABASE_URL: there is no database at {tmp_path / 'preceptor.db'}: run `preceptor db "
        "upgrade` to create it there, or point DATABASE_URL at the existing one")
    assert not (tmp_path / "preceptor.db").exists()


def test_a_database_never_migrated_or_left_behind_says_to_upgrade(preceptor, tmp_path):
    sqlite3.connect(tmp_path / "preceptor.db").close()  # an empty file
    status, _, err = preceptor("tick")
    assert status == 2 and one_line(err) == (
        f"DATABASE_URL: the database at sqlite:///{tmp_path / 'preceptor.db'} has no Preceptor "
        "tables: run `preceptor db upgrade` to create them")
    upgrade(f"sqlite:///{tmp_path / 'preceptor.db'}", "0012")
    status, _, err = preceptor("tick")
    assert status == 2 and f"is at revision 0012, this version needs {head()}: back it up" in one_line(err)


def test_db_upgrade_says_what_it_did_each_time(preceptor, tmp_path):
    where = f"sqlite:///{tmp_path / 'preceptor.db'}"
    upgrade(where, "0013")
    assert preceptor("db", "upgrade")[1] == (
        f"upgraded {where} from revision 0013 to {head()}; added 215 curated aspects\n")
    assert preceptor("db", "upgrade")[1] == f"{where} is already at revision {head()}, the latest\n"
    status, out, _ = preceptor("tick")
    assert status == 0 and out.startswith("expired asks: 0")


@pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL")
def test_postgres_urls_as_hosts_write_them_are_accepted(preceptor):
    engine = create_engine(sync_url(PG_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS preceptor_scheme"))
        conn.execute(text("CREATE DATABASE preceptor_scheme"))
    url = PG_URL.replace("postgresql://", "postgres://").rsplit("/", 1)[0] + "/preceptor_scheme"
    try:
        status, out, _ = preceptor("db", "upgrade", DATABASE_URL=url)
        assert status == 0 and out.startswith("created the schema")
    finally:
        with engine.connect() as conn:
            conn.execute(text("DROP DATABASE preceptor_scheme WITH (FORCE)"))
        engine.dispose()


def test_version_and_help_on_every_argument(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("preceptor 0.")
    from bot.app.cli import _parser

    parser = _parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in commands.items():
        for action in sub._actions:
            assert action.help, f"preceptor {name} {action.dest} has no help"


def test_json_logs_carry_the_request_id(preceptor, tmp_path, capsys):
    from bot.app import logs
    from bot.app.settings import Settings

    logs.configure(Settings(_env_file=None, log_format="json", log_level="info"), "tick")
    token = logs.request_id.set("req-7")
    logging.getLogger("preceptor.test").info("hello %s", "there")
    logs.request_id.reset(token)
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert {k: line[k] for k in ("level", "logger", "request_id", "message")} == {
        "level": "INFO", "logger": "preceptor.test", "request_id": "req-7", "message": "hello there"}


def test_db_backup_copies_a_live_sqlite_database_and_never_overwrites(preceptor, tmp_path):
    preceptor("db", "upgrade")
    live = sqlite3.connect(tmp_path / "preceptor.db")
    live.execute("BEGIN IMMEDIATE")  # a writer mid-transaction: the backup is of what committed
    live.execute("DELETE FROM aspectsynonym")
    status, out, _ = preceptor("db", "backup", str(tmp_path / "copy.db"))
    live.rollback()
    live.close()
    assert status == 0 and out.startswith(f"backed up {tmp_path / 'preceptor.db'} to {tmp_path / 'copy.db'}")
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT count(*) FROM aspect WHERE curated").fetchone() == (215,)
    assert copy.execute("SELECT count(*) FROM aspectsynonym").fetchone()[0] > 215
    copy.close()
    status, _, err = preceptor("db", "backup", str(tmp_path / "copy.db"))
    assert status == 2 and one_line(err).endswith("exists already: name a new file, so no backup "
                                                  "is overwritten")
