"""`preceptor serve`: one aiohttp server for Slack, Teams and health, ticking on an interval.
It owns the inbox worker, the folder of workspace events and the application's immediate
delivery, and closes the application when it stops."""

import asyncio
import contextlib
import logging
import time
import uuid
from functools import partial
from importlib import resources
from string import Template

from aiohttp import web

from bot.app import dashboard, logs
from bot.app.admission import Admission
from bot.app.assembly import Application
from bot.app.fold_worker import POLL_SECONDS, FoldWorker
from bot.app.inbox_worker import InboxWorker
from bot.app.scheduler import start_ticking
from bot.core import metrics
from handlers.slack import setup as slack
from handlers.teams import setup as teams
from storage.migrate import revisions

log = logging.getLogger(__name__)
APPLICATION = web.AppKey("application", Application)
INBOX_WORKER = web.AppKey("inbox_worker", InboxWorker)
FOLD_WORKER = web.AppKey("fold_worker", FoldWorker)
PROBLEMS = web.AppKey("problems", dict)  # dependency -> async check: None, or what is wrong
HEALTH_TIMEOUT = 2.0  # seconds: a database that does not answer by then is unavailable


def make_server(app: Application, *, tick: bool = True, socket_mode: bool = False) -> web.Application:
    """The server; platform edges are mounted when their credentials are configured. The PHI
    guard's word lists are read now (about a second), not on someone's first text."""
    app.guard.warm()
    server = web.Application(client_max_size=1024 * 1024, middlewares=[_request_id])
    server[APPLICATION] = app
    server[PROBLEMS] = {}
    server.router.add_get("/healthz", healthz)
    server.router.add_get("/readyz", readyz)
    server.router.add_get("/metrics", metrics_page)
    for page in ("privacy", "terms"):  # what the Teams package links to
        server.router.add_get(f"/{page}", partial(notice, page=page))
    people = Admission()  # commands being worked: the folder gives way to them
    folder = FoldWorker(app.events, app.db, app.clock, requests=app.admission, people=people,
                        poll=POLL_SECONDS if app.db.engine.dialect.name == "postgresql" else None)
    server[FOLD_WORKER] = folder
    server.cleanup_ctx.append(_running(folder.run))
    _mount_slack(server, app, socket_mode, people)
    dashboard.mount(server, app)
    if app.teams_adapter is not None:
        teams.mount(server, app.teams_adapter, app.settings, app.dispatch, app.events, app.conversations)
    if tick:
        server.cleanup_ctx.append(_ticking(app))
    server.on_cleanup.append(lambda _server: app.close())
    return server


@web.middleware
async def _request_id(request: web.Request, handler):
    """Every log line of a request carries its id: the caller's `X-Request-Id`, or a new one
    (sent back, so an operator can find a user's complaint in the logs)."""
    given = request.headers.get("X-Request-Id", "")
    rid = given[:64] if given.isascii() and given.isprintable() and given else uuid.uuid4().hex[:16]
    token, started = logs.request_id.set(rid), time.perf_counter()
    try:
        response = await handler(request)
        response.headers["X-Request-Id"] = rid
        return response
    finally:
        logs.request_id.reset(token)
        if request.method == "POST" and request.match_info.route.resource is not None:
            route = request.match_info.route.resource.canonical
            metrics.ACK_SECONDS.labels(route).observe(time.perf_counter() - started)


def _mount_slack(server: web.Application, app: Application, socket_mode: bool,
                 people: Admission) -> None:
    if not slack.is_configured(app.settings, socket_mode):
        if socket_mode:
            raise SystemExit("--socket-mode needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN")
        return
    sending = getattr(app.messengers.get("slack"), "installs", None)  # shared: one cache
    bolt, edge, problem = slack.bolt_app(app.settings, app.db, app.dispatch, app.events, app.inbox,
                                         sending)
    server[PROBLEMS]["slack"] = problem
    server.on_startup.append(lambda _server: _checked_at_start(problem))
    worker = InboxWorker(app.inbox, {"slack": edge}, app.admission, people)
    server[INBOX_WORKER] = worker
    server.cleanup_ctx.append(_running(worker.run, lambda: worker.close(app.delivery.grace)))
    if not socket_mode:
        slack.mount(server, bolt, app.settings, app.admission)
        return

    async def socket(_server):
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(bolt, app.settings.slack_app_token)
        await handler.connect_async()
        yield
        await handler.close_async()

    server.cleanup_ctx.append(socket)


def _running(run, close=None):
    """A worker's loop for the server's lifetime; cancelled at the end, then `close()`d."""
    async def ctx(_server):
        task = asyncio.get_running_loop().create_task(run())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if close is not None:
            await close()

    return ctx


def _ticking(app: Application):
    async def ctx(_server):
        scheduler = start_ticking(app, app.settings.preceptor_tick_seconds)
        yield
        scheduler.shutdown(wait=False)

    return ctx


async def _checked_at_start(problem) -> None:
    """Ask once at start-up, so a bad token or a firewall is in the log before anyone types."""
    await problem()


async def readyz(request: web.Request) -> web.Response:
    """Ready to answer people: the database reachable and at this version's schema, and each
    platform authenticated; 503 naming each part that is not."""
    status = {"database": await _database_problem(request.app[APPLICATION]) or "ok"}
    for name, problem in request.app[PROBLEMS].items():
        status[name] = await problem() or "ok"
    ready = all(value == "ok" for value in status.values())
    return web.json_response(status, status=200 if ready else 503)


async def _database_problem(app: Application) -> str | None:
    try:
        current, head = await app.db.ask(HEALTH_TIMEOUT, revisions)
    except Exception:
        return "unavailable"
    return None if current == head else f"at revision {current}, needs {head}: run `preceptor db upgrade`"


async def metrics_page(request: web.Request) -> web.Response:
    """Prometheus' text format (see bot/core/metrics.py for what each series counts); with the
    database down the counters still answer (the queue gauges keep their last values)."""
    app = request.app[APPLICATION]
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT), app.db.transaction() as session:
            await metrics.read_queues(session, app.clock.now())
    except Exception as error:
        log.info("metrics: queues not read (%s)", type(error).__name__)
    return web.Response(body=metrics.exposition(), content_type="text/plain", charset="utf-8",
                        headers={"Cache-Control": "no-store"})


async def notice(request: web.Request, page: str) -> web.Response:
    """The privacy notice or the terms, with this deployment's retention periods."""
    s = request.app[APPLICATION].settings
    html = Template(resources.files("bot.app.pages").joinpath(f"{page}.html").read_text("utf-8"))
    return web.Response(text=html.substitute(
        interactions_days=s.preceptor_keep_interactions_days,
        inbound_days=s.preceptor_keep_inbound_days, outbox_days=s.preceptor_keep_sent_days),
        content_type="text/html")


async def healthz(request: web.Request) -> web.Response:
    """Alive: the process answers (a load balancer restarts it when not). Whether it can
    serve people is /readyz's question, so a database outage does not restart every instance."""
    return web.json_response({"status": "ok"})
