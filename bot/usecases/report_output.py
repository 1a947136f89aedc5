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


def _text(value: str) -> str:
    """A group's or aspect's name as a spreadsheet cell: never a formula (OWASP, "CSV Injection")."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(report: Report) -> str:
    """One row per scope, group and figure: `scope,group,metric,value,suppressed`. `value` is
    always a number (or empty); a cell hidden by the small-group rule has no value and
    `suppressed` = yes, so a spreadsheet can sum the column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["scope", "group", "metric", "value", "suppressed"])
    for scope, group, figures in _rows(report):
        for f in fields(Figures):
            value = None if figures is None else getattr(figures, f.name)
            writer.writerow([scope, _text(group), f.name, "" if value is None else value,
                             "yes" if figures is None else "no"])
    for aspect, count in report.gaps:
        small = count < MIN_GROUP
        writer.writerow(["gap", _text(aspect), "waiting_requests", "" if small else count,
                         "yes" if small else "no"])
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


def outcomes(f: Figures) -> str:
    """Mentored share, meetings, closures and quality, in one sentence."""
    share = f" ({_cell(f.mentored_share)} of {f.staff} staff)" if f.mentored_share is not None else ""
    meetings = ("no meetings yet" if f.meetings_per_pair_month is None else
                f"{f.meetings_per_pair_month} meetings per pair per month, the first after a "
                f"median {f.median_days_to_first_meeting} days")
    quality = (f"usefulness {f.quality_mean}/5 from {plural(f.quality_answers, 'answer')} "
               f"(1–5: {f.rated_1}, {f.rated_2}, {f.rated_3}, {f.rated_4}, {f.rated_5})"
               if f.quality_mean is not None else
               f"usefulness: {SUPPRESSED if f.quality_answers else 'no'} answers yet")
    goal = f"; at wrap-up, {f.goal_mean}/5 of the way to the goal" if f.goal_mean is not None else ""
    kept = (f"; still on staff 12 months on: {_cell(f.retained_12m_mentees)} of "
            f"{f.retention_mentees} mentees, {_cell(f.retained_12m_others)} of {f.retention_others} "
            "colleagues in the same roles never mentored"
            if f.retained_12m_mentees is not None and f.retained_12m_others is not None else "")
    return (f"{plural(f.mentored, 'person', 'people')} with a mentor now{share}; {meetings}; "
            f"{f.flagged_never_met} flagged as never met; closed early: {f.closed_quiet} gone "
            f"quiet, {f.closed_left} left; {quality}{goal}{kept}.")


def to_text(report: Report) -> list[str]:
    """Sections for a chat message or the terminal."""
    sections = [f"*Overall*: {headline(report.overall)}"]
    for title, groups in (("By department", report.by_department), ("By role", report.by_role)):
        lines = [f"• {name}: {SUPPRESSED if f is None else headline(f)}" for name, f in groups.items()]
        if lines:
            sections.append(f"*{title}*\n" + "\n".join(lines))
    if report.by_month:
        sections.append("*By month*\n" + "\n".join(
            f"• {month}: " + (SUPPRESSED + " people asked" if f is None else
                              f"{plural(f.requests, 'request')}, {f.introduced} introduced, "
                              f"{f.wrap_ups} wrapped up")
            for month, f in report.by_month.items()))
    sections.append(f"*What came of the pairs*: {outcomes(report.overall)}")
    gaps = ", ".join(f"{aspect} ({n if n >= MIN_GROUP else SUPPRESSED})" for aspect, n in report.gaps)
    sections.append(f"*Asked for, no mentor available* (recruit for these): {gaps or 'none'}")
    return sections


def chart(report: Report, path) -> None:
    """The report's figure as a PNG (1000×400)."""
    import matplotlib.pyplot as plt

    drawn = figure(report)
    drawn.savefig(path, dpi=100)
    plt.close(drawn)


def figure(report: Report):
    """Titled with its period: the monthly funnel, and the gaps to recruit for. Counts are
    whole numbers; a cell the small-group rule hides is written "fewer than 5" where its
    bars would be, never drawn as a value."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    drawn, (funnel, gaps) = plt.subplots(1, 2, figsize=(10, 4), dpi=100)
    drawn.suptitle(f"Preceptor program report, {_period(report)}")
    months = list(report.by_month) or ["–"]
    series = [("requests", "learning requests"), ("introduced", "introduced"),
              ("wrap_ups", "wrapped up")]
    width = 0.8 / len(series)
    for n, (name, label) in enumerate(series):
        values = [getattr(report.by_month[m], name) if report.by_month.get(m) else 0 for m in months]
        funnel.bar([i + n * width for i in range(len(months))], values, width, label=label)
    for i, month in enumerate(months):
        if month in report.by_month and report.by_month[month] is None:
            funnel.text(i + width, 0.1, SUPPRESSED, rotation=90, ha="center", va="bottom",
                        fontsize="small", color="#555555")
    funnel.set_xticks([i + width for i in range(len(months))], months, rotation=45, ha="right")
    funnel.yaxis.set_major_locator(MaxNLocator(integer=True))
    funnel.set_ylim(bottom=0, top=max(funnel.get_ylim()[1], 1))
    funnel.set_title("Monthly funnel")
    funnel.legend(fontsize="small")
    names = [aspect for aspect, _ in report.gaps][::-1] or ["none"]
    counts = [n for _, n in report.gaps][::-1] or [0]
    gaps.barh(names, [n if n >= MIN_GROUP else 0 for n in counts], color="#c0504d")
    for row, n in enumerate(counts):
        if 0 < n < MIN_GROUP:
            gaps.text(0.1, row, SUPPRESSED, va="center", fontsize="small", color="#555555")
    gaps.xaxis.set_major_locator(MaxNLocator(integer=True))
    gaps.set_xlim(left=0, right=max(gaps.get_xlim()[1], MIN_GROUP))
    gaps.set_title("Asked for, no mentor available")
    gaps.set_xlabel("requests waiting")
    drawn.tight_layout()
    return drawn


def _period(report: Report) -> str:
    until = f"{report.until:%d %b %Y}" if report.until else "now"
    return f"{report.since:%d %b %Y} to {until}" if report.since else f"all time to {until}"
