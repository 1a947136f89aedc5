"""The audit log: introductions, lead actions and erasures, as a hash chain. Ids and kinds
only, never what anyone wrote; changing or removing a row breaks every hash after it."""

import hashlib
import json
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEvent
from storage.queries.audit import audit_events, last_audit_event

GENESIS = "0" * 64


def _digest(prev_hash: str, at: datetime, kind: str, detail: dict) -> str:
    canonical = json.dumps([prev_hash, at.isoformat(), kind, detail], sort_keys=True,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def record(session: AsyncSession, *, kind: str, detail: dict, now: datetime) -> None:
    """Append one event; writers take turns, so the chain never forks."""
    last = await last_audit_event(session=session)
    prev = last.hash if last else GENESIS
    session.add(AuditEvent(at=now, kind=kind, detail=detail, prev_hash=prev,
                           hash=_digest(prev, now, kind, detail)))
    await session.flush()


async def verify(session: AsyncSession) -> int | None:
    """None when the chain is intact, else the id of the first row that does not fit."""
    prev = GENESIS
    for event in await audit_events(session=session):
        if event.prev_hash != prev or event.hash != _digest(prev, event.at, event.kind,
                                                            event.detail):
            return event.id
        prev = event.hash
    return None
