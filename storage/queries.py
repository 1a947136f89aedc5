"""Named queries: the ones that are more than one line, or that claim work for one process."""

from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ConversationRef, IntroAsk, Member, Mentorship, Outbox, Workspace

LIVE = ("active", "paused")


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
    *, session: AsyncSession, workspace_id: int, platform_user_id: str, now: datetime
) -> tuple[Member, bool]:
    """The member and whether it was just created."""
    query = select(Member).where(
        Member.workspace_id == workspace_id, Member.platform_user_id == platform_user_id
    )
    found = (await session.exec(query)).first()
    if found:
        return found, False
    member = Member(
        workspace_id=workspace_id, platform_user_id=platform_user_id, created_at=now
    )
    return await insert_or_reselect(session, member, query)


async def find_or_insert(session: AsyncSession, query, make):
    """The row `query` finds, or a new one from `make()` (safe against a concurrent insert)."""
    found = (await session.exec(query)).first()
    if found is not None:
        return found
    row, _ = await insert_or_reselect(session, make(), query)
    return row


async def insert_or_reselect(session: AsyncSession, row, query):
    """Insert `row` and return (row, True); if another process inserted the same key
    first, return (theirs, False)."""
    try:
        async with session.begin_nested():
            session.add(row)
        return row, True
    except IntegrityError:
        return (await session.exec(query)).one(), False


async def live_mentee_counts(*, session: AsyncSession, mentor_ids: list[int]) -> dict[int, int]:
    """How many live (active or paused) mentorships each mentor holds."""
    if not mentor_ids:
        return {}
    rows = await session.exec(
        select(Mentorship.mentor_id, func.count())
        .where(col(Mentorship.mentor_id).in_(mentor_ids), col(Mentorship.status).in_(LIVE))
        .group_by(Mentorship.mentor_id)
    )
    return dict(rows.all())


async def claim_due_mentorships(
    *, session: AsyncSession, now: datetime, limit: int
) -> list[Mentorship]:
    """Active mentorships whose check-in is due, locked so no other process takes them."""
    return await _claim(
        session,
        select(Mentorship)
        .where(Mentorship.status == "active", Mentorship.next_checkin_at <= now)
        .order_by(Mentorship.next_checkin_at),
        limit,
    )


async def claim_expired_asks(*, session: AsyncSession, now: datetime, limit: int) -> list[IntroAsk]:
    return await _claim(
        session,
        select(IntroAsk)
        .where(IntroAsk.status == "pending", IntroAsk.expires_at <= now)
        .order_by(IntroAsk.expires_at),
        limit,
    )


async def _claim(session: AsyncSession, query, limit: int) -> list:
    """Rows other transactions have not locked, locked until ours commits (PostgreSQL);
    on SQLite, BEGIN IMMEDIATE already makes this transaction the only writer."""
    return list((await session.exec(query.limit(limit).with_for_update(skip_locked=True))).all())


async def claim_due_outbox(
    *, session: AsyncSession, now: datetime, limit: int, lease: timedelta, token: str,
    platforms: list[str],
) -> list[Outbox]:
    """Lease due outbox rows of `platforms` to one deliverer; a crashed one's lease runs out
    and another takes the rows over."""
    free = or_(col(Outbox.claimed_until).is_(None), col(Outbox.claimed_until) <= now)
    ours = select(Workspace.id).where(
        col(Workspace.platform).in_(platforms), Workspace.active == True  # noqa: E712
    )
    ids = list(
        (
            await session.exec(
                select(Outbox.id)
                .where(
                    Outbox.status == "pending", Outbox.not_before <= now, free,
                    col(Outbox.workspace_id).in_(ours),
                )
                .order_by(Outbox.not_before, Outbox.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
    )
    if not ids:
        return []
    await session.exec(
        update(Outbox)
        .where(col(Outbox.id).in_(ids))
        .values(claimed_until=now + lease, claim_token=token)
    )
    rows = await session.exec(
        select(Outbox).where(col(Outbox.id).in_(ids)).order_by(Outbox.not_before, Outbox.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.all())


async def due_outbox(*, session: AsyncSession, platforms: list[str]) -> datetime | None:
    """When the earliest waiting row of `platforms` can next be claimed (None: nothing waits)."""
    ours = select(Workspace.id).where(
        col(Workspace.platform).in_(platforms), Workspace.active == True  # noqa: E712
    )
    waiting = [Outbox.status == "pending", col(Outbox.workspace_id).in_(ours)]
    free = (await session.exec(select(func.min(Outbox.not_before)).where(
        *waiting, col(Outbox.claimed_until).is_(None)))).one()
    leased = (await session.exec(select(func.min(Outbox.claimed_until)).where(*waiting))).one()
    return min((t for t in (free, leased) if t is not None), default=None)


async def save_reference(*, session: AsyncSession, workspace_id: int, key: str, reference: dict,
                         now: datetime) -> None:
    query = select(ConversationRef).where(
        ConversationRef.workspace_id == workspace_id, ConversationRef.key == key
    )
    row, created = await insert_or_reselect(
        session,
        ConversationRef(workspace_id=workspace_id, key=key, reference=reference, updated_at=now),
        query,
    )
    if not created:
        row.reference, row.updated_at = reference, now


async def find_reference(*, session: AsyncSession, platform: str, team: str,
                         key: str | None) -> dict | None:
    query = (
        select(ConversationRef.reference)
        .join(Workspace)
        .where(Workspace.platform == platform, Workspace.external_id == team)
        .order_by(col(ConversationRef.updated_at).desc())
    )
    if key is not None:
        query = query.where(ConversationRef.key == key)
    return (await session.exec(query)).first()


async def members_by_platform_id(*, session: AsyncSession, platform: str, team: str,
                                 user_ids: list[str]) -> dict[str, Member]:
    rows = await session.exec(
        select(Member)
        .join(Workspace)
        .where(Workspace.platform == platform, Workspace.external_id == team,
               col(Member.platform_user_id).in_(user_ids))
    )
    return {m.platform_user_id: m for m in rows.all()}
