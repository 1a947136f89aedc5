"""Workspaces: which are installed, and which are due a read of their channel rosters."""

from datetime import datetime, timedelta

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Workspace
from storage.queries.members import get_or_create_workspace


async def active_workspace_ids(*, session: AsyncSession, platform: str) -> list[str]:
    rows = await session.exec(select(Workspace.external_id).where(
        Workspace.platform == platform, Workspace.active == True))  # noqa: E712
    return list(rows.all())


async def set_workspace_active(*, session: AsyncSession, platform: str, team: str, active: bool,
                               now: datetime) -> None:
    workspace = await get_or_create_workspace(session=session, platform=platform, external_id=team,
                                              now=now)
    workspace.active = active


async def claim_rosters_due(*, session: AsyncSession, platform: str, now: datetime,
                            every: timedelta) -> list[Workspace]:
    """Installed workspaces whose channel rosters were last read `every` ago or never, marked
    read now (claimed: another process skips them; a failed read waits for the next round)."""
    due = list((await session.exec(
        select(Workspace).where(
            Workspace.platform == platform, Workspace.active == True,  # noqa: E712
            or_(col(Workspace.rosters_read_at).is_(None), col(Workspace.rosters_read_at) <= now - every))
        .with_for_update(skip_locked=True))).all())
    for workspace in due:
        workspace.rosters_read_at = now
    return due


async def claim_digest_workspaces(*, session: AsyncSession, quarter: str, limit: int) -> list[Workspace]:
    """Installed workspaces whose quarterly digest for `quarter` has not gone out, locked."""
    return list((await session.exec(
        select(Workspace).where(Workspace.active == True,  # noqa: E712
                                or_(col(Workspace.digest_quarter).is_(None),
                                    Workspace.digest_quarter != quarter))
        .limit(limit).with_for_update(skip_locked=True))).all())

