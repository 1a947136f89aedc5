"""The program report as people read it: sections for chat or the terminal, CSV, a chart."""

import csv
import io
from collections.abc import Iterable
from dataclasses import fields

from bot.core.wording import plural
from bot.usecases.report import MIN_GROUP, SUPPRESSED, Figures, Report


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
    return (f"{plural(f.requests, 'learning request')}, "
            f"{_cell(f.intro_share) or '–'} got an introduction "
            f"({hours} to the first); asks accepted: {_cell(f.acceptance_rate) or '–'}; "
            f"{plural(f.active_pairs, 'active pair')}, {f.stalled_pairs} stalled, {f.wrap_ups} wrapped up; "
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
