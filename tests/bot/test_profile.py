"""Profile, offer, capacity: validated whole, so a bad field changes nothing."""

from sqlmodel import select

from storage.models import Expertise, Member
from tests.helpers import text_of


async def member(world, who):
    async with world.db.transaction() as session:
        return (await session.exec(select(Member).where(Member.platform_user_id == who))).one()


async def test_profile_saves_every_field(world):
    reply = await world.cmd("kim", "/mentor profile role=NP; specialty=Cardiology; site=North; "
                                   "started=2015; capacity=3; quiet=22-6; tz=America/Chicago")
    assert "Saved your profile" in text_of(reply)
    kim = await member(world, "kim")
    assert (kim.role, kim.specialty, kim.site, kim.career_start_year, kim.capacity) == (
        "np", "Cardiology", "North", 2015, 3)
    assert (kim.quiet_start_hour, kim.quiet_end_hour, kim.tz) == (22, 6, "America/Chicago")


async def test_one_bad_field_changes_nothing(world):
    await world.cmd("kim", "/mentor profile role=nurse; site=North")
    for bad, says in [
        ("role=wizard; site=South", "Role must be one of"),
        ("site=South; started=1890", "between 1950 and 2026"),
        ("site=South; quiet=25-7", "two hours of the day"),
        ("site=South; tz=Mars/Base", "Time zone must be"),
        ("site=Mrs. Alvarez in room 4", "patient's name"),
        ("site=" + "x" * 200, "under 120 characters"),
    ]:
        assert says in text_of(await world.cmd("kim", f"/mentor profile {bad}"))
    kim = await member(world, "kim")
    assert (kim.role, kim.site, kim.tz) == ("nurse", "North", "UTC")


async def test_profile_form_shows_current_values_and_offers(world):
    await world.cmd("kim", "/mentor profile role=nurse; specialty=ICU")
    await world.cmd("kim", "/mentor offer difficult IV access, night shifts")
    shown = await world.cmd("kim", "/mentor profile")
    assert shown.form == "profile"
    assert "nurse · ICU" in text_of(shown) and "Night shift survival" in text_of(shown)


async def test_offer_is_idempotent_and_maps_synonyms(world):
    first = await world.cmd("lee", "/mentor offer POCUS, bedside ultrasound, LP")
    await world.cmd("lee", "/mentor offer point of care ultrasound")
    assert "Point-of-care ultrasound, Lumbar puncture" in text_of(first)
    async with world.db.transaction() as session:
        assert len((await session.exec(select(Expertise))).all()) == 2


async def test_capacity_and_help(world):
    assert "up to 0 mentee" in text_of(await world.cmd("lee", "/mentor capacity 0"))
    assert (await member(world, "lee")).capacity == 0
    assert "/learn <aspect>" in text_of(await world.cmd("lee", "/mentor"))
    assert "from 0 to 10" in text_of(await world.cmd("lee", "/mentor capacity 50"))
    assert (await member(world, "lee")).capacity == 0
