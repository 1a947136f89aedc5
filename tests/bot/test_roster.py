"""`preceptor import-roster`: the CSV contract, line-numbered errors, re-import in place."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from bot.core.domain import ROLES
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
    assert done.returncode == 3, done.stderr  # imported, with rows skipped
    assert "2 added, 0 updated, 3 skipped" in done.stdout
    assert done.stderr.splitlines() == [
        "line 3: platform_user_id is empty; row skipped",
        "line 4: column role: Role must be one of: " + ", ".join(ROLES) + ". Row skipped.",
        "line 6: column career_start_year: The year you started must be between 1950 and 2026. "
        "Row skipped."]  # piped: no progress line runs into the first error
    people = await members(world)
    ana = people["U1"]
    assert (ana.name, ana.role, ana.site, ana.career_start_year, ana.capacity, ana.email) == (
        "Ana Souza", "fellow", "Main campus", 2019, 3, "ana@h.org")
    async with world.db.transaction() as session:
        assert len((await session.exec(select(Expertise).where(Expertise.member_id == ana.id))).all()) == 2

    roster.write_text(HEADER + "U1,Ana Souza,,attending,Internal Medicine,,Main campus,2019,POCUS,2\n")
    done = run(db_url, roster, "--platform", "console", "--team", "T1")
    assert done.returncode == 0 and "0 added, 1 updated, 0 skipped" in done.stdout
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


async def test_excels_windows_1252_and_a_bom_are_read_with_a_warning(world, db_url, tmp_path):
    roster = tmp_path / "excel.csv"
    roster.write_bytes(HEADER.encode() + "U8,José Núñez,,nurse,,,,2015,,\n".encode("cp1252"))
    done = run(db_url, roster, "--platform", "console", "--team", "T1")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("warning: the file is not UTF-8 (first at line 2); read it as "
                                  "Windows-1252, as Excel saves CSV")
    assert (await members(world))["U8"].name == "José Núñez"
    roster.write_bytes(b"\xef\xbb\xbf" + (HEADER + "U9,Zoë Adler,,nurse,,,,,,\n").encode())
    done = run(db_url, roster, "--platform", "console", "--team", "T1")
    assert done.returncode == 0 and done.stderr == ""
    assert (await members(world))["U9"].name == "Zoë Adler"


def test_a_file_that_is_no_text_names_the_line(db_url, tmp_path):
    roster = tmp_path / "binary.csv"
    roster.write_bytes(HEADER.encode() + b"U1,Ana,,nurse,,,,,,\nU2,\x81\x8d\x9d,,,,,,,,\n")
    done = run(db_url, roster, "--platform", "console", "--team", "T1")
    assert done.returncode == 1 and done.stderr.strip() == (
        "roster not imported: line 3: the file is neither UTF-8 nor Windows-1252 text; save it "
        "as CSV UTF-8")


async def test_duplicates_unknown_columns_tz_and_phi_are_named(world, db_url, tmp_path):
    roster = tmp_path / "staff.csv"
    roster.write_text(HEADER.strip() + ",tz,badge\n" + "\n".join([
        "U1,Ana Souza,,fellow,,,,2019,,,Europe/Madrid,77",
        "U2,Lee,,attending,,,,2010,,,Mars/Olympus,",
        "U1,Ana S.,,attending,,,,2019,,,,",
        "U3,Kim,,nurse,,bed 4 okafor still septic,,2012,,,,",
    ]) + "\n")
    done = run(db_url, roster, "--platform", "console", "--team", "T1")
    assert done.returncode == 3
    lines = done.stderr.splitlines()
    assert lines[0] == ("warning: ignored the columns badge (known: platform_user_id, name, email, "
                        "role, specialty, department, site, career_start_year, mentor_aspects, "
                        "capacity, tz, hired_on, left_on)")
    assert lines[1].startswith("line 3: column tz: Time zone must be like")
    assert lines[2] == "line 4: platform_user_id U1 is also on line 2; kept line 2, row skipped"
    assert lines[3].startswith("line 5: column department: ")
    assert "okafor" not in done.stderr  # the refusal does not echo the text
    people = await members(world)
    assert (people["U1"].name, people["U1"].tz) == ("Ana Souza", "Europe/Madrid")
    assert set(people) == {"U1"}


async def test_check_says_what_would_change_and_changes_nothing(world, db_url, tmp_path):
    roster = tmp_path / "staff.csv"
    roster.write_text(HEADER + "U1,Ana Souza,,fellow,,,,2019,POCUS,\nU2,Lee,,wizard,,,,,,\n")
    done = run(db_url, roster, "--platform", "console", "--team", "T1", "--check")
    assert done.returncode == 3
    assert done.stdout.strip() == ("1 would be added, 0 would be updated, 1 skipped (console "
                                   "workspace T1); nothing was changed (--check)")
    assert await members(world) == {}


async def test_an_import_leaves_the_planner_statistics_fresh(world, db_url, tmp_path):
    """Ranking right after a big import must not be planned on an empty table's statistics."""
    roster = tmp_path / "staff.csv"
    roster.write_text(HEADER + "".join(f"U{n},Staff {n},,attending,Surgery,,North,2010,POCUS,2\n"
                                       for n in range(40)))
    assert run(db_url, roster, "--platform", "console", "--team", "T1").returncode == 0
    async with world.db.transaction() as session:
        if db_url.startswith("sqlite"):
            analyzed = set((await session.exec(text("SELECT tbl FROM sqlite_stat1"))).scalars())
        else:
            analyzed = set((await session.exec(text(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"))).scalars())
    assert {"member", "expertise"} <= analyzed


async def test_employment_dates_are_kept_and_a_bad_one_is_named(world, db_url, tmp_path):
    roster = tmp_path / "staff.csv"
    roster.write_text(HEADER.strip() + ",hired_on,left_on\n" + "\n".join([
        "U1,Ana Souza,,nurse,,,,2019,,,2021-07-01,",
        "U2,Lee,,nurse,,,,2010,,,2020-01-01,2025-03-31",
        "U3,Kim,,nurse,,,,2012,,,01/07/2021,",
        "U4,Sam,,nurse,,,,2012,,,2022-01-01,2021-01-01",
        "U5,Jo,,nurse,,,,2012,,,2099-01-01,",
    ]) + "\n")
    done = run(db_url, roster, "--platform", "console", "--team", "T1")
    assert done.returncode == 3
    assert done.stderr.splitlines() == [
        "line 4: column hired_on: Write the date as YYYY-MM-DD, e.g. 2024-07-01. Row skipped.",
        "line 5: column left_on: That is before hired_on. Row skipped.",
        "line 6: column hired_on: That date is still to come. Row skipped."]
    people = await members(world)
    assert (str(people["U1"].hired_on), people["U1"].left_on) == ("2021-07-01", None)
    assert str(people["U2"].left_on) == "2025-03-31" and set(people) == {"U1", "U2"}
