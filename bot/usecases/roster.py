"""`preceptor import-roster`: a lead's CSV of staff, one person a row, imported in place.

Columns (header required, UTF-8): platform_user_id, name, email, role, specialty,
department, site, career_start_year, mentor_aspects (separated by `;`), capacity. Empty
cells are allowed except platform_user_id. A bad row is reported with its line number and
skipped; re-importing updates people in place.
"""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.core.errors import PreceptorError
from bot.matching import aspects
from bot.matching.aspects import Catalog
from bot.privacy.guard import Guard
from bot.usecases.profile import declare, save_profile
from storage.engine import Database
from storage.models.people import STAFF
from storage.queries.members import get_or_create_member, get_or_create_workspace

COLUMNS = ("platform_user_id", "name", "email", "role", "specialty", "department", "site",
           "career_start_year", "mentor_aspects", "capacity")
PROFILE_COLUMNS = ("name", "role", "specialty", "department", "site", "career_start_year",
                   "capacity")
BATCH = 500


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


class RosterError(Exception):
    """The file as a whole cannot be read (missing, not UTF-8, wrong header)."""


def read(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; raises RosterError for a bad file."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise RosterError(f"cannot open {path}: {error.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except UnicodeDecodeError:
            raise RosterError("the file is not UTF-8 text") from None
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise RosterError(f"the header lacks: {', '.join(missing)} (expected {','.join(COLUMNS)})")
        try:
            for row in reader:
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}
        except (UnicodeDecodeError, csv.Error) as error:
            raise RosterError(f"line {reader.line_num}: {error}") from None


async def import_roster(
    db: Database, *, platform: str, team: str, rows: Iterator[tuple[int, dict[str, str]]],
    curated: Catalog, now: datetime, guard: Guard, progress: Callable[[int], None] = lambda n: None,
    zone: str = "UTC",
) -> ImportReport:
    """Import the rows; new people get `zone` (the workspace's default) until the platform says."""
    report, batch, done = ImportReport(), [], 0
    for line, row in rows:
        batch.append((line, row))
        if len(batch) == BATCH:
            await _import_batch(db, platform, team, batch, curated, now, guard, report, zone)
            done += len(batch)
            progress(done)
            batch = []
    if batch:
        await _import_batch(db, platform, team, batch, curated, now, guard, report, zone)
        progress(done + len(batch))
    return report


async def _import_batch(db, platform, team, batch, curated, now, guard, report, zone) -> None:
    async with db.transaction() as session:
        workspace = await get_or_create_workspace(
            session=session, platform=platform, external_id=team, now=now)
        for line, row in batch:
            user = row.get("platform_user_id", "")
            if not user:
                report.errors.append(f"line {line}: platform_user_id is empty; row skipped")
                continue
            try:
                async with session.begin_nested():
                    created = await _import_row(session, workspace.id, row, curated, now, guard,
                                                zone)
            except PreceptorError as error:
                report.errors.append(f"line {line}: {error.message} Row skipped.")
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
    member.affiliation = STAFF  # the hospital lists them: a guest account does not overrule it
    for text in filter(None, (a.strip() for a in row.get("mentor_aspects", "").split(";"))):
        aspect = await aspects.resolve(session, curated=curated, workspace_id=workspace_id,
                                       text=text)
        await declare(session, member_id=member.id, aspect_id=aspect.id, now=now)
    return created
