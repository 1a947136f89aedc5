"""The dashboard's pages: the program report of the lead's workspace (or of one program they
lead) as headline figures, charts by month, tables by department, role and program, the
aspects to recruit for, and the same figures as CSV. Every figure comes from
`bot.usecases.report.compute`, as `preceptor report` prints it."""

from importlib import resources

from aiohttp import web

from bot.app.dashboard import DASHBOARD
from bot.app.dashboard.charts import bars
from bot.app.dashboard.signin import page
from bot.usecases import report_output
from bot.usecases.report import MIN_GROUP, SUPPRESSED, Figures, Report, compute, overall
from storage.models import Member, Program
from storage.queries.programs import led_by, members_clause, program_sizes, programs_in

COLUMNS = (  # the tables' figures: (metric, heading)
    ("staff", "Staff"), ("requests", "Requests"), ("intro_share", "Introduced"),
    ("median_hours_to_intro", "Median hours to intro"), ("active_pairs", "Active pairs"),
    ("mentored_share", "Staff with a mentor"), ("meetings_per_pair_month", "Meetings per pair-month"),
    ("quality_mean", "Usefulness (1–5)"), ("closed_quiet", "Closed: quiet"), ("wrap_ups", "Wrapped up"),
    ("retained_12m_mentees", "Retained 12 months: mentees"),
    ("retained_12m_others", "… others, same roles"))
SHARES = {"intro_share", "mentored_share", "acceptance_rate", "checkin_response_rate",
          "retained_12m_mentees", "retained_12m_others"}


def routes(server: web.Application) -> None:
    server.router.add_get("/admin", overview)
    server.router.add_get("/admin/report.csv", csv)
    server.router.add_get("/admin/static/dashboard.css", stylesheet)


def shown(metric: str, value) -> str:
    """A figure as the page shows it: shares in per cent, nothing as a dash."""
    if value is None:
        return "–"
    return f"{value:.1%}" if metric in SHARES else f"{value:g}" if isinstance(value, float) else str(value)


async def _scope(request: web.Request):
    """(lead, programs they may see, the program asked for or None: the whole workspace)."""
    dashboard = request.app[DASHBOARD]
    lead = dashboard.seals.session(request)
    if lead is None:
        raise web.HTTPFound("/admin/login")
    async with dashboard.app.db.transaction() as session:
        member = await session.get(Member, lead["member"])
        if member is None or member.platform_user_id != lead["user"]:  # gone (forget-me) since
            gone = web.HTTPFound("/admin/login")
            dashboard.seals.end_session(gone)
            raise gone
        programs = await programs_in(session=session, workspace_id=lead["workspace"])
    lead["admin"] = lead["user"] in dashboard.app.settings.admins  # as the settings say now
    mine = led_by(programs, lead["user"], dashboard.app.settings.admins)
    wanted = request.query.get("program", "")
    chosen = next((p for p in mine if str(p.id) == wanted), None)
    if wanted and chosen is None:
        raise web.HTTPNotFound(text="There's no such program that you lead.")
    if chosen is None and not lead["admin"]:
        if not mine:
            raise web.HTTPForbidden(text="Only program leads can open the dashboard.")
        chosen = mine[0]
    return lead, mine, chosen


async def _report(request: web.Request, workspace: int, program: Program | None) -> Report:
    app = request.app[DASHBOARD].app
    async with app.db.transaction() as session:
        return await compute(session, now=app.clock.now(), workspace_id=workspace,
                             within=members_clause(program) if program else None)


async def overview(request: web.Request) -> web.Response:
    lead, mine, chosen = await _scope(request)
    report = await _report(request, lead["workspace"], chosen)
    by_program = await _by_program(request, lead["workspace"], mine)
    return page(request, "overview.html", lead=lead, report=report, chosen=chosen, programs=mine,
                columns=COLUMNS, shown=shown, headline=report_output.headline(report.overall),
                outcomes=report_output.outcomes(report.overall), tables=_tables(report, by_program),
                charts=_charts(report, by_program), small=MIN_GROUP, suppressed=SUPPRESSED)


async def _by_program(request: web.Request, workspace: int,
                      programs: list[Program]) -> list[tuple[Program, Figures | None]]:
    """Each program's overall figures; a program of fewer than 5 people shows none."""
    async with request.app[DASHBOARD].app.db.transaction() as session:
        sizes = await program_sizes(session=session, programs=programs)
        return [(p, await overall(session, now=request.app[DASHBOARD].app.clock.now(),
                                  workspace_id=workspace, within=members_clause(p))
                 if n >= MIN_GROUP else None) for p, n in zip(programs, sizes, strict=True)]


def _tables(report: Report, by_program: list[tuple[Program, Figures | None]]) -> list[tuple[str, str, list]]:
    """(title, CSV scope, [(group, figures or None)]) for each table."""
    return [("Overall", "overall", [("all", report.overall)]),
            ("By department", "department", list(report.by_department.items())),
            ("By role", "role", list(report.by_role.items())),
            ("By month", "month", list(report.by_month.items())),
            *([("By program", "program", [(p.name, f) for p, f in by_program])] if by_program else [])]


FUNNEL = {"requests": "requests", "introduced": "introduced", "wrapped up": "wrap_ups"}


def _charts(report: Report, by_program: list[tuple[Program, Figures | None]]) -> list[tuple[str, object]]:
    """(caption, chart) of each chart: by month, then by department, role and program."""
    o = report.overall
    groups = {"department": report.by_department, "role": report.by_role,
              **({"program": {p.name: f for p, f in by_program}} if by_program else {})}
    drawn = [
        ("funnel", "Monthly funnel: requests, introductions, wrap-ups", report.by_month, FUNNEL),
        ("time-to-intro", "Median hours to the first introduction, by month", report.by_month,
         {"median hours": "median_hours_to_intro"}),
        ("outcomes", "Pairs by the month they started: wrapped up, closed as quiet", report.by_month,
         {"wrapped up": "wrap_ups", "closed: quiet": "closed_quiet"}),
        *((f"funnel-{kind}", f"Requests, introductions and wrap-ups by {kind}", rows, FUNNEL)
          for kind, rows in groups.items()),
        ("quality-department", "Usefulness (mean, 1–5) by department", report.by_department,
         {"usefulness": "quality_mean"}),
    ]
    charts = [(title, _grouped(key, title, rows, metrics)) for key, title, rows, metrics in drawn]
    spread = [o.rated_1, o.rated_2, o.rated_3, o.rated_4, o.rated_5]
    title = "How useful mentorships were (answers, 1–5)"
    scale = ["1", "2", "3", "4", "5"]
    return [*charts, (title, bars("quality", title, scale, {"answers": spread},
                                  set() if o.quality_mean is not None else set(scale)))]


def _grouped(key: str, title: str, rows: dict[str, Figures | None], metrics: dict[str, str]):
    """Bars of `metrics` (label → figure) for each group; a suppressed group says so."""
    hidden = {name for name, f in rows.items() if f is None}
    return bars(key, title, list(rows), {label: [getattr(f, metric) if f else None for f in rows.values()]
                                         for label, metric in metrics.items()}, hidden)


async def csv(request: web.Request) -> web.Response:
    lead, _, chosen = await _scope(request)
    text = report_output.to_csv(await _report(request, lead["workspace"], chosen))
    name = f"preceptor-report-{chosen.id if chosen else 'all'}.csv"
    return web.Response(text=text, content_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


async def stylesheet(request: web.Request) -> web.Response:
    css = resources.files("bot.app.dashboard").joinpath("static/dashboard.css").read_text("utf-8")
    return web.Response(text=css, content_type="text/css", headers={"Cache-Control": "max-age=3600"})
