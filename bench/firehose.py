"""The event firehose: signed workspace events sent as Slack sends them (open loop, at a set
rate, never waiting for the previous one) to `preceptor serve`, with one `/learn` a second
beside them whose private answer is timed. Thread replies, reactions, channel joins and
mentions over the 2,000-person roster of `bench.sustained` and 50 channels.

Each step sends `--seconds` of events at one rate (100 → 1,000 a second by default) and
reports: events acknowledged a second (all of the step's, over the time until the last
answer), how many took longer than Slack's 3 s, and their p50/p99 ack, how many were folded into
familiarity a second during the step and the backlog (observations written down and not
yet folded) at each second and at its end: it must not grow with time; and the `/learn`
answers' p50/p99.

    python -m bench.firehose [--rates 100 250 500 1000] [--seconds 10] [--database URL]
"""

import argparse
import asyncio
import itertools
import json
import random
import tempfile
import time

from sqlalchemy import create_engine, inspect, text

from bench.common import backend, fresh_database, record
from bench.open_loop import OpenLoop
from bench.sustained import ASPECTS, PEOPLE, Answers, hospital, preceptor
from tests.e2e.fake_slack import FakeSlack

CHANNELS = 50
IDS = itertools.count()


def event(rng: random.Random) -> dict:
    """One workspace event, shaped as the captures the tests cite (tests/e2e/
    test_slack_payloads.py: bolt-python's scenario tests and Slack's API reference)."""
    user, other = (f"U{n}" for n in rng.sample(range(PEOPLE), 2))
    channel, ts = f"C{rng.randrange(CHANNELS)}", f"{time.time():.6f}"
    kind = rng.random()
    if kind < 0.5:  # a thread reply, sometimes on an aspect
        words = rng.choice(["thanks, that helped", f"re {ASPECTS[rng.randrange(5)].lower()}: try this"])
        return {"type": "message", "text": words, "user": user, "ts": ts,
                "thread_ts": "1633663824.000500", "parent_user_id": other, "channel": channel,
                "event_ts": ts, "channel_type": "channel"}
    if kind < 0.8:
        return {"type": "reaction_added", "user": user, "reaction": "thumbsup",
                "item": {"type": "message", "channel": channel, "ts": "1599529504.000400"},
                "item_user": other, "event_ts": ts}
    if kind < 0.9:
        return {"type": "member_joined_channel", "user": user, "channel": channel,
                "channel_type": "C", "team": "T1"}
    return {"type": "message", "text": f"<@{other}> can you look at this", "user": user,
            "ts": ts, "channel": channel, "event_ts": ts, "channel_type": "channel"}


def envelope(event: dict) -> str:
    return json.dumps({"token": "legacy", "team_id": "T1", "api_app_id": "A1",
                       "type": "event_callback", "event_id": f"Ev{next(IDS)}",
                       "event_time": int(time.time()), "event": event})


class Backlog:
    """Observations written down and not yet folded, read straight from the database."""

    def __init__(self, url: str):
        self.engine = create_engine(url)

    def counts(self) -> tuple[int, int]:
        """(written, folded) so far; (0, 0) when events are not written down first."""
        if not inspect(self.engine).has_table("observation"):
            return 0, 0
        with self.engine.connect() as connection:
            return tuple(connection.execute(text(
                "SELECT count(*), count(folded_at) FROM observation")).one())


async def step(url: str, answers: Answers, base: str, rate: int, seconds: float,
               backlog: Backlog, rng: random.Random) -> dict:
    loop, backlogs, during = OpenLoop(url, answers, base), {}, []
    before = await asyncio.to_thread(backlog.counts)

    async def sample(second: int) -> None:
        written, folded = await asyncio.to_thread(backlog.counts)
        backlogs[second] = written - folded

    def each(session, n: int) -> list:
        sent = [loop.event(session, envelope(event(rng)))]
        if n % rate == 0:  # each second: one /learn, and the backlog as it stands
            second = n // rate
            sent += [loop.learn(session, f"U{second % 200}", f"{ASPECTS[second % 5]}: {rate} {second}"),
                     sample(second)]
        return sent

    async def at_end() -> None:
        during.extend(await asyncio.to_thread(backlog.counts))

    sent_for = await loop.run(rate, seconds, each, at_end)
    return {"rate": rate, "sent": int(rate * seconds), **loop.acked("event"),
            "folded_per_s": round((during[1] - before[1]) / sent_for, 1),
            "backlog_by_second": [backlogs[k] for k in sorted(backlogs)],
            "backlog_at_end": during[0] - during[1], **loop.answers_seen()}


async def main_async(args) -> None:
    fake, answers = FakeSlack(), Answers()
    await fake.start()
    base = await answers.start()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        database = fresh_database(args.database, folder, "firehose")
        env = await hospital(database, folder, fake)
        process, url = await preceptor(env)
        backlog, rng = Backlog(database), random.Random(20)
        try:
            await step(url, answers, base, 1, 2, backlog, rng)  # warm up: the first /learn loads the catalog
            for rate in args.rates:
                row = await step(url, answers, base, rate, args.seconds, backlog, rng)
                print(json.dumps(row))
                rows.append(row)
        finally:
            process.terminate()
            await process.wait()
            backlog.engine.dispose()
    await answers.runner.cleanup()
    await fake.stop()
    kind = backend(args.database or "")
    record(f"firehose-{kind}", {"backend": kind, "people": PEOPLE, "channels": CHANNELS,
                                "seconds": args.seconds, "steps": rows})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", type=int, nargs="+", default=[100, 250, 500, 1000])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--database")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
