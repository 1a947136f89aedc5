"""A Messenger whose "platform" is a list of deliveries the terminal prints."""

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.messages import Message


@dataclass(frozen=True)
class Delivery:
    to: str  # a user id, a channel name or a group id
    message: Message


class ConsoleMessenger:
    pace = None  # the terminal has no limits

    def __init__(self):
        self.delivered: list[Delivery] = []
        self._groups: dict[str, tuple[str, ...]] = {}

    async def send_dm(self, team: str, user_id: str, message: Message) -> str:
        self.delivered.append(Delivery(user_id, message))
        return str(len(self.delivered))

    async def post_channel(self, team: str, channel: str, message: Message) -> str:
        self.delivered.append(Delivery(channel, message))
        return str(len(self.delivered))

    async def introduce(self, team: str, user_ids: Sequence[str], message: Message) -> str:
        group = "group:" + ",".join(sorted(user_ids))
        self._groups[group] = tuple(user_ids)
        return await self.post_channel(team, group, message)

    def members_of(self, group: str) -> tuple[str, ...]:
        return self._groups.get(group, ())

    def take(self) -> list[Delivery]:
        """What arrived since the last call."""
        new, self.delivered = self.delivered, []
        return new
