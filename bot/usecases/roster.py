"""`preceptor import-roster`: a lead's CSV of staff, one person a row, imported in place.

Columns (header required): platform_user_id, name, email, role, specialty, department, site,
career_start_year, mentor_aspects (separated by `;`), capacity, and optionally tz, hired_on
and left_on (dates). Empty cells are allowed except platform_user_id. The file is UTF-8
(with or without Excel's BOM) or, when it is not, read as Windows-1252 (Excel's usual CSV)
with a warning. A bad row is reported with its line number and column and skipped, as is a
second row for the same person (the first is kept); re-importing updates people in place.
"""

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from bot.core.errors import BadCommand, PreceptorError
from bot.matching import aspects
from bot.matching.aspects import Catalog
from bot.privacy.guard import Guard
from bot.usecases.profile import declare, save_profile
from storage.engine import Database
from storage.models.people import STAFF
from storage.queries.members import get_or_create_member, get_or_create_workspace, refresh_statistics

COLUMNS = ("platform_user_id", "name", "email", "role", "specialty", "department", "site",
           "career_start_year", "mentor_aspects", "capacity")
OPTIONAL = ("tz", "hired_on", "left_on")  # employment dates (YYYY-MM-DD): retention only
PROFILE_COLUMNS = ("name", "role", "specialty", "department", "site", "career_start_year",
                   "capacity", "tz")
BATCH = 500


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, what was wrong)


@dataclass
class Roster:
    """The file's rows (line number, row) and what the lead should know about the file."""
    rows: list[tuple[int, dict[str, str]]]
    warnings: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # refused before any import


class RosterError(Exception):
    """The file as a whole cannot be read (missing, not text, wrong header)."""


def read(path: Path) -> Roster:
    """Every data row of the file; raises RosterError for a file that cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RosterError(f"cannot open {path}: {error.strerror}") from None
    text, warnings = _decoded(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise RosterError(f"the header lacks: {', '.join(missing)} (expected {','.join(COLUMNS)})")
    unknown = [c for c in header if c and c not in (*COLUMNS, *OPTIONAL)]
    if unknown:
        warnings.append(f"ignored the columns {', '.join(unknown)} (known: "
                        f"{', '.join((*COLUMNS, *OPTIONAL))})")
    roster, first_line = Roster([], warnings), dict[str, int]()
    try:
        for row in reader:
            line = reader.line_num
            row = {k: (v or "").strip() for k, v in row.items() if k in (*COLUMNS, *OPTIONAL)}
            user = row["platform_user_id"]
            if user in first_line:
                roster.skipped.append((line, f"platform_user_id {user} is also on line "
                                      f"{first_line[user]}; kept line {first_line[user]}, row skipped"))
                continue
            if user:
                first_line[user] = line
            roster.rows.append((line, row))
    except csv.Error as error:
        raise RosterError(f"line {reader.line_num}: {error}") from None
    return roster


def _decoded(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 (a BOM is dropped), else Windows-1252, else refused at the line of the first
    byte that is neither."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as utf8:
        line = data[:utf8.start].count(b"\n") + 1
    try:
        return data.decode("cp1252"), [
            f"the file is not UTF-8 (first at line {line}); read it as Windows-1252, as Excel "
            "saves CSV: check that accented names came out right, or save it as CSV UTF-8"]
    except UnicodeDecodeError as error:
        bad = data[:error.start].count(b"\n") + 1
        raise RosterError(f"line {bad}: the file is neither UTF-8 nor Windows-1252 text; save it "
                          "as CSV UTF-8") from None


async def import_roster(
    db: Database, *, platform: str, team: str, rows: Iterator[tuple[int, dict[str, str]]],
    curated: Catalog, now: datetime, guard: Guard, progress: Callable[[int], None] = lambda n: None,
    zone: str = "UTC", dry_run: bool = False,
) -> ImportReport:
    """Import the rows; new people get `zone` (the workspace's default) until the platform says
    (or the tz column does), then refresh the planner's statistics (on PostgreSQL, ranking
    right after a big import would otherwise walk every expert once per candidate).
    `dry_run`: every check, then nothing kept."""
    report, batch, done = ImportReport(), [], 0
    for line, row in rows:
        batch.append((line, row))
        if len(batch) == BATCH:
            await _import_batch(db, platform, team, batch, curated, now, guard, report, zone, dry_run)
            done += len(batch)
            progress(done)
            batch = []
    if batch:
        await _import_batch(db, platform, team, batch, curated, now, guard, report, zone, dry_run)
        progress(done + len(batch))
    if not dry_run:  # thousands of new rows: the planner's statistics would be stale
        async with db.transaction() as session:
            await refresh_statistics(session=session)
    return report


async def _import_batch(db, platform, team, batch, curated, now, guard, report, zone, dry_run) -> None:
    async with db.transaction() as session, _kept_unless(session, dry_run):
        workspace = await get_or_create_workspace(
            session=session, platform=platform, external_id=team, now=now)
        for line, row in batch:
            user = row.get("platform_user_id", "")
            if not user:
                report.errors.append((line, "platform_user_id is empty; row skipped"))
                continue
            try:
                async with session.begin_nested():
                    created = await _import_row(session, workspace.id, row, curated, now, guard,
                                                zone)
            except PreceptorError as error:
                column = f"column {error.field}: " if error.field else ""
                report.errors.append((line, f"{column}{error.message} Row skipped."))
                continue
            if created:
                report.created += 1
            else:
                report.updated += 1


async def _import_row(session, workspace_id: int, row: dict[str, str], curated: Catalog,
                      now: datetime, guard: Guard, zone: str) -> bool:
    member, created = await get_or_create_member(
        session=session, workspace_id=workspace_id, platform_user_id=row["platform_user_id"],
        now=now, tz=zone)
    fields = {k: row[k] for k in PROFILE_COLUMNS if row.get(k)}
    save_profile(member, fields, year=now.year, guard=guard)
    if row.get("email"):
        member.email = row["email"][:254]
    employment(member, row, now)
    member.affiliation = STAFF  # the hospital lists them: a guest account does not overrule it
    for text in filter(None, (a.strip() for a in row.get("mentor_aspects", "").split(";"))):
        aspect = await aspects.resolve(session, curated=curated, workspace_id=workspace_id,
                                       text=text)
        await declare(session, member_id=member.id, aspect_id=aspect.id, now=now)
    return created


def employment(member, row: dict[str, str], now: datetime) -> None:
    """`hired_on` and `left_on`, when the roster gives them: ISO dates, not in the future,
    the leaving after the hiring (a refusal names the column)."""
    found = {}
    for key in ("hired_on", "left_on"):
        if row.get(key):
            try:
                found[key] = date.fromisoformat(row[key])
            except ValueError:
                raise _in_column(key, "Write the date as YYYY-MM-DD, e.g. 2024-07-01.") from None
            if found[key] > now.date():
                raise _in_column(key, "That date is still to come.")
    if found.get("hired_on") and found.get("left_on") and found["left_on"] < found["hired_on"]:
        raise _in_column("left_on", "That is before hired_on.")
    for key, value in found.items():
        setattr(member, key, value)


def _in_column(key: str, said: str) -> BadCommand:
    error = BadCommand(said)
    error.field = key
    return error


@asynccontextmanager
async def _kept_unless(session, dry_run: bool):
    """Around a batch's work: for a dry run, one savepoint rolled back at the end."""
    if not dry_run:
        yield
        return
    savepoint = await session.begin_nested()
    yield
    await savepoint.rollback()
