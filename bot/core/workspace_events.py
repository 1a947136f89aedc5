"""What happens in a workspace besides commands: familiarity signals, installs and removals."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.unit_of_work import UnitOfWork
from bot.delivery.waking import is_valid_zone
from bot.matching import familiarity
from bot.matching.familiarity import Observation
from storage.queries.members import get_or_create_workspace, set_member_zones
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

    async def described(self, platform: str, team: str, zones: dict[str, str]) -> None:
        """The platform's time zones for its people (only valid ones; members we know)."""
        valid = {user: zone for user, zone in zones.items() if is_valid_zone(zone)}

        async def set_zones(session: AsyncSession, now: datetime) -> None:
            workspace = await get_or_create_workspace(
                session=session, platform=platform, external_id=team, now=now)
            await set_member_zones(session=session, workspace_id=workspace.id, zones=valid)

        await self.work.transaction(set_zones)

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
