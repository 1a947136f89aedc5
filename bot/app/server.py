"""`preceptor serve`: one aiohttp server for Slack, Teams and health, ticking on an interval.
It owns the inbox worker and the application's immediate delivery, and closes the
application when it stops."""

import asyncio
import contextlib

from aiohttp import web

from bot.app.assembly import Application
from bot.app.inbox_worker import InboxWorker
from bot.app.scheduler import start_ticking
from handlers.slack import setup as slack
from handlers.teams import setup as teams

APPLICATION = web.AppKey("application", Application)
INBOX_WORKER = web.AppKey("inbox_worker", InboxWorker)
PROBLEMS = web.AppKey("problems", dict)  # dependency -> async check: None, or what is wrong
HEALTH_TIMEOUT = 2.0  # seconds: a database that does not answer by then is unavailable


def make_server(app: Application, *, tick: bool = True, socket_mode: bool = False) -> web.Application:
    """The server; platform edges are mounted when their credentials are configured."""
    server = web.Application(client_max_size=1024 * 1024)
    server[APPLICATION] = app
    server[PROBLEMS] = {}
    server.router.add_get("/healthz", healthz)
    server.router.add_get("/readyz", readyz)
    _mount_slack(server, app, socket_mode)
    if app.teams_adapter is not None:
        teams.mount(server, app.teams_adapter, app.settings, app.dispatch, app.events, app.conversations)
    if tick:
        server.cleanup_ctx.append(_ticking(app))
    server.on_cleanup.append(lambda _server: app.close())
    return server


def _mount_slack(server: web.Application, app: Application, socket_mode: bool) -> None:
    if not slack.is_configured(app.settings, socket_mode):
        if socket_mode:
            raise SystemExit("--socket-mode needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN")
        return
    sending = getattr(app.messengers.get("slack"), "installs", None)  # shared: one cache
    bolt, edge, problem = slack.bolt_app(app.settings, app.db, app.dispatch, app.events, app.inbox,
                                         sending)
    server[PROBLEMS]["slack"] = problem
    server.on_startup.append(lambda _server: _checked_at_start(problem))
    worker = InboxWorker(app.inbox, {"slack": edge}, app.admission)
    server[INBOX_WORKER] = worker
    server.cleanup_ctx.append(_working(worker, app.delivery.grace))
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


def _working(worker: InboxWorker, grace: float):
    async def ctx(_server):
        task = asyncio.get_running_loop().create_task(worker.run())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await worker.close(grace)

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
    """Ready to answer people: the database and each platform, each named when it is not."""
    status = {"database": "ok"}
    try:
        await request.app[APPLICATION].db.ping(HEALTH_TIMEOUT)
    except Exception:
        status["database"] = "unavailable"
    for name, problem in request.app[PROBLEMS].items():
        status[name] = await problem() or "ok"
    ready = all(value == "ok" for value in status.values())
    return web.json_response(status, status=200 if ready else 503)


async def healthz(request: web.Request) -> web.Response:
    """Up and able to reach the database."""
    try:
        await request.app[APPLICATION].db.ping(HEALTH_TIMEOUT)
    except Exception:
        return web.json_response({"status": "database unavailable"}, status=503)
    return web.json_response({"status": "ok"})
