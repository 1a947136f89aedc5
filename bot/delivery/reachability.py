"""When a platform says someone can no longer be reached (removed the app, deactivated, left):
stop writing to them, pause their mentorships, and tell the other side of each, once; a
mentee whose mentor is gone is offered the next suggestions with the news."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.domain import Status
from bot.core.turn import tag
from bot.delivery import outbox
from bot.usecases.intros import left
from storage.models import Aspect, Member
from storage.queries.members import member_by_platform_id
from storage.queries.mentorships import active_pairs_of


async def unreachable(session: AsyncSession, workspace_id: int, platform_user_id: str,
                      now: datetime) -> None:
    member = await member_by_platform_id(session=session, workspace_id=workspace_id,
                                         platform_user_id=platform_user_id, lock=True)
    if member is None or member.unreachable:
        return
    member.unreachable = True
    pairs = await active_pairs_of(session=session, member_id=member.id)
    for pair in pairs:
        pair.status = Status.PAUSED
        other = await session.get_one(Member, pair.other_side(member.id))
        aspect = (await session.get_one(Aspect, pair.aspect_id)).name
        said = (f"I can't reach {tag(member)} here any more, so I've paused your mentorship on "
                f"*{aspect}*. If you're still in touch, carry on; `/mentor status` shows it.")
        await outbox.to_members(session, members=[other], now=now, dedupe_key=f"unreachable:{pair.id}",
                                message=await left(session, now, member, pair, other, aspect, said))
