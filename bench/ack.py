"""Acknowledgement speed of signed `/learn` commands over HTTP: `preceptor serve` against a
bare Bolt AsyncApp that only acks (the framework floor), in the same run.

Both servers run as their own processes on this machine; Slack's Web API is a local fake.
Reports the acknowledgement throughput of a burst (requests/s with 20 in flight, the median
of 3 rounds of 1,000, each started once the server has replied to everything before), the
rate at which `preceptor serve` finished the work (replies/s over the same rounds) and, at a
steady 50 requests/s, the p50 and p99 time to the acknowledgement and the errors.

    python -m bench.ack [--seconds 60] [--rate 50] [--database URL]
"""

import argparse
import asyncio
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from urllib.parse import urlencode

import aiohttp

from bench.common import ROOT, backend, free_port, fresh_database, record
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_client import SECRET, sign

FLOOR = """
import sys
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.adapter.aiohttp import to_bolt_request, to_aiohttp_response
from slack_sdk.web.async_client import AsyncWebClient
app = AsyncApp(signing_secret=sys.argv[2], token="xoxb-bench",
               client=AsyncWebClient(token="xoxb-bench", base_url=sys.argv[3]))
@app.command("/learn")
async def learn(ack):
    await ack()
async def events(request):
    return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))
web_app = web.Application()
web_app.router.add_post("/slack/events", events)
web.run_app(web_app, port=int(sys.argv[1]), print=None, access_log=None)
"""


RESPONSE_URL = ""  # the fake Web API's, set when it starts
TRIGGERS = itertools.count()  # Slack's trigger ids are unique; a repeated one is a replay


def body(n: int) -> str:
    return urlencode({"team_id": "T1", "user_id": f"U{n % 500}", "command": "/learn",
                      "text": f"POCUS: FAST exams, group {n % 37}", "channel_id": "D1",
                      "response_url": RESPONSE_URL, "trigger_id": f"t{next(TRIGGERS)}"})


async def post(session, url: str, n: int) -> tuple[float, int]:
    data = body(n)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(data)}
    start = time.perf_counter()
    try:
        async with session.post(url, data=data, headers=headers) as response:
            await response.read()
            status = response.status
    except aiohttp.ClientError:
        status = 0
    return (time.perf_counter() - start) * 1000, status


async def throughput(url: str, requests: int, in_flight: int = 20) -> float:
    numbers = itertools.count()
    async with aiohttp.ClientSession() as session:
        async def worker():
            while (n := next(numbers)) < requests:
                await post(session, url, n)
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        return requests / (time.perf_counter() - start)


async def steady(url: str, rate: int, seconds: int) -> dict:
    results = []
    async with aiohttp.ClientSession() as session:
        start = time.perf_counter()
        tasks = []
        for n in range(rate * seconds):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post(session, url, 100000 + n)))
        results = await asyncio.gather(*tasks)
    latencies = sorted(r[0] for r in results)
    return {"requests": len(results), "errors": sum(r[1] != 200 for r in results),
            "p50_ms": round(statistics.median(latencies), 1),
            "p99_ms": round(statistics.quantiles(latencies, n=100)[98], 1)}


async def wait_up(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            try:
                async with session.get(url.replace("/slack/events", "/healthz")) as r:
                    if r.status in (200, 404, 405):
                        return
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
    raise RuntimeError("server did not start")


async def replies_settled(fake: FakeSlack | None, expected: int, patience: float = 20) -> None:
    """Wait until `expected` replies reached Slack (all the work is done), or no new reply has
    come for `patience` seconds (the row's `unanswered` then says how many never came)."""
    last, seen = time.perf_counter(), -1
    while fake and (count := sum(c.method == "response_url" for c in fake.calls)) < expected:
        if count != seen:
            last, seen = time.perf_counter(), count
        if time.perf_counter() - last > patience:
            return
        await asyncio.sleep(0.05)


async def measure(name: str, command: list[str], env: dict, port: int, args,
                  fake: FakeSlack | None = None) -> dict:
    """`fake`: the server replies to each command there, and each round starts only once
    every reply of the one before has arrived (so each measures a burst on an idle server)."""
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env,
                                                   stdout=asyncio.subprocess.DEVNULL,
                                                   stderr=asyncio.subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        await wait_up(url)
        sent = 100
        await throughput(url, sent)  # warm up
        await replies_settled(fake, sent)
        rounds, done = [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            rounds.append(round(await throughput(url, args.requests), 1))
            sent += args.requests
            await replies_settled(fake, sent)
            done.append(args.requests / (time.perf_counter() - start))
        unanswered = sent - sum(c.method == "response_url" for c in fake.calls) if fake else 0
        row = {"server": name, "throughput_rps": statistics.median(rounds),
               "throughput_rounds": rounds, **await steady(url, args.rate, args.seconds)}
        if fake:
            row["replied_rps"] = round(statistics.median(done), 1)
            row["unanswered"] = unanswered
    finally:
        process.terminate()
        await process.wait()
    print(json.dumps(row))
    return row


async def main_async(args) -> None:
    global RESPONSE_URL
    fake = FakeSlack()
    await fake.start()
    RESPONSE_URL = fake.response_url("bench")
    with tempfile.TemporaryDirectory() as folder:
        url = fresh_database(args.database, folder, "ack")
        subprocess_env = {**os.environ, "DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-bench",
                          "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": f"{fake.url}/api/",
                          "PRECEPTOR_CHANNEL": "C1"}
        upgrade = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.app.cli", "db", "upgrade", cwd=ROOT, env=subprocess_env,
            stdout=asyncio.subprocess.DEVNULL)
        await upgrade.wait()
        floor_port, serve_port = free_port(), free_port()
        floor = await measure("bare Bolt (ack only)", [sys.executable, "-c", FLOOR,
                              str(floor_port), SECRET, f"{fake.url}/api/"],
                              subprocess_env, floor_port, args)
        serve = await measure("preceptor serve", [sys.executable, "-m", "bot.app.cli", "serve",
                              "--host", "127.0.0.1", "--port", str(serve_port)],
                              subprocess_env, serve_port, args, fake)
    await fake.stop()
    ratio = serve["throughput_rps"] / floor["throughput_rps"]
    print(f"preceptor / floor throughput: {ratio:.2f}×")
    kind = backend(args.database or "")
    record(f"ack-{kind}", {"backend": kind, "floor": floor, "preceptor": serve,
                           "throughput_ratio": round(ratio, 2)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
