"""The program report for leads: is mentoring working? Counts only, never free text, and any
group of fewer than 5 people is shown as "fewer than 5" so that nobody is re-identified."""

import csv
import io
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.domain import Outcome, Status
from storage.models import Aspect, CheckIn, Expertise, IntroAsk, LearningRequest, Member, Mentorship

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
    by_month: dict[str, Figures]
    gaps: list[tuple[str, int]]  # aspects asked for with no mentor available


async def compute(session: AsyncSession, *, now: datetime, since: datetime | None = None,
                  workspace_id: int | None = None) -> Report:
    members = (await session.exec(_scoped(select(Member), Member, workspace_id))).all()
    people = {m.id: m for m in members}
    requests = [r for r in (await session.exec(select(LearningRequest))).all()
                if r.member_id in people and (since is None or r.created_at >= since)]
    pairs = [p for p in (await session.exec(select(Mentorship))).all()
             if p.mentee_id in people and (since is None or p.started_at >= since)]
    asks = [a for a in (await session.exec(select(IntroAsk))).all()
            if a.mentee_id in people and (since is None or a.created_at >= since)]
    pair_ids = {p.id for p in pairs}
    checkins = [c for c in (await session.exec(select(CheckIn))).all() if c.mentorship_id in pair_ids]

    def figures(keep) -> Figures:
        return _figures([r for r in requests if keep(people[r.member_id], r.created_at)],
                        [a for a in asks if keep(people[a.mentee_id], a.created_at)],
                        [p for p in pairs if keep(people[p.mentee_id], p.started_at)],
                        {p.id for p in pairs if keep(people[p.mentee_id], p.started_at)},
                        checkins)

    def grouped(attribute: str) -> dict[str, Figures | None]:
        sizes = Counter(getattr(m, attribute) or "not set" for m in members)
        return {
            name: (figures(lambda m, _, n=name: (getattr(m, attribute) or "not set") == n)
                   if size >= MIN_GROUP else None)
            for name, size in sorted(sizes.items())
        }

    months = sorted({r.created_at.strftime("%Y-%m") for r in requests})
    return Report(
        overall=figures(lambda m, when: True),
        by_department=grouped("department"),
        by_role=grouped("role"),
        by_month={month: figures(lambda m, when, k=month: when.strftime("%Y-%m") == k)
                  for month in months},
        gaps=await _gaps(session, requests, people, now),
    )


def _scoped(query, model, workspace_id):
    return query if workspace_id is None else query.where(model.workspace_id == workspace_id)


def _figures(requests, asks, pairs, pair_ids, checkins) -> Figures:
    hours = sorted((r.first_intro_at - r.created_at).total_seconds() / 3600
                   for r in requests if r.first_intro_at)
    answered = [a for a in asks if a.status in (Status.ACCEPTED, Status.DECLINED, Status.EXPIRED)]
    asked = [c for c in checkins if c.mentorship_id in pair_ids]
    replied = [c for c in asked if c.outcome and c.outcome != Outcome.SILENT]
    return Figures(
        requests=len(requests),
        introduced=len(hours),
        intro_share=_share(len(hours), len(requests)),
        median_hours_to_intro=round(statistics.median(hours), 1) if hours else None,
        p90_hours_to_intro=round(_p90(hours), 1) if hours else None,
        asks_answered=len(answered),
        acceptance_rate=_share(sum(a.status == Status.ACCEPTED for a in answered), len(answered)),
        active_pairs=sum(p.status == Status.ACTIVE for p in pairs),
        checkins_asked=len(asked),
        checkin_response_rate=_share(len(replied), len(asked)),
        stalled_pairs=sum(p.status == Status.PAUSED and p.paused_by_id is None for p in pairs),
        wrap_ups=sum(p.status == Status.WRAPPED for p in pairs),
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _p90(values: list[float]) -> float:
    return values[0] if len(values) == 1 else statistics.quantiles(values, n=10, method="inclusive")[8]


async def _gaps(session, requests, people, now) -> list[tuple[str, int]]:
    """Aspects people are waiting on that nobody available can mentor: who to recruit."""
    waiting = Counter(r.aspect_id for r in requests if r.status == Status.OPEN and not r.first_intro_at)
    if not waiting:
        return []
    live = Counter(p.mentor_id for p in (await session.exec(select(Mentorship))).all()
                   if p.status in (Status.ACTIVE, Status.PAUSED))
    available = set()
    for expertise in (await session.exec(select(Expertise))).all():
        mentor = people.get(expertise.member_id)
        if (mentor and not mentor.unreachable and live[mentor.id] < mentor.capacity
                and not (mentor.paused and (mentor.paused_until is None or mentor.paused_until > now))):
            available.add(expertise.aspect_id)
    names = {a.id: a.name for a in (await session.exec(select(Aspect))).all()}
    gaps = [(names[a], n) for a, n in waiting.items() if a not in available]
    return sorted(gaps, key=lambda g: (-g[1], g[0]))[:10]


def _cell(value) -> str:
    if value is None:
        return ""
    return f"{value:.1%}" if isinstance(value, float) and value <= 1 else str(value)


def to_csv(report: Report) -> str:
    """One row per scope, group and figure: `scope,group,metric,value`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["scope", "group", "metric", "value"])
    for scope, group, figures in _rows(report):
        for f in fields(Figures):
            value = SUPPRESSED if figures is None else getattr(figures, f.name)
            writer.writerow([scope, group, f.name, "" if value is None else value])
    for aspect, count in report.gaps:
        writer.writerow(["gap", aspect, "waiting_requests", count if count >= MIN_GROUP else SUPPRESSED])
    return out.getvalue()


def _rows(report: Report) -> Iterable[tuple[str, str, Figures | None]]:
    yield "overall", "all", report.overall
    for name, figures in report.by_department.items():
        yield "department", name, figures
    for name, figures in report.by_role.items():
        yield "role", name, figures
    for month, figures in report.by_month.items():
        yield "month", month, figures


def headline(f: Figures) -> str:
    hours = (f"median {f.median_hours_to_intro} h, 90th percentile {f.p90_hours_to_intro} h"
             if f.median_hours_to_intro is not None else "no introductions yet")
    return (f"{f.requests} learning request{'s' * (f.requests != 1)}, "
            f"{_cell(f.intro_share) or '–'} got an introduction "
            f"({hours} to the first); asks accepted: {_cell(f.acceptance_rate) or '–'}; "
            f"{f.active_pairs} active pairs, {f.stalled_pairs} stalled, {f.wrap_ups} wrapped up; "
            f"check-ins answered: {_cell(f.checkin_response_rate) or '–'}.")


def to_text(report: Report) -> list[str]:
    """Sections for a chat message or the terminal."""
    sections = [f"*Overall*: {headline(report.overall)}"]
    for title, groups in (("By department", report.by_department), ("By role", report.by_role)):
        lines = [f"• {name}: {SUPPRESSED if f is None else headline(f)}" for name, f in groups.items()]
        if lines:
            sections.append(f"*{title}*\n" + "\n".join(lines))
    if report.by_month:
        sections.append("*By month*\n" + "\n".join(
            f"• {month}: {f.requests} requests, {f.introduced} introduced, {f.wrap_ups} wrapped up"
            for month, f in report.by_month.items()))
    gaps = ", ".join(f"{aspect} ({n if n >= MIN_GROUP else SUPPRESSED})" for aspect, n in report.gaps)
    sections.append(f"*Asked for, no mentor available* (recruit for these): {gaps or 'none'}")
    return sections


def chart(report: Report, path) -> None:
    """A PNG (1000×400): the monthly funnel, and the gaps to recruit for."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (funnel, gaps) = plt.subplots(1, 2, figsize=(10, 4), dpi=100)
    months = list(report.by_month) or ["–"]
    series = [("requests", "learning requests"), ("introduced", "introduced"),
              ("wrap_ups", "wrapped up")]
    width = 0.8 / len(series)
    for n, (name, label) in enumerate(series):
        values = [getattr(report.by_month[m], name) if m in report.by_month else 0 for m in months]
        funnel.bar([i + n * width for i in range(len(months))], values, width, label=label)
    funnel.set_xticks([i + width for i in range(len(months))], months, rotation=45, ha="right")
    funnel.set_title("Monthly funnel")
    funnel.legend(fontsize="small")
    names = [aspect for aspect, _ in report.gaps][::-1] or ["none"]
    counts = [n for _, n in report.gaps][::-1] or [0]
    # Counts under 5 are drawn as "fewer than 5", hatched, never as their exact size.
    bars = gaps.barh(names, [max(n, MIN_GROUP) if n else 0 for n in counts], color="#c0504d")
    for bar, n in zip(bars, counts, strict=True):
        if 0 < n < MIN_GROUP:
            bar.set_hatch("//")
            bar.set_alpha(0.5)
    gaps.set_title("Asked for, no mentor available")
    gaps.set_xlabel("requests waiting (hatched: fewer than 5)")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
