"""What happens in a workspace besides commands: familiarity signals, installs and removals."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.unit_of_work import UnitOfWork
from bot.delivery.messenger import Described
from bot.delivery.waking import is_valid_zone
from bot.matching import familiarity
from bot.matching.familiarity import Observation
from storage.queries.members import describe_members, get_or_create_workspace
from storage.queries.workspaces import active_workspace_ids, set_workspace_active


class WorkspaceEvents:
    def __init__(self, work: UnitOfWork):
        self.work = work

    async def observe(self, platform: str, team: str, observation: Observation,
                      event_key: str | None = None) -> None:
        """Learn familiarity from a workspace event (who with whom; never the words)."""
        curated = await self.work.curated()

        async def fold_in(session: AsyncSession, now: datetime) -> None:
            workspace = await get_or_create_workspace(
                session=session, platform=platform, external_id=team, now=now)
            await familiarity.observe(session, workspace_id=workspace.id, obs=observation,
                                      now=now, curated=curated,
                                      zone=self.work.settings.preceptor_timezone)

        await self.work.transaction(fold_in, event_key)

    async def described(self, platform: str, team: str, people: dict[str, Described]) -> None:
        """The platform's time zones (only valid ones) and guests, for members we know."""
        zones = {user: p.tz for user, p in people.items() if is_valid_zone(p.tz)}
        guests = {user: p.guest for user, p in people.items() if p.guest is not None}

        async def describe(session: AsyncSession, now: datetime) -> None:
            workspace = await get_or_create_workspace(
                session=session, platform=platform, external_id=team, now=now)
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
