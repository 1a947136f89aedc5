"""The Teams Messenger: proactive cards through saved conversation references.

Teams cannot open a group chat for a bot, so an introduction goes to each person as a card
with a "Start chat" link naming both (as Icebreaker does). Teams allows about 7 messages a
second per conversation; sends are paced, by all instances together, to stay under that
(see bot/delivery/pacing.py).
"""

from collections.abc import Sequence

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.schema import ChannelAccount, ConversationParameters, ConversationReference
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.core.conversations import ConversationStore
from bot.core.messages import Message
from bot.delivery.messenger import PermanentError, RateLimited, TransientError
from bot.delivery.pacing import Pace
from handlers.teams import cards
from handlers.teams.bot import TEAM_FIELD, removed_key


class TeamsMessenger:
    pace = Pace(per_second=7.0, burst=6)  # Teams: 7 a second per conversation; one in hand

    def __init__(self, adapter, app_id: str, conversations: ConversationStore):
        self.adapter, self.app_id, self.conversations = adapter, app_id, conversations

    async def send_dm(self, team: str, user_id: str, message: Message,
                      links: tuple[tuple[str, str], ...] = ()) -> str:
        """To the person's personal chat, unless they uninstalled the app."""
        if await self._removed(team, user_id):
            raise PermanentError("the person uninstalled the app", gone=user_id)
        reference = await self.conversations.find("teams", team, user_id)
        if reference is None:
            reference = await self._create_personal_chat(team, user_id)
        return await self._send(reference, message, links, user_id)

    async def post_channel(self, team: str, channel: str, message: Message) -> str:
        """A new post in the channel, unless the app was removed from its team."""
        reference = await self.conversations.find("teams", team, channel)
        in_team = (reference or {}).get(TEAM_FIELD, channel)
        if await self._removed(team, in_team):
            raise PermanentError("the app was removed from that team")
        if reference is None:
            # The team's channel: any saved reference of the tenant gives the service URL.
            known = await self.conversations.find("teams", team, None)
            if known is None:
                raise PermanentError("the app is not installed in that team")
            reference = {**known, "conversation": {"id": channel, "isGroup": True,
                                                   "conversationType": "channel"}}
        return await self._send(reference, message, (), None)

    async def _removed(self, team: str, installed_in: str) -> bool:
        removal = await self.conversations.find("teams", team, removed_key(installed_in))
        return bool(removal and removal.get("removed"))

    async def introduce(self, team: str, user_ids: Sequence[str], message: Message) -> str:
        """Teams cannot open a group chat for a bot: a card to each with a "Start chat" link."""
        people = await self.conversations.contacts("teams", team, list(user_ids))
        names = [people[u].email for u in user_ids if u in people and people[u].email]
        links = (("Start chat", cards.chat_link(names, "Preceptor introduction")),) if len(
            names) == len(user_ids) else ()
        for user_id in user_ids:
            await self.send_dm(team, user_id, message, links)
        return user_ids[0]

    async def _create_personal_chat(self, team: str, user_id: str) -> dict:
        """A 1:1 chat with someone who installed the app but never wrote to it."""
        known = await self.conversations.find("teams", team, None)
        if known is None:
            raise PermanentError("no conversation with this tenant yet", gone=user_id)
        created: dict = {}

        async def keep(turn_context: TurnContext) -> None:
            created.update(TurnContext.get_conversation_reference(turn_context.activity).serialize())

        parameters = ConversationParameters(
            is_group=False, bot=ChannelAccount(id=known["bot"]["id"]),
            members=[ChannelAccount(id=user_id)], tenant_id=team,
            channel_data={"tenant": {"id": team}},
        )
        await _call(self.adapter.create_conversation(
            self.app_id, keep, parameters, known.get("channelId", "msteams"),
            known["serviceUrl"], None,
        ), user_id)
        await self.conversations.remember("teams", team, user_id, created)
        return created

    async def _send(self, reference: dict, message: Message, links, user_id: str | None) -> str:
        ref = ConversationReference().deserialize(
            {k: v for k, v in reference.items() if k != TEAM_FIELD})
        sent: dict = {}

        async def deliver(turn_context: TurnContext) -> None:
            response = await turn_context.send_activity(cards.activity(message, links))
            sent["id"] = getattr(response, "id", "") or ""

        await _call(self.adapter.continue_conversation(ref, deliver, self.app_id), user_id)
        return sent.get("id", "")


async def _call(request, user_id: str | None):
    """Run a Bot Connector call, sorting failures into transient and permanent."""
    try:
        return await request
    except HttpOperationError as error:
        status = error.response.status_code if error.response is not None else 0
        if status == 429:
            retry_after = float(error.response.headers.get("Retry-After") or 1)
            raise RateLimited(retry_after, workspace=True) from None
        if status in (401, 403, 404):
            # 403: "bot not in conversation roster": the person removed the app or left.
            raise PermanentError(f"teams {status}", gone=user_id) from None
        if status == 413:  # MessageSizeTooBig: the same message would be refused again
            raise PermanentError("teams 413: the message is too big") from None
        raise TransientError(f"teams {status}") from None
    except (TimeoutError, ClientRequestError, aiohttp.ClientError) as error:
        raise TransientError(type(error).__name__) from None
