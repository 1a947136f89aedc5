"""Channel membership and people, read on install and refreshed daily from platforms that can
list them (a step of the tick): each channel's members who are people (never bots or apps)
become a "roster" observation for familiarity, so people who left since are forgotten as
well as newcomers added; and everyone's time zone, and who is a guest, is taken from the
platform."""

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from bot.delivery.messenger import Described, Messenger, ReadsRosters
from bot.matching.familiarity import Observation
from storage.engine import Database
from storage.queries.workspaces import claim_rosters_due

log = logging.getLogger(__name__)
EVERY = timedelta(days=1)
Observe = Callable[[str, str, Observation], Awaitable[None]]
Describe = Callable[[str, str, dict[str, Described], set[str]], Awaitable[None]]


async def read_due(db: Database, messengers: Mapping[str, Messenger], now: datetime,
                   observe: Observe, describe: Describe) -> int:
    """Read the rosters of every workspace due a read; returns how many were read."""
    read = 0
    for platform, messenger in messengers.items():
        if not isinstance(messenger, ReadsRosters):
            continue
        async with db.transaction() as session:
            due = await claim_rosters_due(session=session, platform=platform, now=now, every=EVERY)
            teams = [w.external_id for w in due]
        for team in teams:
            try:
                people = await messenger.people(team)
                rosters = await messenger.channel_rosters(team)
            except Exception as error:
                log.warning("reading channel rosters failed: %s", type(error).__name__)
                continue
            listed: set[str] = set()
            for channel, members in rosters.items():
                here = tuple(m for m in members if m in people)
                await observe(platform, team, Observation("roster", "", here, channel))
                listed.update(here)
            await describe(platform, team, people, listed)
            read += 1
    return read
