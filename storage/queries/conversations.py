"""Where to reach a person or a channel later (Teams conversation references)."""

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ConversationRef, Workspace
from storage.queries.common import insert_or_reselect


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
    found = (await session.exec(query)).first()
    return dict(found) if found is not None else None
