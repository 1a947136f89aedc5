"""Writing to the outbox: messages for others commit with the change that causes them."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.messages import Message
from bot.delivery.waking import next_waking_moment
from storage.models import Member
from storage.queries.outbox import held_until, insert_outbox_row, withdraw_outbox_row


async def to_channel(
    session: AsyncSession, *, workspace_id: int, channel: str, message: Message, now: datetime,
    dedupe_key: str | None = None,
) -> None:
    await _enqueue(session, workspace_id, "channel", [channel], message, now, now, dedupe_key)


async def to_members(
    session: AsyncSession, *, members: list[Member], message: Message, now: datetime,
    dedupe_key: str | None = None, group: bool = False,
) -> None:
    """A DM to each member (or one group DM with all of them), held until all are awake."""
    if group:
        when = max(_awake(m, now) for m in members)
        ids = [m.platform_user_id for m in members]
        await _enqueue(session, members[0].workspace_id, "group", ids, message, now, when, dedupe_key)
        return
    for member in members:
        key = f"{dedupe_key}:{member.id}" if dedupe_key else None
        await _enqueue(
            session, member.workspace_id, "dm", [member.platform_user_id], message, now,
            _awake(member, now), key,
        )


async def take_back(session: AsyncSession, *, dedupe_key: str, member: Member) -> bool:
    """Withdraw a DM `to_members` queued under `dedupe_key` that is still waiting (for
    someone's waking hours, say); True if it never went."""
    return await withdraw_outbox_row(session=session, dedupe_key=f"{dedupe_key}:{member.id}")


async def held(session: AsyncSession, *, dedupe_keys: dict[str, Member],
               now: datetime) -> dict[str, datetime]:
    """Which DMs `to_members` queued under each key for its member still wait for their
    waking hours, and until when (by the key given)."""
    full = {f"{key}:{member.id}": key for key, member in dedupe_keys.items()}
    found = await held_until(session=session, keys=list(full), now=now)
    return {full[key]: when for key, when in found.items()}


async def reply(session: AsyncSession, *, workspace_id: int, user_id: str, message: Message,
                now: datetime, key: str, reply_to: str | None, reply_until: datetime | None) -> None:
    """The answer to what someone just asked: sent at once (they are awake), through
    `reply_to` while it lasts (Slack's response URL), else by DM. One per `key`."""
    await _enqueue(session, workspace_id, "reply", [user_id], message, now, now, f"reply:{key}",
                   reply_to=reply_to, reply_until=reply_until)


def _awake(member: Member, now: datetime) -> datetime:
    return next_waking_moment(now, member.tz, member.quiet_start_hour, member.quiet_end_hour)


async def _enqueue(session, workspace_id, kind, recipients, message, now, not_before, dedupe_key,
                   reply_to=None, reply_until=None):
    session.info["outbox"] = True  # the core delivers right after commit when it can
    await insert_outbox_row(session=session, values={
        "workspace_id": workspace_id, "kind": kind, "recipients": recipients,
        "payload": message.to_dict(), "dedupe_key": dedupe_key, "status": "pending",
        "attempts": 0, "not_before": not_before, "created_at": now,
        "reply_to": reply_to, "reply_until": reply_until,
    })
