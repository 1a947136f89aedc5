"""`preceptor serve`: one aiohttp server for Slack, Teams and health, ticking on an interval."""

from aiohttp import web
from sqlalchemy import text

from bot.app.scheduler import start_ticking
from bot.app.settings import Settings
from bot.core.preceptor import Preceptor

CORE = web.AppKey("core", Preceptor)


def make_server(core: Preceptor, settings: Settings, *, tick: bool = True,
                socket_mode: bool = False) -> web.Application:
    """The server; platform edges are mounted when their credentials are configured."""
    app = web.Application(client_max_size=1024 * 1024)
    app[CORE] = core
    app.router.add_get("/healthz", healthz)
    _mount_slack(app, core, settings, socket_mode)
    _mount_teams(app, core, settings)
    if tick:
        app.cleanup_ctx.append(_ticking(core, settings.preceptor_tick_seconds))
    core.deliver_immediately = True
    app.on_cleanup.append(lambda _app: core.close())
    return app


def _mount_slack(app: web.Application, core: Preceptor, settings: Settings, socket_mode: bool):
    from handlers.slack import setup

    if not setup.is_configured(settings, socket_mode):
        if socket_mode:
            raise SystemExit("--socket-mode needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN")
        return
    if not socket_mode:
        setup.mount(app, core, settings)
        return
    bolt = setup.bolt_app(core, settings)
    core.messengers["slack"] = setup.messenger(settings, core.db)

    async def socket(_app):
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(bolt, settings.slack_app_token)
        await handler.connect_async()
        yield
        await handler.close_async()

    app.cleanup_ctx.append(socket)


def _mount_teams(app: web.Application, core: Preceptor, settings: Settings):
    from handlers.teams import setup

    if setup.is_configured(settings):
        setup.mount(app, core, settings)


def _ticking(core: Preceptor, seconds: int):
    async def ctx(_app):
        scheduler = start_ticking(core, seconds)
        yield
        scheduler.shutdown(wait=False)

    return ctx


async def healthz(request: web.Request) -> web.Response:
    """Up and able to reach the database."""
    try:
        async with request.app[CORE].db.transaction() as session:
            await session.exec(text("SELECT 1"))
    except Exception:
        return web.json_response({"status": "database unavailable"}, status=503)
    return web.json_response({"status": "ok"})
