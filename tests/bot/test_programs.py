"""Programs side by side: a lead defines them; a member's requests are announced in their
program's channel, kept to its people when it requires it; reports filter by program."""

import pytest

from bot.matching.familiarity import Observation
from tests.bot.test_matching import reasons_for
from tests.conftest import START
from tests.helpers import CHANNEL, World, text_of

NURSE = "role=nurse; department=Emergency; site=Main campus; started=2025"
EDUCATOR = "role=nurse; department=Emergency; site=Main campus; started=2012"
ATTENDING = "role=attending; department=Emergency; site=Main campus; started=2012"


@pytest.fixture
async def led(db_url):
    world = World(db_url, START, preceptor_admins="chair")
    await world.person("chair", "role=attending")
    yield world
    await world.close()


async def residency(world, *extra: str) -> str:
    spec = "; ".join(("members=role=nurse", "announce=#nurse-residency", *extra))
    return text_of(await world.cmd("chair", f"/mentor admin program Nurse residency: {spec}"))


async def test_a_lead_defines_and_lists_programs_and_nobody_else_can(led):
    await led.person("ines", NURSE)
    await led.person("kofi", ATTENDING)
    said = await residency(led, "leads=@kofi", "required=yes")
    assert said == ("Program *Nurse residency*: role = nurse (1 person); announces in "
                    "#nurse-residency; led by @kofi; matched only among its people.")
    await led.cmd("chair", "/mentor admin program POCUS: members=everyone")
    listed = text_of(await led.cmd("chair", "/mentor admin programs"))
    assert "• *Nurse residency*: role = nurse (1 person)" in listed
    assert "• *POCUS*: everyone (3 people)" in listed
    refused = await led.cmd("ines", "/mentor admin program Mine: members=everyone")
    assert "Only program leads" in text_of(refused)
    assert "Define a program as" in text_of(await led.cmd("chair", "/mentor admin program X: members"))
    assert "`members=role=nurse`" in text_of(
        await led.cmd("chair", "/mentor admin program X: members=blood type=O"))


async def test_a_programs_name_is_screened_like_all_kept_words(led):
    refused = await led.cmd("chair", "/mentor admin program Mr Okafor bed 4: members=everyone")
    assert "didn't save" in text_of(refused)
    assert "No programs yet" in text_of(await led.cmd("chair", "/mentor admin programs"))


async def test_requests_are_announced_in_the_members_program_channel(led):
    await led.person("ines", NURSE)
    await led.person("ravi", "role=resident")
    await residency(led)
    await led.cmd("ines", "/learn central line placement: PICC dressings")
    await led.cmd("ravi", "/learn central line placement")
    await led.tick()
    (mine,) = led.inbox("#nurse-residency")
    assert "@Ines wants to learn *Central line placement*" in text_of(mine)
    assert ["@Ravi" in text_of(m) for m in led.inbox(CHANNEL)] == [True]


async def test_a_program_that_requires_it_keeps_matching_to_its_people(led):
    await led.person("ines", NURSE)
    await led.person("ravi", "role=resident")
    await led.person("dana", EDUCATOR, offers="POCUS")
    await led.person("kofi", ATTENDING, offers="POCUS")
    await residency(led, "required=no")
    assert [line.split(":")[0] for line in await reasons_for(led, "ines")] == ["1. @Dana", "2. @Kofi"]
    await residency(led, "required=yes")
    assert [line.split(":")[0] for line in await reasons_for(led, "ines")] == ["1. @Dana"]
    assert len(await reasons_for(led, "ravi")) == 2  # not in the program: anyone


async def test_a_program_by_channel_holds_that_channels_members(led):
    await led.person("ines", NURSE)
    await led.person("ravi", "role=resident")
    await led.observe(Observation("joined", "ravi", (), "C_POCUS"))
    said = text_of(await led.cmd("chair", "/mentor admin program POCUS: members=<#C_POCUS|pocus>"))
    assert "members of #C_POCUS (1 person)" in said


async def test_the_report_filters_by_program_and_its_own_leads_may_see_it(led):
    for n in range(5):
        await led.person(f"n{n}", NURSE)
        await led.cmd(f"n{n}", "/learn --private central line placement")
    await led.person("kofi", ATTENDING)
    await led.cmd("kofi", "/learn --private grant writing")
    await residency(led, "leads=@kofi")
    whole = text_of(await led.cmd("chair", "/mentor admin report"))
    program = text_of(await led.cmd("kofi", "/mentor admin report nurse residency"))
    assert "*Overall*: 6 learning requests" in whole
    assert program.startswith("Mentoring program report: Nurse residency")
    assert "*Overall*: 5 learning requests" in program and "Grant writing" not in program
    assert "Only program leads" in text_of(await led.cmd("kofi", "/mentor admin report"))
    assert "no program called" in text_of(await led.cmd("n0", "/mentor admin report nurse residency"))


async def test_preceptor_report_for_a_program_and_one_line_for_a_name_it_doesnt_know(led, tmp_path):
    import asyncio
    import os
    import sys

    for n in range(5):
        await led.person(f"n{n}", NURSE)
        await led.cmd(f"n{n}", "/learn --private central line placement")
    await led.cmd("chair", "/learn --private grant writing")
    await residency(led)

    async def report(*args):
        done = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.app.cli", "report", *args,
            env={**os.environ, "DATABASE_URL": led.settings.database_url},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await done.communicate()
        return done.returncode, out.decode(), err.decode()

    code, out, _ = await report("--program", "nurse residency", "--csv", str(tmp_path / "r.csv"))
    assert code == 0 and "*Overall*: 5 learning requests" in out
    assert "overall,all,requests,5,no" in (tmp_path / "r.csv").read_text()
    code, out, err = await report("--program", "Ortho")
    assert code == 2 and out.strip() == ("error: no program called 'Ortho'; `/mentor admin programs` "
                                         "lists them") and "Traceback" not in err
