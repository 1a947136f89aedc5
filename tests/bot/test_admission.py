"""After a burst of acknowledgements, only a few pieces of work run at once, and a full
waiting line holds the next acknowledgement back instead of growing without bound."""

import asyncio

import pytest

from bot.admission import Admission


async def test_at_most_running_work_at_once_and_all_of_it_done():
    admission, acked, running, peak, done = Admission(running=2, waiting=10), [], 0, 0, []

    async def request(n):
        nonlocal running, peak
        async with admission.work(lambda: _append(acked, n)):
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.01)
            running -= 1
            done.append(n)

    await asyncio.gather(*(request(n) for n in range(8)))
    assert peak == 2 and sorted(acked) == sorted(done) == list(range(8))


async def test_a_full_waiting_line_holds_the_next_acknowledgement_back():
    admission, acked, release = Admission(running=1, waiting=2), [], asyncio.Event()

    async def request(n):
        async with admission.work(lambda: _append(acked, n)):
            await release.wait()

    tasks = [asyncio.create_task(request(n)) for n in range(4)]
    await asyncio.sleep(0.05)
    assert acked == [0, 1, 2]  # one working, two waiting; the fourth is not yet answered
    release.set()
    await asyncio.gather(*tasks)
    assert acked == [0, 1, 2, 3]


async def test_work_that_fails_gives_its_place_back():
    admission = Admission(running=1, waiting=1)
    with pytest.raises(RuntimeError):
        async with admission.work(_nothing):
            raise RuntimeError("boom")
    async with asyncio.timeout(1):
        async with admission.work(_nothing):
            pass


async def _append(acked, n):
    acked.append(n)


async def _nothing():
    return None
