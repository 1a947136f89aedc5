"""`preceptor serve`: one aiohttp server; platform routes are mounted by their handlers."""

from aiohttp import web
from sqlalchemy import text

from bot.core import Preceptor
from bot.scheduler import start_ticking

CORE = web.AppKey("core", Preceptor)


def make_server(core: Preceptor, *, tick_seconds: int | None = None) -> web.Application:
    app = web.Application()
    app[CORE] = core
    app.router.add_get("/healthz", healthz)
    if tick_seconds:
        app.cleanup_ctx.append(_ticking(core, tick_seconds))
    app.on_cleanup.append(lambda _app: core.db.dispose())
    return app


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
