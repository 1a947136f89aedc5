"""Workspaces and members: found or created on first sight, looked up by platform id."""

from datetime import datetime

from sqlalchemy import bindparam, func, text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Member, Workspace
from storage.models.people import GUEST, MEMBER, STAFF
from storage.queries.common import claim, insert_into, insert_or_reselect


async def get_or_create_workspace(
    *, session: AsyncSession, platform: str, external_id: str, now: datetime
) -> Workspace:
    found = (
        await session.exec(
            select(Workspace).where(
                Workspace.platform == platform, Workspace.external_id == external_id
            )
        )
    ).first()
    if found:
        return found
    workspace, _ = await insert_or_reselect(
        session,
        Workspace(platform=platform, external_id=external_id, created_at=now),
        select(Workspace).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        ),
    )
    return workspace


async def get_or_create_member(
    *, session: AsyncSession, workspace_id: int, platform_user_id: str, now: datetime,
    tz: str = "UTC",
) -> tuple[Member, bool]:
    """The member and whether it was just created (in zone `tz` until the platform says)."""
    query = select(Member).where(
        Member.workspace_id == workspace_id, Member.platform_user_id == platform_user_id
    )
    found = (await session.exec(query)).first()
    if found:
        return found, False
    member = Member(
        workspace_id=workspace_id, platform_user_id=platform_user_id, created_at=now, tz=tz
    )
    return await insert_or_reselect(session, member, query)


async def member_ids(*, session: AsyncSession, workspace_id: int, user_ids: set[str],
                     now: datetime, tz: str) -> dict[str, int]:
    """Members' ids by platform id, those first seen here made (in zone `tz` until the
    platform says): a select, and for newcomers one insert and a select."""
    table, connection = Member.__table__, await session.connection()

    async def known() -> dict[str, int]:
        return dict((await connection.execute(select(table.c.platform_user_id, table.c.id).where(
            table.c.workspace_id == workspace_id, table.c.platform_user_id.in_(user_ids)))).all())

    ids = await known()
    if new := sorted(user_ids - ids.keys()):
        await connection.execute(insert_into(session, table).on_conflict_do_nothing(
            index_elements=["workspace_id", "platform_user_id"]), [
            {"workspace_id": workspace_id, "platform_user_id": user, "created_at": now, "tz": tz}
            for user in new])
        ids = await known()
    return ids


async def members_by_platform_id(*, session: AsyncSession, platform: str, team: str,
                                 user_ids: list[str]) -> dict[str, Member]:
    rows = await session.exec(
        select(Member)
        .join(Workspace)
        .where(Workspace.platform == platform, Workspace.external_id == team,
               col(Member.platform_user_id).in_(user_ids))
    )
    return {m.platform_user_id: m for m in rows.all()}


async def claim_pauses_ended(*, session: AsyncSession, now: datetime, limit: int) -> list[Member]:
    """People whose pause with an end date is over, locked for this transaction."""
    return await claim(session, select(Member).where(
        Member.paused == True, col(Member.paused_until) <= now), limit)  # noqa: E712


async def describe_members(*, session: AsyncSession, workspace_id: int, zones: dict[str, str],
                           guests: dict[str, bool]) -> None:
    """Each listed person's time zone and guest status as the platform gives them, in a
    statement each (staff from the roster stay staff)."""
    table, connection = Member.__table__, await session.connection()
    person = (table.c.workspace_id == workspace_id, table.c.platform_user_id == bindparam("user"))
    if zones:
        await connection.execute(table.update().where(*person).values(tz=bindparam("zone")),
                                 [{"user": user, "zone": zone} for user, zone in zones.items()])
    if guests:
        await connection.execute(
            table.update().where(*person, table.c.affiliation != STAFF)
            .values(affiliation=bindparam("kind")),
            [{"user": user, "kind": GUEST if guest else MEMBER} for user, guest in guests.items()])


async def members_named(*, session: AsyncSession, workspace_id: int, names: list[str]) -> list[Member]:
    """Members whose display name is one of `names`, whatever its case."""
    return list((await session.exec(select(Member).where(
        Member.workspace_id == workspace_id,
        func.lower(Member.name).in_([n.lower() for n in names])))).all())


async def member_handles(*, session: AsyncSession, workspace_id: int) -> list[tuple[int, str, str]]:
    """(id, platform id, display name) of everyone in the workspace, for near spellings."""
    return list((await session.exec(select(Member.id, Member.platform_user_id, Member.name).where(
        Member.workspace_id == workspace_id, col(Member.platform_user_id).not_like("forgotten-%")))).all())


async def member_by_platform_id(*, session: AsyncSession, workspace_id: int, platform_user_id: str,
                                lock: bool = False) -> Member | None:
    query = select(Member).where(Member.workspace_id == workspace_id,
                                 Member.platform_user_id == platform_user_id)
    return (await session.exec(query.with_for_update() if lock else query)).first()


async def refresh_statistics(*, session: AsyncSession) -> None:
    """ANALYZE the people, their expertise and their edges (both backends), after a bulk load."""
    for table in ("member", "expertise", "interaction"):
        await session.exec(text(f"ANALYZE {table}"))


async def member_signing_in(*, session: AsyncSession, platform: str, team: str,
                            user_id: str | None = None, email: str | None = None) -> Member | None:
    """The member a sign-in names: by platform id (Slack), else by sign-in name (Entra ID)."""
    query = select(Member).join(Workspace).where(Workspace.platform == platform,
                                                 Workspace.external_id == team)
    if user_id:
        return (await session.exec(query.where(Member.platform_user_id == user_id))).first()
    if email:  # one person only: a sign-in name two people share names neither
        found = (await session.exec(query.where(func.lower(Member.email) == email.lower()).limit(2))).all()
        return found[0] if len(found) == 1 else None
    return None
