"""What every benchmark shares: where results go, and the machine they were measured on."""

import json
import os
import platform
import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.python_implementation()} " \
           f"{platform.python_version()}, {platform.system()}"


def record(name: str, figures: dict) -> None:
    """Write `figures` to results/<name>.json and into results/latest.json under `name`."""
    RESULTS.mkdir(exist_ok=True)
    figures = {"machine": machine(), **figures}
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
    latest_path = RESULTS / "latest.json"
    latest = json.loads(latest_path.read_text()) if latest_path.exists() else {}
    latest[name] = figures
    latest_path.write_text(json.dumps(dict(sorted(latest.items())), indent=2) + "\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def backend(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def fresh_database(url: str | None, folder: str, name: str) -> str:
    """An empty database for one run: a SQLite file in `folder`, or on the PostgreSQL server
    of `url` a database `bench_<name>` dropped and created again (never `url`'s own)."""
    if not url or not url.startswith("postgresql"):
        return f"sqlite:///{folder}/{name}.db"
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(url)
    with psycopg.connect(server.set(drivername="postgresql").render_as_string(False),
                         autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS bench_{name}")
        conn.execute(f"CREATE DATABASE bench_{name}")
    return server.set(database=f"bench_{name}").render_as_string(False)
