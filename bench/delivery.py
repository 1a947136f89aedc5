"""Delivery under Slack's rate limits: 10,000 due check-ins (20,000 DMs, one to each side)
through a local fake Web API that enforces chat.postMessage's limits: about 1 a second per
channel with short bursts, a cap per minute for the workspace, and 429 with Retry-After beyond
them. Run twice: straight through, and with the delivering `preceptor tick` killed (SIGKILL)
a third of the way through and restarted at once. With `--instances 3` (PostgreSQL), three
deliverers at once share each channel's pace and the workspace's cap; one of them is killed.

Reports the achieved rate as a share of the allowed rate (messages sent in each full minute
window against the cap), the 429s drawn, duplicates and losses.

    python -m bench.delivery [--checkins 10000] [--per-minute 6000] [--database URL] [--instances N]
"""

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from bench.common import ROOT, backend, fresh_database, record
from bot.app.cli import prepare_database
from storage.engine import Database
from storage.models import Aspect, Member, Mentorship, Workspace
from tests.e2e.fake_slack import FakeSlack, PostLimits
from tests.e2e.slack_client import SECRET

MENTEES_PER_MENTOR = (1, 2, 3)  # cycled: a mentor's DM channel gets up to three prompts


async def seed(url: str, checkins: int) -> None:
    """`checkins` active pairs due a minute ago, in one Slack workspace, everyone awake."""
    now = datetime.now(UTC)
    db = Database(url)
    async with db.engine.begin() as conn:
        ws = (await conn.execute(insert(Workspace).values(
            platform="slack", external_id="T1", name="Bench", active=True,
            digest_quarter=f"{now.year}Q{(now.month - 1) // 3 + 1}", rosters_read_at=now,
            created_at=now).returning(Workspace.id))).scalar_one()
        aspect = (await conn.execute(select(Aspect.id).limit(1))).scalar_one()
        pairs, mentor = [], 0
        while len(pairs) < checkins:
            for _ in range(MENTEES_PER_MENTOR[mentor % 3]):
                pairs.append((f"M{mentor}", f"E{len(pairs)}"))
            mentor += 1
        people = sorted({p for pair in pairs[:checkins] for p in pair})
        await conn.execute(insert(Member), [
            {"workspace_id": ws, "platform_user_id": p, "name": p, "capacity": 3, "tz": "UTC",
             "quiet_start_hour": 0, "quiet_end_hour": 0, "paused": False, "unreachable": False,
             "quarterly_digest": False, "created_at": now} for p in people])
        ids = dict((await conn.execute(select(Member.platform_user_id, Member.id))).all())
        await conn.execute(insert(Mentorship), [
            {"mentor_id": ids[m], "mentee_id": ids[e], "aspect_id": aspect, "reasons": [],
             "cadence_days": 14, "status": "active", "silent_rounds": 0, "rounds": 0,
             "next_checkin_at": now - timedelta(minutes=1), "started_at": now}
            for m, e in pairs[:checkins]])
    await db.dispose()


def tick(env: dict) -> asyncio.subprocess.Process:
    return asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.app.cli", "tick", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


async def run(url: str, args, crash: bool) -> dict:
    await asyncio.to_thread(prepare_database, url)
    await seed(url, args.checkins)
    limits = PostLimits(per_minute=args.per_minute)
    fake = FakeSlack(limits=limits)
    await fake.start()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_"))},
           "DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": f"{fake.url}/api/"}
    started = time.monotonic()
    processes = [await tick(env) for _ in range(args.instances)]
    crashes = 0
    if crash:
        while len(limits.accepted) < args.checkins * 2 // 3:
            await asyncio.sleep(0.01)
        processes[0].send_signal(signal.SIGKILL)
        await processes[0].wait()
        crashes = 1
        processes[0] = await tick(env)
    for process in processes:
        await process.wait()
    await fake.stop()
    posts = [c for c in fake.calls if c.method == "chat.postMessage"]
    sent = Counter((c.params["channel"], c.params["text"]) for c in posts if not c.refused)
    windows = Counter(int((t - limits.accepted[0]) // 60) for t in limits.accepted)
    full = [windows[w] for w in range(max(windows))]  # every window but the last
    row = {
        "run": "SIGKILL mid-run, restarted" if crash else "straight through",
        "instances": args.instances,
        "messages": args.checkins * 2, "delivered": len(sent),
        "lost": args.checkins * 2 - len(sent), "duplicates": sum(sent.values()) - len(sent),
        "crashes": crashes, "rate_limited_429s": sum(c.refused for c in posts),
        "allowed_per_minute": args.per_minute,
        "achieved_share_of_allowed": round(sum(full) / (len(full) * args.per_minute), 3)
        if full else None,
        "minute_windows": [windows[w] for w in sorted(windows)],
        "first_send_after_s": round(limits.accepted[0] - started, 1),
        "sending_s": round(limits.accepted[-1] - limits.accepted[0], 1),
    }
    print(row)
    return row


async def main_async(args) -> None:
    with tempfile.TemporaryDirectory() as folder:
        rows = [await run(fresh_database(args.database, folder, f"delivery{n}"), args, crash)
                for n, crash in enumerate((False, True))]
    name = f"delivery-{backend(args.database or '')}" + (f"-{args.instances}" if args.instances > 1 else "")
    record(name, {"backend": backend(args.database or ""), "checkins": args.checkins,
                  "instances": args.instances, "runs": rows})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkins", type=int, default=10_000)
    parser.add_argument("--per-minute", type=int, default=6000)
    parser.add_argument("--database", help="PostgreSQL server URL (default: a SQLite file)")
    parser.add_argument("--instances", type=int, default=1,
                        help="deliverers at once, sharing the pacing (PostgreSQL); one is killed")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
