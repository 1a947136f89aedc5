"""The program report for leads: is mentoring working? Counts only, never free text, and any
group of fewer than 5 people is shown as "fewer than 5" so that nobody is re-identified."""

import statistics
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.report import group_sizes, month_sizes, report_counts, unmet_aspects

MIN_GROUP = 5
SUPPRESSED = "fewer than 5"


@dataclass
class Figures:
    requests: int = 0
    introduced: int = 0
    intro_share: float | None = None
    median_hours_to_intro: float | None = None
    p90_hours_to_intro: float | None = None
    asks_answered: int = 0
    acceptance_rate: float | None = None
    active_pairs: int = 0
    checkins_asked: int = 0
    checkin_response_rate: float | None = None
    stalled_pairs: int = 0
    wrap_ups: int = 0


@dataclass
class Report:
    overall: Figures
    by_department: dict[str, Figures | None]  # None: fewer than 5 people
    by_role: dict[str, Figures | None]
    by_month: dict[str, Figures | None]  # None: fewer than 5 people asked that month
    gaps: list[tuple[str, int]]  # aspects asked for with no mentor available
    since: datetime | None = None  # the period counted: from `since` (or the start) ...
    until: datetime | None = None  # ... to the moment the report was made


async def compute(session: AsyncSession, *, now: datetime, since: datetime | None = None,
                  workspace_id: int | None = None) -> Report:
    """Every figure, counted by the database (`storage.queries.report`)."""
    def figures_of(group: str) -> Awaitable[dict[str, dict]]:
        return report_counts(session=session, workspace_id=workspace_id, since=since, group=group)

    async def grouped(attribute: str) -> dict[str, Figures | None]:
        sizes = await group_sizes(session=session, workspace_id=workspace_id, group=attribute)
        counts = await figures_of(attribute)
        return {name: _figures(counts.get(name, {})) if size >= MIN_GROUP else None
                for name, size in sorted(sizes.items())}

    months = await month_sizes(session=session, workspace_id=workspace_id, since=since)
    by_month = await figures_of("month")
    return Report(
        overall=_figures((await figures_of("overall")).get("all", {})),
        by_department=await grouped("department"),
        by_role=await grouped("role"),
        by_month={month: _figures(by_month.get(month, {})) if size >= MIN_GROUP else None
                  for month, size in months.items()},
        gaps=await unmet_aspects(session=session, workspace_id=workspace_id, since=since, now=now),
        since=since, until=now,
    )


def _figures(counts: dict) -> Figures:
    hours = sorted(counts.get("hours", []))
    requests, answered = counts.get("requests", 0), counts.get("asks_answered", 0)
    asked = counts.get("checkins_asked", 0)
    return Figures(
        requests=requests,
        introduced=len(hours),
        intro_share=_share(len(hours), requests),
        median_hours_to_intro=round(statistics.median(hours), 1) if hours else None,
        p90_hours_to_intro=round(_p90(hours), 1) if hours else None,
        asks_answered=answered,
        acceptance_rate=_share(counts.get("asks_accepted", 0), answered),
        active_pairs=counts.get("active_pairs", 0),
        checkins_asked=asked,
        checkin_response_rate=_share(counts.get("checkins_replied", 0), asked),
        stalled_pairs=counts.get("stalled_pairs", 0),
        wrap_ups=counts.get("wrap_ups", 0),
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _p90(values: list[float]) -> float:
    return values[0] if len(values) == 1 else statistics.quantiles(values, n=10, method="inclusive")[8]
