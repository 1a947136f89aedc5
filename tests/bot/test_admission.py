"""After a burst of acknowledgements, only a few pieces of work run at once, a full waiting
line holds the next acknowledgement back instead of growing without bound, and work gives
way while requests are still being answered."""

import asyncio

import pytest

from bot.app.admission import Admission


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
    await until(lambda: admission.held == 1)
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


async def test_work_waits_while_a_request_is_being_answered():
    admission, acked, started = Admission(patience=5), [], []
    with admission.answering():  # the next request arrived before this work could start
        work = await _request(admission, acked, 0, started=started)
        await until(lambda: admission.giving_way == 1)
        assert acked == [0] and started == []
    async with asyncio.timeout(1):
        await work
    assert started == [0]


async def test_work_kept_waiting_by_a_flood_goes_anyway_one_at_a_time():
    admission, running, peak, done = Admission(running=4, patience=0.05), 0, 0, 0

    async def command():
        nonlocal running, peak, done
        async with admission.work(_nothing):
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.02)
            running -= 1
            done += 1

    with admission.answering():  # requests never stop coming
        async with asyncio.timeout(2):
            await asyncio.gather(*(command() for _ in range(4)))
    assert done == 4 and peak == 1


async def test_requests_held_back_by_the_full_line_do_not_keep_the_work_waiting():
    admission, acked = Admission(running=1, waiting=2, patience=60), []
    release = asyncio.Event()
    first = await _request(admission, acked, 0, release)  # working
    with admission.answering():  # some request under way
        waiting = [await _request(admission, acked, n) for n in (1, 2)]  # giving way
        held = asyncio.create_task(_request(admission, acked, 3))  # the line is full
        await until(lambda: admission.held == 1)
        assert acked == [0, 1, 2]
    release.set()  # only the held request is left being answered: it must not stop the work
    async with asyncio.timeout(1):
        await asyncio.gather(first, *waiting, await held)
    assert acked == [0, 1, 2, 3]


async def _request(admission, acked, n, hold=None, started=None) -> asyncio.Task:
    """As the HTTP layer: being answered until the listener acknowledges; the work goes on."""
    acknowledged = asyncio.Event()

    async def acknowledge():
        acked.append(n)
        acknowledged.set()

    async def listener():
        async with admission.work(acknowledge):
            if started is not None:
                started.append(n)
            if hold:
                await hold.wait()

    with admission.answering():
        work = asyncio.create_task(listener())
        await acknowledged.wait()
    return work


async def until(condition, seconds: float = 2) -> None:
    """Wait on state (bounded), never for a guessed while."""
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0)


async def _append(acked, n):
    acked.append(n)


async def _nothing():
    return None
