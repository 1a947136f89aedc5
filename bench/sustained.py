"""Sustained capacity as a person feels it: a closed loop in which each of `--clients`
colleagues sends a signed command and waits for its private answer before sending the next,
against `preceptor serve` (the answer is the reply at the command's response URL, after the
work, or the acknowledgement itself when it carries the answer: a read-only command) and, in
the same run, a bare Bolt app that only acknowledges (its answer is the ack).
A 2,000-person roster is imported first, 300 of them offering five curated aspects, so `/learn`
ranks real candidates. 200 of them type, each known to the bot already (the warm-up has each
ask for their status once); every `/learn` is a fresh request (a new person or aspect).

    python -m bench.sustained [--seconds 15] [--clients 8] [--database URL]
"""

import argparse
import asyncio
import csv
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

from bench.ack import FLOOR, wait_up
from bench.common import ROOT, backend, free_port, fresh_database, record
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_client import SECRET, sign

MENTOR_FLOOR = """@app.command("/mentor")
async def mentor(ack):
    await ack()
"""
PEOPLE = 2000
ASPECTS = ("Point-of-care ultrasound", "Central line placement", "Lumbar puncture",
           "Breaking bad news", "Sepsis management")
ACTIVE = 200  # the people typing: each has used the bot before (their profile is known)
COMMANDS = {"status": ("/mentor", lambda n: "status"),
            "learn": ("/learn", lambda n: f"{ASPECTS[n // ACTIVE % len(ASPECTS)]}: nights")}


class Answers:
    """A local endpoint for response URLs: each command's answer resolves its own future."""

    def __init__(self):
        self.waiting: dict[str, asyncio.Future] = {}

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/r/{key}", self._answer)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        port = free_port()
        await web.TCPSite(self.runner, "127.0.0.1", port).start()
        return f"http://127.0.0.1:{port}/r/"

    async def _answer(self, request: web.Request) -> web.Response:
        future = self.waiting.pop(request.match_info["key"], None)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())
        return web.json_response({"ok": True})


def roster(path: str) -> None:
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["platform_user_id", "name", "email", "role", "specialty", "department",
                      "site", "career_start_year", "mentor_aspects", "capacity"])
        for i in range(PEOPLE):
            mentor = i % 7 == 0 and i < 2100
            out.writerow([f"U{i}", f"Person {i}", "", "attending" if mentor else "resident",
                          ("Internal Medicine", "Surgery", "Emergency Medicine")[i % 3], "",
                          ("Main campus", "North")[i % 2], 2000 + i % 24 if mentor else 2024,
                          ";".join(ASPECTS) if mentor else "", 3])


async def loop(url: str, answers: Answers | None, base: str, kind: str, clients: int,
               seconds: float, numbers) -> dict:
    """`clients` colleagues, each waiting for its answer before the next command."""
    command, text = COMMANDS[kind]
    latencies, acks, errors = [], [], 0
    deadline = time.perf_counter() + seconds

    async def colleague(session):
        nonlocal errors
        while time.perf_counter() < deadline and (n := next(numbers, None)) is not None:
            key = f"{kind}{n}"
            data = urlencode({"team_id": "T1", "user_id": f"U{n % ACTIVE}", "command": command,
                              "text": text(n), "channel_id": "D1", "trigger_id": f"t{key}",
                              "response_url": base + key})
            started = time.perf_counter()
            if answers is not None:
                answers.waiting[key] = asyncio.get_running_loop().create_future()
            async with session.post(url, data=data, headers={
                    "Content-Type": "application/x-www-form-urlencoded", **sign(data)}) as response:
                said = await response.read()
                acks.append(time.perf_counter() - started)
                if response.status != 200:
                    errors += 1
                    continue
                # A read-only command may be answered in the acknowledgement itself.
                in_ack = bool(said) and response.content_type == "application/json"
            if answers is not None and in_ack:
                answers.waiting.pop(key, None)
            elif answers is not None:
                try:
                    await asyncio.wait_for(answers.waiting[key], 30) if key in answers.waiting else None
                except TimeoutError:
                    errors += 1
                    continue
            latencies.append(time.perf_counter() - started)

    async with aiohttp.ClientSession() as session:
        start = time.perf_counter()
        await asyncio.gather(*(colleague(session) for _ in range(clients)))
        took = time.perf_counter() - start
    quantile = lambda xs, q: round(1000 * statistics.quantiles(xs, n=100)[q - 1], 1)  # noqa: E731
    return {"answered_rps": round(len(latencies) / took, 1), "answered": len(latencies),
            "errors": errors, "answer_p50_ms": quantile(latencies, 50),
            "answer_p99_ms": quantile(latencies, 99), "ack_p99_ms": quantile(acks, 99)}


async def hospital(database: str, folder: str, fake: FakeSlack) -> dict:
    """The environment of a server on `database` (migrated) holding the roster, imported."""
    env = {**os.environ, "DATABASE_URL": database, "SLACK_BOT_TOKEN": "xoxb-bench",
           "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": f"{fake.url}/api/",
           "PRECEPTOR_CHANNEL": "C1"}
    roster(f"{folder}/staff.csv")
    for step in (["db", "upgrade"], ["import-roster", f"{folder}/staff.csv", "--team", "T1"]):
        done = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.app.cli", *step, cwd=ROOT, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        await done.wait()
    return env


async def preceptor(env: dict):
    """`preceptor serve` on a free port: its process and its Slack URL."""
    port = free_port()
    return await serving([sys.executable, "-m", "bot.app.cli", "serve", "--host", "127.0.0.1",
                          "--port", str(port)], env, port)


async def serving(command: list[str], env: dict, port: int):
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env,
                                                   stdout=asyncio.subprocess.DEVNULL,
                                                   stderr=asyncio.subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/slack/events"
    await wait_up(url)
    return process, url


async def profiled(pid: int, args, kind: str):
    """py-spy attached to the server for the measured seconds (collapsed stacks), if asked."""
    if not args.profile:
        return None
    return await asyncio.create_subprocess_exec(
        str(ROOT / ".venv/bin/py-spy"), "record", "--pid", str(pid), "-r", "200", "-f", "raw",
        "-d", str(int(args.seconds)), "-o", f"{args.profile}-{kind}.txt",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


async def main_async(args) -> None:
    fake, answers = FakeSlack(), Answers()
    await fake.start()
    base = await answers.start()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        env = await hospital(fresh_database(args.database, folder, "sustained"), folder, fake)
        numbers, warm = itertools.count(), itertools.count(10**6)  # keys (and trigger ids) unique
        for kind in [args.only] if args.only else COMMANDS:
            row = {}
            for name, command in (
                    ("bare Bolt (ack only)", [sys.executable, "-c", FLOOR.replace(
                        "async def events", MENTOR_FLOOR + "async def events")]),
                    ("preceptor serve", [sys.executable, "-m", "bot.app.cli", "serve", "--host",
                                         "127.0.0.1"])):
                port = free_port()
                extra = [str(port), SECRET, f"{fake.url}/api/"] if name.startswith("bare") \
                    else ["--port", str(port)]
                process, url = await serving(command + extra, env, port)
                try:
                    await loop(url, None if name.startswith("bare") else answers, base, "status",
                               args.clients, 60, itertools.islice(warm, ACTIVE))  # everyone once
                    spy = await profiled(process.pid, args, kind) if not name.startswith("bare") else None
                    row[name] = await loop(url, None if name.startswith("bare") else answers, base,
                                           kind, args.clients, args.seconds, numbers)
                    if spy:
                        await spy.wait()
                finally:
                    process.terminate()
                    await process.wait()
            row["ratio"] = round(row["preceptor serve"]["answered_rps"]
                                 / row["bare Bolt (ack only)"]["answered_rps"], 2)
            print(kind, json.dumps(row))
            results[kind] = row
    await answers.runner.cleanup()
    await fake.stop()
    kind = backend(args.database or "")
    record(f"sustained-{kind}", {"backend": kind, "clients": args.clients, "people": PEOPLE,
                                 **results})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database")
    parser.add_argument("--profile", help="record the server with py-spy into PROFILE-<kind>.txt")
    parser.add_argument("--only", choices=list(COMMANDS), help="measure one command only")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
