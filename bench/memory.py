"""Memory: peak resident memory of `preceptor serve` holding 100,000 staff profiles (about
2 million interaction edges) while it serves signed `/learn` commands that rank mentors among
them, against the bare Bolt ack-only app (the framework floor) serving the same requests in
the same run.

Peak is the kernel's high-water mark (VmHWM) of each server process after the load.

    python -m bench.memory [--staff 100000] [--requests 1000]
"""

import argparse
import asyncio
import itertools
import os
import sqlite3
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

from bench import ack
from bench.common import ROOT, free_port, record
from bench.matching import generate
from bot.app.cli import prepare_database
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_client import SECRET, sign


def kilobytes(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


async def load(url: str, staff: int, aspects: list[str], requests: int, response_url: str):
    """Signed /learn commands from staff across the workspace, 10 in flight."""
    numbers = itertools.count()
    async with aiohttp.ClientSession() as session:
        async def worker():
            while (n := next(numbers)) < requests:
                data = urlencode({
                    "team_id": "T1", "user_id": f"U{(n * 7919) % staff}", "command": "/learn",
                    "text": f"{aspects[n % len(aspects)]}: bench {n}", "channel_id": "D1",
                    "response_url": response_url, "trigger_id": f"t{n}"})
                headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(data)}
                async with session.post(url, data=data, headers=headers) as response:
                    await response.read()
        await asyncio.gather(*(worker() for _ in range(10)))


async def measure(name: str, command: list[str], env: dict, port: int, args, staff, aspects,
                  response_url: str, fake_for_replies: FakeSlack | None = None) -> dict:
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env,
                                                   stdout=asyncio.subprocess.DEVNULL,
                                                   stderr=asyncio.subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        await ack.wait_up(url)
        idle = kilobytes(process.pid, "VmRSS")
        await load(url, staff, aspects, args.requests, response_url)
        if fake_for_replies:  # the peak counts all the work queued after the acks
            await ack.replies_settled(fake_for_replies, args.requests)
        row = {"server": name, "idle_rss_mb": round(idle / 1024, 1),
               "peak_rss_mb": round(kilobytes(process.pid, "VmHWM") / 1024, 1)}
    finally:
        process.terminate()
        await process.wait()
    print(row)
    return row


async def main_async(args) -> None:
    fake = FakeSlack()
    await fake.start()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "memory.db"
        await asyncio.to_thread(prepare_database, f"sqlite:///{path}")
        await asyncio.to_thread(generate, path, args.staff, 10)
        with sqlite3.connect(path) as db:
            db.execute("UPDATE workspace SET platform = 'slack', external_id = 'T1'")
            aspects = [r[0] for r in db.execute(
                "SELECT DISTINCT a.name FROM aspect a JOIN expertise e ON e.aspect_id = a.id")]
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "SLACK_BOT_TOKEN": "xoxb-bench",
               "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": f"{fake.url}/api/",
               "PRECEPTOR_CHANNEL": "C1"}
        floor_port, serve_port = free_port(), free_port()
        common = (args, args.staff, aspects, fake.response_url("bench"))
        floor = await measure("bare Bolt (ack only)", [sys.executable, "-c", ack.FLOOR,
                              str(floor_port), SECRET, f"{fake.url}/api/"], env, floor_port,
                              *common)
        serve = await measure("preceptor serve", [sys.executable, "-m", "bot.app.cli", "serve",
                              "--host", "127.0.0.1", "--port", str(serve_port)],
                              env, serve_port, *common, fake)
    await fake.stop()
    answered = sum(c.method == "response_url" for c in fake.calls)
    print(f"peak RSS: preceptor {serve['peak_rss_mb']} MB, floor {floor['peak_rss_mb']} MB "
          f"({serve['peak_rss_mb'] / floor['peak_rss_mb']:.2f}×); {answered} replies")
    record("memory", {"backend": "sqlite", "staff": args.staff, "requests": args.requests,
                      "replies": answered, "floor": floor, "preceptor": serve})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
