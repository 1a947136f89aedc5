"""The image and compose file, as far as a machine without a container engine allows: the
Dockerfile passes hadolint, the wheel it installs carries every data file, the entrypoint
migrates and serves outside a container, and compose wires the bot to a healthy PostgreSQL."""

import asyncio
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import aiohttp
import pytest
import yaml

from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_the_dockerfile_passes_hadolint_and_runs_as_a_user():
    done = subprocess.run([BIN / "hadolint", "--failure-threshold", "info", "Dockerfile"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    stages = [line for line in lines if line.startswith("FROM ")]
    assert len(stages) == 2 and "AS build" in stages[0] and "COPY --from=build" in "\n".join(lines)
    (user,) = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert not user.startswith(("0", "root"))
    assert any(line.startswith("HEALTHCHECK") for line in lines)


def test_the_installed_package_carries_every_data_file(tmp_path):
    """A non-editable install (the image's) finds its taxonomy, gazetteers, pages, migrations."""
    subprocess.run([BIN / "pip", "wheel", "-q", "--no-deps", "-w", tmp_path, ROOT], check=True,
                   capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(["git", "ls-files", "bot", "handlers", "storage"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    assert tracked, "not a git checkout"
    assert sorted(set(tracked) - shipped) == []


async def test_the_entrypoint_migrates_then_serves_and_stops_on_sigterm(tmp_path):
    port = _free_port()
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(tmp_path), "PORT": str(port),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'preceptor.db'}", "LOG_FORMAT": "json"}
    server = await asyncio.create_subprocess_exec(
        "sh", ROOT / "docker" / "entrypoint.sh", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        ready = await _until_ready(f"http://127.0.0.1:{port}/readyz", server)
        assert ready == {"database": "ok"}
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(server.communicate(), 30)
    assert server.returncode == 0, err.decode()
    assert out.decode().startswith("created the schema")
    again = subprocess.run(["sh", ROOT / "docker" / "entrypoint.sh", "tick"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stdout.startswith("expired asks: 0")


def test_compose_runs_the_bot_on_a_healthy_postgres():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    db, bot = compose["services"]["db"], compose["services"]["bot"]
    assert db["image"].startswith("postgres:") and "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql://preceptor:")
    assert "@db:5432/preceptor" in bot["environment"]["DATABASE_URL"]
    assert "/readyz" in " ".join(bot["healthcheck"]["test"]) and bot["build"] == "."


@pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL")
def test_instances_starting_together_migrate_once_each_in_turn():
    from sqlalchemy import create_engine, text

    from storage.engine import sync_url
    from storage.migrate import head

    admin = create_engine(sync_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS preceptor_race WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE preceptor_race"))
    url = PG_URL.rsplit("/", 1)[0] + "/preceptor_race"
    try:
        env = {**os.environ, "DATABASE_URL": url}
        starts = [subprocess.Popen([sys.executable, "-m", "bot.app.cli", "db", "upgrade"], cwd=ROOT,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for _ in range(3)]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in starts]
        assert [code for code, _ in results] == [0, 0, 0], results
        engine = create_engine(sync_url(url))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head()
            assert conn.execute(text("SELECT count(*) FROM aspect WHERE curated")).scalar() == 215
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE preceptor_race WITH (FORCE)"))
        admin.dispose()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _until_ready(url: str, server, timeout: float = 60) -> dict:
    async with asyncio.timeout(timeout), aiohttp.ClientSession() as session:
        while True:
            assert server.returncode is None, (await server.stderr.read()).decode()
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return await response.json()
            except aiohttp.ClientConnectorError:
                pass
            await asyncio.sleep(0.1)
