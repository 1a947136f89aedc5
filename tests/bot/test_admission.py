"""Work done after acknowledging gives way while requests are still being answered, and never
for longer than its patience."""

import asyncio

from bot.app.admission import Admission


async def test_work_waits_while_a_request_is_being_answered():
    admission, started = Admission(patience=5), []

    async def work():
        await admission.give_way()
        started.append(1)

    with admission.answering():  # the next request arrived before this work could start
        task = asyncio.create_task(work())
        await until(lambda: admission.giving_way == 1)
        assert started == []
    async with asyncio.timeout(1):
        await task
    assert started == [1] and admission.giving_way == 0


async def test_with_nothing_being_answered_work_goes_at_once():
    admission = Admission(patience=5)
    async with asyncio.timeout(0.5):
        assert await admission.give_way() is True
    assert admission.giving_way == 0


async def test_work_kept_waiting_by_a_flood_goes_after_its_patience():
    admission = Admission(patience=0.05)
    with admission.answering():  # requests never stop coming
        async with asyncio.timeout(1):
            assert await admission.give_way() is False


async def test_overlapping_requests_keep_the_work_waiting_until_the_last_is_answered():
    admission, started = Admission(patience=5), []

    async def work():
        await admission.give_way()
        started.append(1)

    with admission.answering():
        task = asyncio.create_task(work())
        with admission.answering():
            await until(lambda: admission.giving_way == 1)
        await asyncio.sleep(0)
        assert started == []  # one request is still being answered
    async with asyncio.timeout(1):
        await task


async def until(condition, seconds: float = 2) -> None:
    """Wait on state (bounded), never for a guessed while."""
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0)
