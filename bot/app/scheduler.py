"""Run `tick` on an interval inside the server. The work itself lives in tables, not jobs:
APScheduler 3 drops misfired jobs and duplicates them across processes, so it only ever
holds this one interval job, and several processes ticking at once is safe."""

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app.assembly import Application

log = logging.getLogger(__name__)


def start_ticking(app: Application, seconds: int) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")

    async def tick() -> None:
        try:
            await app.tick.run()
        except Exception:
            log.exception("tick failed; the next one will retry")

    scheduler.add_job(
        tick, "interval", seconds=seconds, id="tick", max_instances=1, coalesce=True,
        misfire_grace_time=None,
    )
    scheduler.start()
    return scheduler
