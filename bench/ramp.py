"""An open-loop ramp of `/learn`, as Slack would send them when many people type at once:
at each rate (50, 100, 200, 400 a second by default) for `--seconds`, every request a fresh
one (a new person or aspect among the 2,000-person roster of `bench.sustained`, 300 of them
mentors the ranking reads). Reports the ack p50/p99 and how many missed Slack's 3 s, and the
time to each private answer (the reply at the response URL, after the work).

    python -m bench.ramp [--rates 50 100 200 400] [--seconds 10] [--database URL]
"""

import argparse
import asyncio
import itertools
import json
import tempfile

from bench.common import backend, fresh_database, record
from bench.open_loop import OpenLoop
from bench.sustained import ASPECTS, PEOPLE, Answers, hospital, preceptor
from tests.e2e.fake_slack import FakeSlack


async def main_async(args) -> None:
    fake, answers = FakeSlack(), Answers()
    await fake.start()
    base = await answers.start()
    rows, asks = [], itertools.count()  # ask n: person n % PEOPLE, aspect n // PEOPLE
    with tempfile.TemporaryDirectory() as folder:
        env = await hospital(fresh_database(args.database, folder, "ramp"), folder, fake)
        process, url = await preceptor(env)

        def each(loop: OpenLoop):
            def ask(session, _n: int) -> list:
                n = next(asks)
                return [loop.learn(session, f"U{n % PEOPLE}",
                                   f"{ASPECTS[n // PEOPLE % len(ASPECTS)]}: nights")]
            return ask

        try:
            warm = OpenLoop(url, answers, base)
            await warm.run(5, 2, each(warm))  # the first /learn loads the catalog
            for rate in args.rates:
                loop = OpenLoop(url, answers, base)
                await loop.run(rate, args.seconds, each(loop))
                row = {"rate": rate, "sent": int(rate * args.seconds), **loop.acked("learn"),
                       **loop.answers_seen()}
                print(json.dumps(row))
                rows.append(row)
        finally:
            process.terminate()
            await process.wait()
    await answers.runner.cleanup()
    await fake.stop()
    kind = backend(args.database or "")
    record(f"ramp-{kind}", {"backend": kind, "people": PEOPLE, "seconds": args.seconds,
                            "steps": rows})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", type=int, nargs="+", default=[50, 100, 200, 400])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--database")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
