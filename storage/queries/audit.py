"""The audit log's chain: its last event, and every event in order."""

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEvent


async def last_audit_event(*, session: AsyncSession) -> AuditEvent | None:
    """The newest event; writers take turns first (SQLite has one writer; on PostgreSQL a
    transaction-scoped advisory lock), so the chain never forks."""
    if session.bind.dialect.name == "postgresql":
        await session.exec(text("SELECT pg_advisory_xact_lock(7201)"))
    return (await session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(1))).first()


async def audit_events(*, session: AsyncSession) -> list[AuditEvent]:
    return list((await session.exec(select(AuditEvent).order_by(AuditEvent.id))).all())
