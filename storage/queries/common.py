"""What the named queries share: insert-or-reselect against concurrent inserts, ON CONFLICT,
claiming rows."""

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import or_
from sqlmodel.ext.asyncio.session import AsyncSession

LIVE = ("active", "paused")   # mentorship statuses that hold a mentor's capacity


def seen_through(model):
    """A mentorship a person wrapped up (not one closed as quiet, nor ended by a departure;
    pairs ended before end reasons were kept count as wrapped up)."""
    return (model.status == "wrapped") & or_(model.end_reason.is_(None), model.end_reason == "wrapped")
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


async def take_turns(session: AsyncSession, key: int) -> None:
    """Writers holding `key` take turns until commit: on PostgreSQL a transaction-scoped
    advisory lock; SQLite's single writer already takes turns."""
    if session.bind.dialect.name == "postgresql":
        await session.exec(text("SELECT pg_advisory_xact_lock(:key)"), params={"key": key})


def insert_into(session: AsyncSession, model):
    """An INSERT that can say ON CONFLICT (both backends have it), in the session's dialect."""
    return _INSERTS[session.bind.dialect.name](model)


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


async def claim(session: AsyncSession, query, limit: int) -> list:
    """Rows other transactions have not locked, locked until ours commits (PostgreSQL);
    on SQLite, BEGIN IMMEDIATE already makes this transaction the only writer."""
    return list((await session.exec(query.limit(limit).with_for_update(skip_locked=True))).all())



def either_side(model, member_id: int):
    """The member as mentor or mentee of a pair (or of an ask)."""
    return or_(model.mentor_id == member_id, model.mentee_id == member_id)
