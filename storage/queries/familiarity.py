"""Who interacted with whom, channel membership, and thread answers on an aspect, written a
batch at a time: each in one or two set-based statements, rows in key order (so two writers
lock them in the same order and never deadlock)."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Row, delete, tuple_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AspectSignal, ChannelMember, Expertise, Interaction, Member
from storage.queries.common import insert_into

Pair = tuple[int, int]
EDGES = Interaction.__table__  # Core, not the ORM: a batch's rows need no objects
CHUNK = 400  # pairs per IN list: far below either backend's limit on bound parameters


async def edges_of(*, session: AsyncSession, pairs: Iterable[Pair]) -> dict[Pair, Row]:
    """The edges that exist among `pairs` (member_id, other_id), as plain rows."""
    found: dict[Pair, Row] = {}
    ordered, connection = sorted(pairs), await session.connection()
    for chunk in (ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)):
        rows = await connection.execute(select(EDGES).where(
            tuple_(EDGES.c.member_id, EDGES.c.other_id).in_(chunk)))
        found.update({(row.member_id, row.other_id): row for row in rows})
    return found


async def write_edges(*, session: AsyncSession, rows: list[dict]) -> None:
    """Each edge as given (its new weight, counts, channel, last moment), made if missing."""
    if not rows:
        return
    insert = insert_into(session, EDGES)
    await (await session.connection()).execute(insert.on_conflict_do_update(
        index_elements=["member_id", "other_id"],
        set_={name: insert.excluded[name]
              for name in ("weight", "count", "threads", "channel", "last_at")}),
        sorted(rows, key=lambda r: (r["member_id"], r["other_id"])))


async def join_channels(*, session: AsyncSession, rows: set[tuple[int, str, int]]) -> None:
    """(workspace_id, channel, member_id) memberships, those already known left as they are."""
    if rows:
        insert = insert_into(session, ChannelMember.__table__).on_conflict_do_nothing(
            index_elements=["workspace_id", "channel", "member_id"])
        await (await session.connection()).execute(
            insert, [{"workspace_id": w, "channel": c, "member_id": m} for w, c, m in sorted(rows)])


async def leave_channel(*, session: AsyncSession, workspace_id: int, channel: str,
                        platform_user_ids: list[str], keep: bool = False) -> None:
    """Forget that these people are in a channel (they left it); with `keep`, everyone but them."""
    named = col(Member.platform_user_id).in_(platform_user_ids)
    members = select(Member.id).where(Member.workspace_id == workspace_id,
                                      ~named if keep else named)
    await session.exec(delete(ChannelMember).where(
        ChannelMember.workspace_id == workspace_id, ChannelMember.channel == channel,
        col(ChannelMember.member_id).in_(members)))


async def add_answers(*, session: AsyncSession, answers: dict[Pair, tuple[int, datetime]]) -> dict[Pair, int]:
    """Thread answers by (member_id, aspect_id): how many more, and the last one's moment;
    the totals they come to."""
    if not answers:
        return {}
    insert = insert_into(session, AspectSignal)
    await session.exec(insert.on_conflict_do_update(
        index_elements=["member_id", "aspect_id"],
        set_={"answers": AspectSignal.__table__.c.answers + insert.excluded.answers,
              "last_at": insert.excluded.last_at}),
        params=[{"member_id": m, "aspect_id": a, "answers": more, "last_at": last}
                for (m, a), (more, last) in sorted(answers.items())])
    rows = await session.exec(select(AspectSignal.member_id, AspectSignal.aspect_id,
                                     AspectSignal.answers).where(
        tuple_(AspectSignal.member_id, AspectSignal.aspect_id).in_(sorted(answers))))
    return {(m, a): n for m, a, n in rows.all()}


async def infer_expertise(*, session: AsyncSession, weights: dict[Pair, float], now: datetime) -> None:
    """Inferred expertise at these weights, by (member_id, aspect_id), made if missing."""
    if weights:
        insert = insert_into(session, Expertise)
        await session.exec(insert.on_conflict_do_update(
            index_elements=["member_id", "aspect_id", "source"],
            set_={"weight": insert.excluded.weight, "updated_at": insert.excluded.updated_at}),
            params=[{"member_id": m, "aspect_id": a, "source": "inferred", "weight": w,
                     "updated_at": now} for (m, a), w in sorted(weights.items())])
