"""Observations: workspace events written down in one statement per group commit, taken in
order by the one folder at work (instances take turns), marked folded, purged by age."""

from datetime import datetime

from sqlalchemy import Row, delete, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ObservedEvent, Workspace
from storage.queries.common import insert_into, take_turns
from storage.queries.retention import purge

FOLD_LOCK = 0x666F6C64  # "fold": an advisory lock key of Preceptor's own
TABLE = ObservedEvent.__table__


async def insert_observations(*, session: AsyncSession, rows: list[dict]) -> set[str]:
    """Write observations in one statement; the keys that were new (a retry's is not)."""
    insert = insert_into(session, ObservedEvent).values(rows)
    result = await session.exec(insert.on_conflict_do_nothing(index_elements=["key"])
                                .returning(ObservedEvent.key))
    return set(result.scalars().all())


async def take_waiting(*, session: AsyncSession, limit: int) -> list[Row]:
    """The oldest observations not yet folded. On PostgreSQL the folder holds an advisory
    lock until commit, so instances fold one after another and each edge's read-modify-write
    is theirs alone (SQLite's single writer already is). Plain rows: a batch needs no objects."""
    await take_turns(session, FOLD_LOCK)
    return list(await (await session.connection()).execute(
        select(TABLE).where(TABLE.c.folded_at.is_(None)).order_by(TABLE.c.id).limit(limit)))


async def mark_folded(*, session: AsyncSession, ids: list[int], now: datetime) -> None:
    await (await session.connection()).execute(
        TABLE.update().where(TABLE.c.id.in_(ids)).values(folded_at=now))


async def waiting_observations(*, session: AsyncSession) -> int:
    """Observations written down and not yet folded: the firehose's backlog."""
    return (await session.exec(select(func.count()).select_from(ObservedEvent)
                               .where(col(ObservedEvent.folded_at).is_(None)))).one()


async def purge_folded(*, session: AsyncSession, before: datetime, limit: int) -> int:
    """Forget observations folded before `before` (kept till then against retries)."""
    return await purge(session, ObservedEvent, ObservedEvent.folded_at, before, limit)


async def erase_observations(*, session: AsyncSession, workspace_id: int, user_id: str) -> None:
    """The person out of every observation in the workspace: those they made are deleted, and
    they are taken out of the others of the rest (which still say who else was there)."""
    platform, team = (await session.exec(select(Workspace.platform, Workspace.external_id)
                                         .where(Workspace.id == workspace_id))).one()
    here = (ObservedEvent.platform == platform, ObservedEvent.team == team)
    await session.exec(delete(ObservedEvent).where(*here, ObservedEvent.user_id == user_id))
    spaced = f" {user_id} "
    await session.exec(update(ObservedEvent).where(
        *here, col(ObservedEvent.others).contains(spaced, autoescape=True))
        .values(others=func.replace(ObservedEvent.others, spaced, " ")))
