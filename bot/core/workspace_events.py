"""What happens in a workspace besides commands: familiarity signals (written down as they
come, folded in batches), installs and removals."""

import asyncio
from collections.abc import Iterable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.group_commit import GroupCommit
from bot.core.inbox import RECEIVE_TIMEOUT
from bot.core.unit_of_work import UnitOfWork
from bot.delivery.messenger import Described
from bot.delivery.waking import is_valid_zone
from bot.matching.familiarity import Observation
from bot.matching.fold import fold
from storage.queries.members import describe_members, get_or_create_workspace, member_ids
from storage.queries.observations import insert_observations, mark_folded, take_waiting
from storage.queries.workspaces import active_workspace_ids, set_workspace_active


class WorkspaceEvents:
    def __init__(self, work: UnitOfWork, timeout: float = RECEIVE_TIMEOUT):
        self.work = work
        self.arrived = asyncio.Event()  # set when this instance wrote an observation down
        self._writes = GroupCommit(work.db, insert_observations, timeout)

    async def observe(self, platform: str, team: str, observation: Observation,
                      event_key: str | None = None) -> None:
        """Write a workspace event down for familiarity (who with whom, and the aspects its
        words touch; never the words), in a group commit, before the platform is answered;
        a retry of `event_key` writes nothing. The database's error is raised when it could
        not be written in time (the platform then sends the event again)."""
        curated = await self.work.curated()
        touched = sorted(curated.mentioned_in(observation.text)) if observation.text else []
        if await self._writes.add({
                "key": event_key and event_key[:200], "platform": platform, "team": team,
                "kind": observation.kind, "user_id": observation.user,
                "others": _spaced(observation.others), "channel": observation.channel,
                "aspects": _spaced(map(str, touched)), "seen_at": self.work.clock.now()}):
            self.arrived.set()

    async def fold(self, session: AsyncSession, now: datetime, limit: int) -> int:
        """Fold up to `limit` observations waiting, oldest first (a tick step)."""
        rows = await take_waiting(session=session, limit=limit)
        if rows:
            await fold(session, rows, now=now, zone=self.work.settings.preceptor_timezone)
            await mark_folded(session=session, ids=[row.id for row in rows], now=now)
        return len(rows)

    async def described(self, platform: str, team: str, people: dict[str, Described],
                        listed: set[str]) -> None:
        """The platform's time zones (only valid ones) and guests, for members we know and
        those `listed` in a channel (made now if new: their roster is folded in later)."""
        zones = {user: p.tz for user, p in people.items() if is_valid_zone(p.tz)}
        guests = {user: p.guest for user, p in people.items() if p.guest is not None}

        async def describe(session: AsyncSession, now: datetime) -> None:
            workspace = await get_or_create_workspace(
                session=session, platform=platform, external_id=team, now=now)
            await member_ids(session=session, workspace_id=workspace.id, user_ids=listed,
                             now=now, tz=self.work.settings.preceptor_timezone)
            await describe_members(session=session, workspace_id=workspace.id, zones=zones,
                                   guests=guests)

        await self.work.transaction(describe)

    async def removed(self, platform: str, team: str) -> None:
        """The app was uninstalled or its tokens revoked: stop sending there."""

        async def stop(session: AsyncSession, now: datetime) -> None:
            await set_workspace_active(session=session, platform=platform, team=team,
                                       active=False, now=now)

        await self.work.transaction(stop)

    async def installed(self, platform: str) -> list[str]:
        """External ids of this platform's workspaces that are installed."""
        async with self.work.db.transaction() as session:
            return await active_workspace_ids(session=session, platform=platform)

    async def first_time(self, key: str) -> bool:
        """Record an inbound event id; False if it was already handled (a platform retry)."""
        return await self.work.first_time(key)


def _spaced(values: Iterable[str]) -> str:
    """" a b " (see `ObservedEvent`)."""
    return f" {' '.join(values)} "
