"""Folding a batch of observations into familiarity in a handful of set-based statements:
members found or made at once, every edge the batch touches read in one query and written
in one, memberships and thread answers likewise.

The result is the same as folding the observations one by one, in order: an edge's weight
decays to each event's moment and gains the event's weight. A departure ("left", or a
channel's "roster") is applied where it falls, after what came before it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Row
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.matching.familiarity import INFER_AFTER_ANSWERS, KIND_WEIGHT, MAX_OTHERS, decayed
from storage.queries.familiarity import (
    add_answers,
    edges_of,
    infer_expertise,
    join_channels,
    leave_channel,
    write_edges,
)
from storage.queries.members import get_or_create_workspace, member_ids

DEPARTURES = ("left", "roster")


@dataclass
class _Run:
    """Observations of one workspace with no departure among them, folded together."""

    workspace_id: int
    seen: list[tuple[Row, list[str]]] = field(default_factory=list)  # each with `named(row)`

    def people(self) -> set[str]:
        return {user for row, names in self.seen for user in (row.user_id, *names)} - {""}


def named(row: Row) -> list[str]:
    """A channel roster's members, all of them; else whom the actor interacted with: each
    once, never themselves, at most MAX_OTHERS."""
    if row.kind == "roster":
        return row.others.split()
    return [o for o in dict.fromkeys(row.others.split()) if o != row.user_id][:MAX_OTHERS]


async def fold(session: AsyncSession, rows: list[Row], *, now: datetime, zone: str) -> None:
    """Fold `rows` (in the order they were written) in; people first seen get `zone`."""
    workspaces: dict[tuple[str, str], int] = {}
    run: _Run | None = None
    for row in rows:
        where = (row.platform, row.team)
        if where not in workspaces:
            workspace = await get_or_create_workspace(
                session=session, platform=row.platform, external_id=row.team, now=now)
            assert workspace.id is not None  # found or flushed: it has its id
            workspaces[where] = workspace.id
        if run is not None and (run.workspace_id != workspaces[where] or row.kind in DEPARTURES):
            await _fold_run(session, run, now, zone)
            run = None
        if row.kind in DEPARTURES:
            await _depart(session, workspaces[where], row)
        if row.kind != "left":
            run = run or _Run(workspaces[where])
            run.seen.append((row, named(row)))
    if run is not None:
        await _fold_run(session, run, now, zone)


async def _depart(session: AsyncSession, workspace_id: int, row: Row) -> None:
    """Someone left a channel; or a channel's whole membership: whoever is not in it left
    (its members join in the run that follows)."""
    if row.channel:
        await leave_channel(session=session, workspace_id=workspace_id, channel=row.channel,
                            platform_user_ids=[row.user_id] if row.kind == "left" else named(row),
                            keep=row.kind == "roster")


async def _fold_run(session: AsyncSession, run: _Run, now: datetime, zone: str) -> None:
    ids = await member_ids(session=session, workspace_id=run.workspace_id,
                           user_ids=run.people(), now=now, tz=zone)
    joins: set[tuple[int, str, int]] = set()
    touches: defaultdict[tuple[int, int], list[Row]] = defaultdict(list)
    answers: dict[tuple[int, int], tuple[int, datetime]] = {}
    for row, names in run.seen:
        if row.kind in ("joined", "roster"):
            members = [ids[u] for u in (names if row.kind == "roster" else [row.user_id])]
            joins.update((run.workspace_id, row.channel, m) for m in members if row.channel)
            continue
        me = ids[row.user_id]
        for other in (ids[o] for o in names):
            touches[me, other].append(row)
            touches[other, me].append(row)
        if row.kind == "reply" and names:
            for aspect in map(int, row.aspects.split()):
                more, _ = answers.get((me, aspect), (0, row.seen_at))
                answers[me, aspect] = (more + 1, row.seen_at)
    await join_channels(session=session, rows=joins)
    existing = await edges_of(session=session, pairs=touches)
    await write_edges(session=session, rows=[_strengthened(existing.get(pair), pair, seen)
                                             for pair, seen in touches.items()])
    totals = await add_answers(session=session, answers=answers)
    await infer_expertise(session=session, now=now, weights={
        pair: min(1.0, total / 10) for pair, total in totals.items() if total >= INFER_AFTER_ANSWERS})


def _strengthened(edge: Row | None, pair: tuple[int, int], seen: list[Row]) -> dict:
    """One edge after `seen`, in order: decayed to each event's moment, plus its weight."""
    if edge is None:
        weight, count, threads, channel, last = 0.0, 0, 0, None, seen[0].seen_at
    else:  # (a Row's `count` attribute is, to a type checker, tuple's method)
        weight, count, threads, channel, last = (edge.weight, edge._mapping["count"], edge.threads,
                                                 edge.channel, edge.last_at)
    for row in seen:
        moment = max(row.seen_at, last)
        weight, last = decayed(weight, last, moment) + KIND_WEIGHT[row.kind], moment
        count, threads = count + 1, threads + (row.kind == "reply")
        channel = row.channel or channel
    return {"member_id": pair[0], "other_id": pair[1], "weight": weight, "count": count,
            "threads": threads, "channel": channel, "last_at": last}
