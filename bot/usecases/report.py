"""The program report for leads: is mentoring working? Counts only, never free text, and any
group of fewer than 5 people is shown as "fewer than 5" so that nobody is re-identified."""

import statistics
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.outcomes import outcome_counts, retention_counts
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
    staff: int | None = None  # people in the group (not for months)
    mentored: int = 0  # mentees with a live mentorship
    mentored_share: float | None = None
    meetings_per_pair_month: float | None = None  # rounds either side called "met"
    median_days_to_first_meeting: float | None = None
    flagged_never_met: int = 0  # pairs the lead was told had not met after 21 days
    closed_quiet: int = 0  # early closures by reason: went quiet, warned, closed
    closed_left: int = 0  # … one side left Preceptor
    quality_answers: int = 0  # how useful the mentorship was, 1–5, both sides
    quality_mean: float | None = None  # this and the spread: only from 5 answers
    rated_1: int | None = None
    rated_2: int | None = None
    rated_3: int | None = None
    rated_4: int | None = None
    rated_5: int | None = None
    goal_mean: float | None = None  # how close to the goal, 1–5, at the wrap-up (from 5 answers)
    # 12-month retention, where the roster gives hiring (and leaving) dates; each side from 5
    retention_mentees: int | None = None  # mentees whose first mentorship began 12+ months ago
    retained_12m_mentees: float | None = None  # … still on staff 12 months after it began
    retention_others: int | None = None  # staff of the same roles never mentored, on staff then
    retained_12m_others: float | None = None  # … still on staff now


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
                  workspace_id: int | None = None, within: ColumnElement[bool] | None = None) -> Report:
    """Every figure, counted by the database (`storage.queries.report`); `within` keeps to
    some people (a program's)."""
    scope = {"workspace_id": workspace_id, "within": within}

    async def figures_of(group: str) -> dict[str, dict]:
        return await _counts(session, group, now=now, since=since, **scope)

    async def grouped(attribute: str) -> dict[str, Figures | None]:
        sizes = await group_sizes(session=session, group=attribute, **scope)
        counts = await figures_of(attribute)
        return {name: _figures(counts.get(name, {})) if size >= MIN_GROUP else None
                for name, size in sorted(sizes.items())}

    months = await month_sizes(session=session, since=since, **scope)
    by_month = await figures_of("month")
    return Report(
        overall=_figures((await figures_of("overall")).get("all", {})),
        by_department=await grouped("department"),
        by_role=await grouped("role"),
        by_month={month: _figures(by_month.get(month, {})) if size >= MIN_GROUP else None
                  for month, size in months.items()},
        gaps=await unmet_aspects(session=session, since=since, now=now, **scope),
        since=since, until=now,
    )


async def overall(session: AsyncSession, *, now: datetime, workspace_id: int,
                  within: ColumnElement[bool] | None = None) -> Figures:
    """The overall figures alone (a row per program), without the groups and the gaps."""
    counts = await _counts(session, "overall", now=now, since=None, workspace_id=workspace_id,
                           within=within)
    return _figures(counts.get("all", {}))


async def _counts(session: AsyncSession, group: str, *, now: datetime, since: datetime | None,
                  workspace_id: int | None, within: ColumnElement[bool] | None) -> dict[str, dict]:
    """Every count of one grouping (overall, department, role or month), by group."""
    scope = {"workspace_id": workspace_id, "within": within}
    counts = await report_counts(session=session, since=since, group=group, **scope)
    outcomes = await outcome_counts(session=session, since=since, group=group, now=now, **scope)
    sizes, kept = ({}, {}) if group == "month" else (
        await group_sizes(session=session, group=group, **scope),
        await retention_counts(session=session, group=group, now=now, **scope))
    return {k: {**counts.get(k, {}), **outcomes.get(k, {}), **kept.get(k, {}), "staff": sizes.get(k)}
            for k in {*counts, *outcomes, *sizes}}


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
        **_outcomes(counts),
    )


def _outcomes(counts: dict) -> dict:
    """The figures of what came of the pairs; answers about quality only from `MIN_GROUP`."""
    staff, mentored = counts.get("staff"), counts.get("mentored", 0)
    months, days = counts.get("pair_months", 0.0), sorted(counts.get("first_meeting_days", []))
    ratings, goals = counts.get("ratings", [0] * 5), counts.get("goals", [])
    shown = sum(ratings) >= MIN_GROUP
    return {
        "staff": staff, "mentored": mentored,
        "mentored_share": _share(mentored, staff) if staff else None,
        "meetings_per_pair_month": round(counts.get("meetings", 0) / months, 2) if months else None,
        "median_days_to_first_meeting": round(statistics.median(days), 1) if days else None,
        "flagged_never_met": counts.get("flagged_never_met", 0),
        "closed_quiet": counts.get("closed_quiet", 0), "closed_left": counts.get("closed_left", 0),
        "quality_answers": sum(ratings),
        "quality_mean": round(sum(n * c for n, c in enumerate(ratings, 1)) / sum(ratings), 2)
        if shown else None,
        **{f"rated_{n}": c if shown else None for n, c in enumerate(ratings, 1)},
        "goal_mean": round(statistics.mean(goals), 2) if len(goals) >= MIN_GROUP else None,
        **_retention(counts, "mentees"), **_retention(counts, "others"),
    }


def _retention(counts: dict, side: str) -> dict:
    n = counts.get(f"retention_{side}", 0)
    shown = n >= MIN_GROUP
    return {f"retention_{side}": n if shown else None,
            f"retained_12m_{side}": _share(counts.get(f"retained_{side}", 0), n) if shown else None}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _p90(values: list[float]) -> float:
    return values[0] if len(values) == 1 else statistics.quantiles(values, n=10, method="inclusive")[8]
