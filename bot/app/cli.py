"""The `preceptor` command: serve, try, tick, db upgrade."""

import argparse
import asyncio
import gc
import logging
import os
import sys
import tempfile
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bot.app import logs, preflight
from bot.app.assembly import build
from bot.app.preflight import OperatorError
from bot.app.settings import Settings
from bot.core.clock import FixedClock
from bot.matching.aspects import seed_taxonomy
from storage.engine import Database
from storage.migrate import upgrade


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = preflight.settings()
        logs.configure(settings, args.command)
        return _run(settings, args)
    except OperatorError as error:
        print(f"preceptor: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="preceptor", description=__doc__)
    parser.add_argument("--version", action="version", version=f"preceptor {version('preceptor')}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    serve = sub.add_parser("serve", help="run the bot server")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", 3000)),
                       help="the port to listen on (default: $PORT or 3000)")
    serve.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"),
                       help="the address to listen on (default: $HOST or every interface, as "
                            "behind a load balancer; 127.0.0.1 for this machine only)")
    serve.add_argument("--socket-mode", action="store_true",
                       help="connect to Slack over Socket Mode (needs SLACK_APP_TOKEN)")
    try_ = sub.add_parser("try", help="a local workspace in the terminal, with demo staff")
    try_.add_argument("--script", type=Path, help="run these lines instead of reading the keyboard")
    try_.add_argument("--now", type=_when, help="where the demo clock starts (ISO 8601)")
    try_.add_argument("--database", help="keep the workspace in this database URL")
    tick = sub.add_parser("tick", help="run all scheduled work due now (or at --now) once")
    tick.add_argument("--now", type=_when, help="do what is due at this time instead (ISO 8601)")
    roster = sub.add_parser("import-roster", help="import staff from a CSV (see README)")
    roster.add_argument("file", type=Path, help="the CSV file (UTF-8, or Excel's Windows-1252)")
    roster.add_argument("--platform", choices=["slack", "teams", "console"],
                        help="whose ids the file holds (default: the one configured)")
    roster.add_argument("--team", help="the workspace (Slack team id / Teams tenant id)")
    roster.add_argument("--check", action="store_true",
                        help="check every row and say what would change, changing nothing")
    report = sub.add_parser("report", help="the program report (counts only)")
    report.add_argument("--since", type=_when, help="only activity from this date (ISO 8601)")
    report.add_argument("--csv", type=Path, help="also write the figures as CSV")
    report.add_argument("--chart", type=Path, help="also draw the monthly funnel and gaps (PNG)")
    report.add_argument("--program", help="only the people of the program of this name")
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade", "backup"],
                    help="upgrade: create or migrate the schema to this version's, and seed the "
                         "aspects; backup FILE: a consistent copy of a SQLite database, while it runs")
    db.add_argument("file", nargs="?", type=Path, help="backup: where to write the copy")
    return parser


def _run(settings: Settings, args) -> int:
    if args.command == "db" and args.action == "backup":
        print(preflight.backup(settings.database_url, args.file))
        return 0
    if args.command == "db":
        print(prepare_database(settings.database_url))
        return 0
    if args.command == "try":
        return asyncio.run(_try(settings, args))
    if args.command == "serve" and args.socket_mode and not settings.slack_app_token:
        raise OperatorError("--socket-mode needs SLACK_APP_TOKEN (an xapp- token from the app's "
                            "Basic Information page)")
    preflight.database(settings.database_url)
    logging.getLogger("preceptor").info("database: %s", preflight.shown(settings.database_url))
    if args.command == "tick":
        return asyncio.run(_tick(settings, args.now))
    if args.command == "report":
        return asyncio.run(_report(settings, args))
    if args.command == "import-roster":
        return asyncio.run(_import_roster(settings, args))
    return _serve(settings, args.host, args.port, args.socket_mode)


def _when(value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value}") from error
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def prepare_database(url: str) -> str:
    """Migrate to the latest schema and add any missing curated aspects; says what it did."""
    before, head = preflight.current_and_head(url, create=True)
    if before != head:
        upgrade(url)

    async def seed() -> int:
        db = Database(url)
        async with db.transaction() as session:
            added = await seed_taxonomy(session)
        await db.dispose()
        return added

    added = asyncio.run(seed())
    where = preflight.shown(url)
    done = (f"created the schema (revision {head}) in {where}" if before is None else
            f"upgraded {where} from revision {before} to {head}" if before != head else
            f"{where} is already at revision {head}, the latest")
    return done + (f"; added {added} curated aspects" if added else "")


async def _tick(settings: Settings, now: datetime | None) -> int:
    app = build(settings, clock=FixedClock(now) if now else None)
    try:
        report = await app.tick.run()
    finally:
        await app.close()
    delivery = report.delivery
    print(
        f"expired asks: {report.expired_asks}, resumed: {report.resumed}, "
        f"check-ins: {report.checkins}, sent: {delivery.sent}, retried: {delivery.retried}, "
        f"failed: {delivery.failed}, surveys: {report.surveys}, flagged: {report.flagged}, "
        f"warned: {report.warned}, closed: {report.closed}"
    )
    return 0


async def _import_roster(settings: Settings, args) -> int:
    """Exit status: 0 every row imported, 3 imported with rows skipped, 1 nothing imported."""
    from bot.usecases.roster import RosterError, import_roster, read

    app = build(settings, messengers={})
    try:
        platform, team = await _roster_workspace(settings, app, args)
        roster = read(args.file)
        for warning in roster.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        report = await import_roster(
            app.db, platform=platform, team=team, rows=iter(roster.rows),
            curated=await app.work.curated(), now=app.clock.now(), guard=app.guard,
            progress=_progress if sys.stderr.isatty() else lambda done: None,
            zone=settings.preceptor_timezone, dry_run=args.check,
        )
    except RosterError as error:
        print(f"roster not imported: {error}", file=sys.stderr)
        return 1
    finally:
        await app.close()
    errors = sorted([*roster.skipped, *report.errors])
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    for line, problem in errors:
        print(f"line {line}: {problem}", file=sys.stderr)
    would = "would be " if args.check else ""
    print(f"{report.created} {would}added, {report.updated} {would}updated, {len(errors)} skipped "
          f"({platform} workspace {team}){'; nothing was changed (--check)' if args.check else ''}")
    return 3 if errors else 0


async def _report(settings: Settings, args) -> int:
    from bot.core.messages import plain
    from bot.usecases import programs, report, report_output

    app = build(settings, messengers={})
    try:
        async with app.db.transaction() as session:
            figures = await (programs.program_report(
                session, now=app.clock.now(), since=args.since, name=args.program) if args.program
                else report.compute(session, now=app.clock.now(), since=args.since))
    finally:
        await app.close()
    if figures is None:
        print(f"error: no program called {args.program!r}; `/mentor admin programs` lists them")
        return 2
    print("\n\n".join(plain(section) for section in report_output.to_text(figures)))
    if args.csv:
        args.csv.write_text(report_output.to_csv(figures), encoding="utf-8")
        print(f"\nwrote {args.csv}")
    if args.chart:
        report_output.chart(figures, args.chart)
        print(f"wrote {args.chart}")
    return 0


def _progress(done: int) -> None:
    sys.stderr.write(f"\rimported {done} rows")
    sys.stderr.flush()


async def _roster_workspace(settings: Settings, app, args) -> tuple[str, str]:
    """--platform/--team, or the configured workspace: Slack first, then Teams."""
    from bot.usecases.roster import RosterError
    from handlers.slack import setup as slack
    from handlers.teams import setup as teams

    platform = args.platform or ("slack" if slack.is_configured(settings) else
                                 "teams" if teams.is_configured(settings) else None)
    if platform is None:
        raise RosterError("no Slack or Teams is configured: pass --platform and --team")
    if args.team:
        return platform, args.team
    if platform == "teams" and settings.microsoft_app_tenant_id:
        return platform, settings.microsoft_app_tenant_id
    known = await app.events.installed(platform)
    if len(known) == 1:
        return platform, known[0]
    if platform == "slack" and settings.slack_bot_token:
        from slack_sdk.web.async_client import AsyncWebClient

        identity = await AsyncWebClient(token=settings.slack_bot_token,
                                        base_url=settings.slack_api_url).auth_test()
        org_wide = identity.get("is_enterprise_install")  # Grid: the org is the workspace
        return platform, identity["enterprise_id"] if org_wide else identity["team_id"]
    raise RosterError(f"cannot tell which {platform} workspace: pass --team")


async def _try(settings: Settings, args) -> int:
    from handlers.console.demo import DEMO_LEAD
    from handlers.console.messenger import ConsoleMessenger
    from handlers.console.workspace import ConsoleWorkspace

    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{folder}/try.db"
        await asyncio.to_thread(prepare_database, url)
        start = args.now or datetime.now(UTC).replace(hour=14, minute=0, second=0, microsecond=0)
        clock, messenger = FixedClock(start), ConsoleMessenger()
        if not settings.preceptor_admins:  # the demo hospital's mentoring lead
            settings = settings.model_copy(update={"preceptor_admins": DEMO_LEAD})
        app = build(settings, clock=clock, messengers={"console": messenger}, database_url=url,
                    channels={"console": "#mentoring"})
        workspace = ConsoleWorkspace(app, messenger, clock)
        await workspace.load_demo()
        try:
            await _repl(workspace, args.script)
        finally:
            await app.close()
    return 0


async def _repl(workspace, script: Path | None) -> None:
    print("Preceptor — a local workspace with demo staff. Type `help` for commands, `people` to "
          "see who is here, `as <name>` to be someone else, `time +15d` to move the clock, a "
          "number to press a button, `quit` to leave.\nTo connect Slack or Teams, set the "
          "credentials in .env (see README) and run `make run` again.\n")
    from handlers.console.terminal import Terminal

    lines = script.read_text("utf-8").splitlines() if script else None
    terminal = Terminal() if lines is None else None
    while True:
        line: str | None
        if lines is not None:
            if not lines:
                return
            line = lines.pop(0)
            print(workspace.prompt + line)
        else:
            assert terminal is not None
            try:
                line = await terminal.line(workspace.prompt)
            except asyncio.CancelledError:  # Ctrl-C: leave cleanly, as `quit` does
                line = None
            if line is None:
                print("\nBye.")
                return
        if line.strip().lower() in ("quit", "exit"):
            return
        sys.stdout.write(await workspace.handle(line))
        sys.stdout.flush()


def _serve(settings: Settings, host: str, port: int, socket_mode: bool) -> int:
    from aiohttp import web

    from bot.app.server import make_server

    server = make_server(build(settings, immediate_delivery=True), socket_mode=socket_mode)
    # The ~165,000 objects start-up made (modules, frameworks) live as long as the process.
    # Frozen, the full collections a busy server runs every few seconds no longer walk them
    # (80–160 ms each before, stalling every acknowledgement waiting meanwhile).
    gc.collect()
    gc.freeze()
    web.run_app(server, host=host, port=port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
