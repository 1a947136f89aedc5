"""The audit log's chain: its last event, and every event in order."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEvent
from storage.queries.common import take_turns

AUDIT_LOCK = 7201  # an advisory lock key of Preceptor's own


async def last_audit_event(*, session: AsyncSession) -> AuditEvent | None:
    """The newest event; writers take turns first (SQLite has one writer; on PostgreSQL a
    transaction-scoped advisory lock), so the chain never forks."""
    await take_turns(session, AUDIT_LOCK)
    return (await session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(1))).first()


async def audit_events(*, session: AsyncSession) -> list[AuditEvent]:
    return list((await session.exec(select(AuditEvent).order_by(AuditEvent.id))).all())
