"""Aspects and their synonyms: the curated taxonomy and each workspace's own."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Aspect, AspectSynonym
from storage.queries.common import insert_or_reselect, take_turns

SEED_LOCK = 0x73656564  # "seed": an advisory lock key of Preceptor's own


async def lock_for_seeding(*, session: AsyncSession) -> None:
    """On PostgreSQL, instances seeding the taxonomy at once take turns (until commit), so
    the second finds the first's aspects instead of adding them again."""
    await take_turns(session, SEED_LOCK)


async def curated_aspects(*, session: AsyncSession) -> dict[str, Aspect]:
    """The curated aspects by slug."""
    rows = await session.exec(select(Aspect).where(col(Aspect.workspace_id).is_(None)))
    return {a.slug: a for a in rows.all()}


async def synonym_keys(*, session: AsyncSession) -> set[tuple[int, str]]:
    return {(s.aspect_id, s.text) for s in (await session.exec(select(AspectSynonym))).all()}


async def synonyms_of(*, session: AsyncSession, workspace_id: int | None) -> list[tuple[str, int]]:
    """(text, aspect id) of the curated aspects (workspace None) or of one workspace's own."""
    owner = (col(Aspect.workspace_id).is_(None) if workspace_id is None
             else Aspect.workspace_id == workspace_id)
    rows = await session.exec(select(AspectSynonym.text, AspectSynonym.aspect_id).join(Aspect).where(owner))
    return list(rows.all())


async def insert_workspace_aspect(*, session: AsyncSession, workspace_id: int, slug: str,
                                  name: str) -> tuple[Aspect, bool]:
    """The workspace's aspect with this slug, made if missing; and whether it was just made."""
    return await insert_or_reselect(
        session, Aspect(workspace_id=workspace_id, slug=slug, name=name),
        select(Aspect).where(Aspect.workspace_id == workspace_id, Aspect.slug == slug))
