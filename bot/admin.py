"""Lead-only commands: program leads are the platform user ids in PRECEPTOR_ADMINS."""

from bot.errors import BadCommand, NotYours
from bot.grammar import Command
from bot.messages import Message
from bot.turn import Turn


def require_admin(t: Turn) -> None:
    if not t.is_admin:
        raise NotYours("Only program leads can do that; ask your mentoring lead.")


async def set_channel(t: Turn, cmd: Command) -> Message:
    """`/mentor admin channel here`: public requests are announced where this was typed."""
    require_admin(t)
    if not t.channel or t.channel.startswith("D"):
        raise BadCommand("Type this inside the mentoring channel (invite me there first).")
    t.workspace.channel = t.channel
    return Message("This is now the mentoring channel: public requests will be announced here.")
