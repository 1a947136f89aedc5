"""Familiarity learned from the workspace, content-free: who interacted with whom, how often,
how recently, and which aspects the threads someone answered touched.

A platform edge turns each event into an `Observation`. Its text is read here, in memory,
only to spot aspect words, and is dropped: it is never stored or logged.
"""

import math
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.matching.aspects import Catalog
from storage.queries.familiarity import (
    join_channel,
    leave_channel,
    locked_edge,
    locked_inferred_expertise,
    locked_signal,
)
from storage.queries.members import get_or_create_member

HALF_LIFE_DAYS = 90
KIND_WEIGHT = {"reply": 1.0, "mention": 0.6, "reaction": 0.3}
INFER_AFTER_ANSWERS = 3  # thread answers on an aspect before expertise is inferred
MAX_OTHERS = 20  # a message mentioning half the hospital says nothing about familiarity


@dataclass(frozen=True)
class Observation:
    kind: str  # "reply" | "mention" | "reaction" | "joined" | "left" | "roster"
    user: str
    others: tuple[str, ...] = ()
    channel: str | None = None
    text: str = ""  # read for aspect words, then dropped


def decayed(weight: float, since: datetime, now: datetime) -> float:
    """A weight recorded at `since`, as it stands at `now` (halving every HALF_LIFE_DAYS)."""
    days = max((now - since).total_seconds() / 86400, 0.0)
    return weight * 0.5 ** (days / HALF_LIFE_DAYS)


def closeness(weight: float) -> float:
    """Bounded familiarity in [0, 1) from a decayed weight; more never lowers it."""
    return 1 - math.exp(-weight / 3)


async def observe(session: AsyncSession, *, workspace_id: int, obs: Observation, now: datetime,
                  curated: Catalog, zone: str = "UTC") -> None:
    """Fold one observation in; people first seen here get `zone` until the platform says."""
    if obs.kind == "left":
        if obs.channel:
            await leave_channel(session=session, workspace_id=workspace_id, channel=obs.channel,
                                platform_user_ids=[obs.user])
        return
    if obs.kind == "roster":  # the channel's whole membership: whoever is not in it left
        await leave_channel(session=session, workspace_id=workspace_id, channel=obs.channel,
                            platform_user_ids=list(obs.others), keep=True)
        for user in obs.others:
            await observe(session, workspace_id=workspace_id, now=now, curated=curated,
                          obs=Observation("joined", user, channel=obs.channel), zone=zone)
        return
    me, _ = await get_or_create_member(session=session, workspace_id=workspace_id,
                                       platform_user_id=obs.user, now=now, tz=zone)
    if obs.kind == "joined":
        if obs.channel:
            await join_channel(session=session, workspace_id=workspace_id, channel=obs.channel,
                               member_id=me.id)
        return
    others = [o for o in dict.fromkeys(obs.others) if o != obs.user][:MAX_OTHERS]
    for other_id in others:
        other, _ = await get_or_create_member(session=session, workspace_id=workspace_id,
                                              platform_user_id=other_id, now=now, tz=zone)
        # Always lock the two directions in the same order, or two events deadlock.
        for a, b in sorted(((me.id, other.id), (other.id, me.id))):
            await _strengthen(session, a, b, obs, now)
    if obs.kind == "reply" and others and obs.text:
        for aspect_id in curated.mentioned_in(obs.text):
            await _answered(session, me.id, aspect_id, now)


async def _strengthen(session, member_id: int, other_id: int, obs: Observation, now) -> None:
    """Read-modify-write of one edge, under its row lock."""
    row = await locked_edge(session=session, member_id=member_id, other_id=other_id, now=now)
    row.weight = decayed(row.weight, row.last_at, now) + KIND_WEIGHT[obs.kind]
    row.count += 1
    if obs.kind == "reply":
        row.threads += 1
    row.channel = obs.channel or row.channel
    row.last_at = now


async def _answered(session, member_id: int, aspect_id: int, now: datetime) -> None:
    signal = await locked_signal(session=session, member_id=member_id, aspect_id=aspect_id, now=now)
    signal.answers += 1
    signal.last_at = now
    if signal.answers < INFER_AFTER_ANSWERS:
        return
    inferred = await locked_inferred_expertise(session=session, member_id=member_id,
                                               aspect_id=aspect_id, now=now)
    inferred.weight = min(1.0, signal.answers / 10)
    inferred.updated_at = now
