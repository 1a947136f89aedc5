"""When a platform says someone can no longer be reached: stop writing to them, pause their
mentorships, and tell the other side of each, once."""

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.domain import Status
from bot.core.messages import Message
from bot.core.turn import tag
from bot.delivery import outbox
from storage.models import Aspect, Member, Mentorship


async def unreachable(session: AsyncSession, workspace_id: int, platform_user_id: str,
                      now: datetime) -> None:
    member = (
        await session.exec(
            select(Member).where(
                Member.workspace_id == workspace_id, Member.platform_user_id == platform_user_id
            ).with_for_update()
        )
    ).first()
    if member is None or member.unreachable:
        return
    member.unreachable = True
    pairs = (
        await session.exec(
            select(Mentorship).where(
                Mentorship.status == Status.ACTIVE,
                (Mentorship.mentor_id == member.id) | (Mentorship.mentee_id == member.id),
            )
        )
    ).all()
    for pair in pairs:
        pair.status = Status.PAUSED
        other = await session.get_one(
            Member, pair.mentee_id if pair.mentor_id == member.id else pair.mentor_id
        )
        aspect = (await session.get_one(Aspect, pair.aspect_id)).name
        await outbox.to_members(session, members=[other], now=now, message=Message(
            f"I can't reach {tag(member)} here any more, so I've paused your mentorship on "
            f"*{aspect}*. If you're still in touch, carry on; `/mentor status` shows it."
        ), dedupe_key=f"unreachable:{pair.id}")
