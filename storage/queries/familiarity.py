"""Who interacted with whom, channel membership, and thread answers on an aspect: each row
found or made, and the edges locked for their read-modify-write."""

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AspectSignal, ChannelMember, Expertise, Interaction, Member
from storage.queries.common import find_or_insert


async def join_channel(*, session: AsyncSession, workspace_id: int, channel: str, member_id: int) -> None:
    await find_or_insert(
        session,
        select(ChannelMember).where(ChannelMember.workspace_id == workspace_id,
                                    ChannelMember.channel == channel, ChannelMember.member_id == member_id),
        lambda: ChannelMember(workspace_id=workspace_id, channel=channel, member_id=member_id))


async def leave_channel(*, session: AsyncSession, workspace_id: int, channel: str,
                        platform_user_ids: list[str], keep: bool = False) -> None:
    """Forget that these people are in a channel (they left it); with `keep`, everyone but them."""
    named = col(Member.platform_user_id).in_(platform_user_ids)
    members = select(Member.id).where(Member.workspace_id == workspace_id,
                                      ~named if keep else named)
    await session.exec(delete(ChannelMember).where(
        ChannelMember.workspace_id == workspace_id, ChannelMember.channel == channel,
        col(ChannelMember.member_id).in_(members)))


async def locked_edge(*, session: AsyncSession, member_id: int, other_id: int, now: datetime) -> Interaction:
    """The edge from one member to another, made if missing, locked until commit (PostgreSQL's
    default isolation would otherwise lose one of two concurrent updates)."""
    return await find_or_insert(
        session,
        select(Interaction).where(Interaction.member_id == member_id,
                                  Interaction.other_id == other_id).with_for_update(),
        lambda: Interaction(member_id=member_id, other_id=other_id, last_at=now))


async def locked_signal(*, session: AsyncSession, member_id: int, aspect_id: int,
                        now: datetime) -> AspectSignal:
    return await find_or_insert(
        session,
        select(AspectSignal).where(AspectSignal.member_id == member_id,
                                   AspectSignal.aspect_id == aspect_id).with_for_update(),
        lambda: AspectSignal(member_id=member_id, aspect_id=aspect_id, last_at=now))


async def locked_inferred_expertise(*, session: AsyncSession, member_id: int, aspect_id: int,
                                    now: datetime) -> Expertise:
    return await find_or_insert(
        session,
        select(Expertise).where(Expertise.member_id == member_id, Expertise.aspect_id == aspect_id,
                                Expertise.source == "inferred").with_for_update(),
        lambda: Expertise(member_id=member_id, aspect_id=aspect_id, source="inferred", updated_at=now))
