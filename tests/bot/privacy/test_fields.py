"""Every free-text field passes the guard, on every path in; nothing refused is stored."""

import pytest
from sqlmodel import select

from bot.core.errors import PhiRefused
from bot.privacy.guard import Guard
from storage.models import Aspect, LearningRequest, Member, Reflection, Thanks
from tests.helpers import text_of

PATIENT = "like mrs adeyemi in bed 4"


async def _rows(world, model):
    async with world.db.transaction() as session:
        return (await session.exec(select(model))).all()


async def test_learn_aspect_and_details_are_checked(world):
    await world.person("ana", "role=resident")
    for command in (f"/learn pocus: {PATIENT}", "/learn okafor's echo: views"):
        assert "didn't save or post that" in text_of(await world.cmd("ana", command))
    assert await _rows(world, LearningRequest) == []
    assert world.inbox("#mentoring") == []


async def test_offer_profile_thanks_and_reflections_are_checked(world):
    await world.person("ana", "role=resident")
    await world.person("sam", "role=attending")
    replies = [
        await world.cmd("ana", "/mentor offer central lines, bed 4 okafor"),
        await world.cmd("ana", f"/mentor profile site=Main; department={PATIENT}"),
        await world.cmd("ana", f"/mentor thanks @sam for the teaching {PATIENT}"),
        await world.cmd("ana", f"reflect learned so much {PATIENT}"),
    ]
    assert all("didn't save or post that" in text_of(r) for r in replies), [text_of(r) for r in replies]
    assert await _rows(world, Thanks) == [] and await _rows(world, Reflection) == []
    assert not [a for a in await _rows(world, Aspect) if "okafor" in a.name.lower()]
    assert all(m.department is None for m in await _rows(world, Member))


async def test_ones_own_name_is_a_name_but_an_identifier_in_it_is_refused(world):
    assert "didn't save" not in text_of(await world.cmd("ana", "/mentor profile name=Ana Okafor-Reyes"))
    assert "didn't save" in text_of(await world.cmd("ana", "/mentor profile name=Ana 617-555-0142"))


def test_a_refused_name_says_what_was_found_and_how_to_name_a_colleague():
    with pytest.raises(PhiRefused) as refused:
        Guard().check("Kowalczyk finally walked to the station", year=2026)
    message = refused.value.message
    assert "a name that could be a patient's" in message and "@-mention them" in message
    assert "Kowalczyk" not in message
