"""`preceptor import-roster`: the CSV contract, line-numbered errors, re-import in place."""

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from storage.models import Expertise, Member
from tests.helpers import text_of

ROOT = Path(__file__).resolve().parents[2]
HEADER = ("platform_user_id,name,email,role,specialty,department,site,career_start_year,"
          "mentor_aspects,capacity\n")


def run(url: str, path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.app.cli", "import-roster", str(path), *args], cwd=ROOT,
        capture_output=True, text=True, timeout=120, env={**env, "DATABASE_URL": url, **settings})


async def members(world) -> dict[str, Member]:
    async with world.db.transaction() as session:
        return {m.platform_user_id: m for m in (await session.exec(select(Member))).all()}


async def test_import_then_reimport_updates_in_place_and_reports_bad_rows(world, db_url, tmp_path):
    roster = tmp_path / "staff.csv"
    roster.write_text(HEADER + "\n".join([
        "U1,Ana Souza,ana@h.org,fellow,Internal Medicine,Medicine,Main campus,2019,POCUS;central lines,3",
        ",No Id,,nurse,,,,,,",
        "U2,Jordan Kim,,wizard,,,,,,",
        "U3,Sam Patel,,pharmacist,Pharmacy,,North,2016,,",
        "U4,Chris Nguyen,,student,,,,1890,,",
    ]) + "\n")
    done = run(db_url, roster, "--platform", "console", "--team", "T1")
    assert done.returncode == 0, done.stderr
    assert "2 added, 0 updated, 3 skipped" in done.stdout
    assert "line 3: platform_user_id is empty" in done.stderr
    assert "line 4: Role must be one of" in done.stderr
    assert "line 6: The year you started must be between 1950" in done.stderr
    assert "imported 5 rows" in done.stderr  # the progress line
    people = await members(world)
    ana = people["U1"]
    assert (ana.name, ana.role, ana.site, ana.career_start_year, ana.capacity, ana.email) == (
        "Ana Souza", "fellow", "Main campus", 2019, 3, "ana@h.org")
    async with world.db.transaction() as session:
        assert len((await session.exec(select(Expertise).where(Expertise.member_id == ana.id))).all()) == 2

    roster.write_text(HEADER + "U1,Ana Souza,,attending,Internal Medicine,,Main campus,2019,POCUS,2\n")
    done = run(db_url, roster, "--platform", "console", "--team", "T1")
    assert "0 added, 1 updated, 0 skipped" in done.stdout
    people = await members(world)
    assert (people["U1"].role, people["U1"].capacity) == ("attending", 2) and len(people) == 2
    reply = await world.cmd("priya", "/learn POCUS")
    assert "1. @Ana Souza: offers mentoring in Point-of-care ultrasound" in text_of(reply)


async def test_imported_people_get_the_workspaces_zone_until_the_platform_says(world, db_url,
                                                                              tmp_path):
    roster = tmp_path / "staff.csv"
    roster.write_text(HEADER + "U7,Lucía Ortega,,nurse,Emergency,,Main campus,2015,,\n")
    done = run(db_url, roster, "--platform", "console", "--team", "T1",
               PRECEPTOR_TIMEZONE="America/Chicago")
    assert done.returncode == 0, done.stderr
    assert (await members(world))["U7"].tz == "America/Chicago"


def test_a_file_with_the_wrong_header_is_refused_whole(db_url, tmp_path):
    roster = tmp_path / "bad.csv"
    roster.write_text("id,name\nU1,Ana\n")
    done = run(db_url, roster, "--platform", "console", "--team", "T1")
    assert done.returncode == 1 and "the header lacks: platform_user_id" in done.stderr


def test_without_a_platform_configured_the_workspace_must_be_named(db_url, tmp_path):
    roster = tmp_path / "staff.csv"
    roster.write_text(HEADER)
    done = run(db_url, roster)
    assert done.returncode == 1 and "pass --platform and --team" in done.stderr
