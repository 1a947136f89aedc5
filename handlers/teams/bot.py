"""The Teams bot: typed words and card buttons in, the core's replies out as Adaptive Cards."""

import logging
import time
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import ChannelAccount

from bot.core.actor import Actor
from bot.core.conversations import ConversationStore
from bot.core.dispatch import Dispatch
from bot.core.errors import PreceptorError, answered
from bot.core.messages import Message, plain
from bot.core.workspace_events import WorkspaceEvents
from bot.delivery.messenger import DeliveryError
from bot.matching.familiarity import Observation
from handlers.teams import cards, invokes

log = logging.getLogger(__name__)
WELCOME = Message(
    "Hello! I'm Preceptor: I find you a mentor for one aspect at a time and check in "
    "until you wrap up.",
    sections=("Try `learn POCUS: FAST exams on nights`, `offer breaking bad news` or `help`.",),
)
SIGN_IN_TTL = 24 * 3600
Private = Callable[[str, str, Message], Awaitable[str]]
PERSONAL, GROUP_CHAT, CHANNEL = "personal", "groupChat", "channel"  # conversationType
TEAM_FIELD = "preceptorTeam"  # kept beside a channel's reference: the team it belongs to


def tenant_of(activity) -> str:
    data = activity.channel_data or {}
    tenant = (data.get("tenant") or {}).get("id") if isinstance(data, dict) else None
    return tenant or getattr(activity.conversation, "tenant_id", None) or "unknown-tenant"


class PreceptorTeamsBot(TeamsActivityHandler):
    def __init__(self, dispatch: Dispatch, events: WorkspaceEvents, conversations: ConversationStore,
                 private: Private):
        super().__init__()
        self.dispatch, self.events, self.conversations = dispatch, events, conversations
        self.private = private  # a message to someone's personal chat (the Messenger's send_dm)
        self._sign_in: dict[str, tuple[float, str | None]] = {}

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """A typed command (mentions removed) or an `Action.Submit` from one of our cards.
        In a channel, only a message that @mentions the bot is for it: the rest is colleagues
        talking (observed for familiarity, never answered). The answer to anything done in a
        channel (suggestions, confirmations) is the person's alone: it goes to their personal
        chat, and the channel hears only that it went there."""
        activity = turn_context.activity
        actor = await self._remember(turn_context)
        await self._observe_mentions(actor, activity)
        value = activity.value if isinstance(activity.value, dict) else None
        if not value and _kind(activity) != PERSONAL and not _mentions_bot(activity):
            return
        if value and "action_id" in value:
            call = self.dispatch.press(actor, str(value["action_id"]), str(value.get("value", "")))
        else:
            text = (TurnContext.remove_recipient_mention(activity) or activity.text or "").strip()
            call = self.dispatch.command(actor, _core_mentions(activity, text))
        await self._answer(turn_context, actor, await answered(call))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """`Action.Execute` on a Universal Actions card (`adaptiveCard/action`); any invoke the
        app never declared (a task module, a message extension) is refused, never a 5xx."""
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            response = await super().on_invoke_activity(turn_context)
            if response is None or response.status != HTTPStatus.NOT_IMPLEMENTED:
                return response
            log.info("Teams invoke not handled: %s", activity.name)
            return invokes.refused("NotSupported", "Preceptor does not handle this invoke.")
        action = (activity.value or {}).get("action") if isinstance(activity.value, dict) else None
        if not isinstance(action, dict) or action.get("type") != "Action.Execute":
            return invokes.refused("BadRequest", "Expected an Action.Execute.")
        return await self._execute(turn_context, action)

    async def _execute(self, turn_context: TurnContext, action: dict) -> InvokeResponse:
        """A button (answered as a press is, privately) or Teams asking for a refresh; either
        way the card comes back as it now stands, for whoever is looking at it."""
        actor = await self._remember(turn_context)
        data = action["data"] if isinstance(action.get("data"), dict) else {}
        action_id, value = str(data.get("action_id", "")), str(data.get("value", ""))
        if action.get("verb") != cards.REFRESH:
            reply = await answered(self.dispatch.press(actor, action_id, value))
            await self._answer(turn_context, actor, reply, note=False)
        try:
            view = await self.dispatch.view(actor, action_id, value)
        except PreceptorError as refusal:
            return invokes.notice(plain(refusal.message))
        return invokes.card(cards.card(view))

    async def _answer(self, turn_context: TurnContext, actor: Actor, reply: Message,
                      note: bool = True) -> None:
        """In a personal chat, the reply; from a channel or a group chat, the reply goes to
        the person's personal chat and (with `note`) the others hear only where it went."""
        if _kind(turn_context.activity) == PERSONAL:
            await turn_context.send_activity(cards.activity(reply))
            return
        try:
            await self.private(actor.team, actor.user_id, reply)
            told = "I've answered you in our personal chat."
        except DeliveryError as error:
            log.warning("a channel command's answer could not reach the personal chat: %s", error)
            told = "I couldn't open a personal chat with you: send me a message there first."
        if note:
            await turn_context.send_activity(cards.activity(Message(told)))

    async def _observe_mentions(self, actor: Actor, activity) -> None:
        """Colleagues @mentioned in a channel message: familiarity (never the words)."""
        if not _in_channel(activity):
            return
        mentioned = tuple(
            m.additional_properties["mentioned"]["id"]
            for m in TurnContext.get_mentions(activity)
            if m.additional_properties.get("mentioned", {}).get("id") not in (
                None, activity.recipient.id, actor.user_id)
        )
        if mentioned:
            await self.events.observe("teams", actor.team, Observation(
                "mention", actor.user_id, mentioned, activity.conversation.id.split(";")[0]),
                event_key=f"teams:{activity.id}")

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        """Added to a team or installed by someone: sending there resumes, and hello, once
        per install (Teams announces one install twice, `installationUpdate` add and
        `conversationUpdate` with the bot in membersAdded; an upgrade is no new install)."""
        actor = await self._remember(turn_context)
        activity = turn_context.activity
        removals = await self._installed(actor.team, activity, removed=False)
        if _personal(activity):
            await self.dispatch.reachable(actor, True)
        where = activity.conversation.id.split(";")[0]
        if await self.events.first_time(f"teams:welcome:{actor.team}:{where}:{removals}"):
            await turn_context.send_activity(cards.activity(WELCOME))

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        """Removed from a team, or uninstalled by someone: nothing more is sent there until
        the app is added again. Someone who uninstalled it is unreachable at once (their
        pairs pause, the other side is told) rather than at the next 403."""
        activity = turn_context.activity
        team = tenant_of(activity)
        await self._installed(team, activity, removed=True)
        if _personal(activity):
            await self.dispatch.reachable(Actor("teams", team, activity.from_property.id), False)

    async def _installed(self, team: str, activity, removed: bool) -> int:
        """Note the app added to (or removed from) where the activity says; returns how many
        times it was removed from there, which tells one install from the next."""
        key = removed_key(_installed_in(activity))
        before = await self.conversations.find("teams", team, key) or {}
        removals = before.get("removals", 0) + (1 if removed and not before.get("removed") else 0)
        await self.conversations.remember("teams", team, key,
                                          {"removed": removed, "removals": removals})
        return removals

    async def on_members_removed_activity(self, members_removed: list[ChannelAccount],
                                          turn_context: TurnContext) -> None:
        if any(member.id == turn_context.activity.recipient.id for member in members_removed):
            await self.on_installation_update_remove(turn_context)

    async def on_members_added_activity(self, members_added: list[ChannelAccount],
                                        turn_context: TurnContext) -> None:
        """The bot itself joined a personal chat or a team: keep the reference and say hello."""
        bot_id = turn_context.activity.recipient.id
        if any(member.id == bot_id for member in members_added):
            await self.on_installation_update_add(turn_context)

    async def _remember(self, turn_context: TurnContext) -> Actor:
        """Save where to reach this person (or channel) later, and who they are."""
        activity = turn_context.activity
        team = tenant_of(activity)
        reference = TurnContext.get_conversation_reference(activity).serialize()
        conversation = activity.conversation
        if _in_channel(activity):  # the channel itself, so posts there start new threads
            reference["conversation"]["id"] = conversation.id.split(";")[0]
            reference[TEAM_FIELD] = _team_of(activity)
        if _kind(activity) != GROUP_CHAT:  # a group chat is never where a person's DMs go
            key = (conversation.id.split(";")[0] if _in_channel(activity)
                   else activity.from_property.id)
            await self.conversations.remember("teams", team, key, reference)
        return Actor("teams", team, activity.from_property.id, name=activity.from_property.name,
                     tz=getattr(activity, "local_timezone", None) or _client_zone(activity),
                     email=await self._sign_in_name(turn_context))

    async def _sign_in_name(self, turn_context: TurnContext) -> str | None:
        """The user's sign-in name (for chat links), asked of Teams once a day per user."""
        user = turn_context.activity.from_property.id
        cached = self._sign_in.get(user)
        if cached and time.monotonic() - cached[0] < SIGN_IN_TTL:
            return cached[1]
        try:
            member = await TeamsInfo.get_member(turn_context, user)
            name = member.user_principal_name or member.email
        except Exception as error:  # the roster is a nicety; the command still works
            log.warning("could not read the Teams roster entry: %s", type(error).__name__)
            name = None
        self._sign_in[user] = (time.monotonic(), name)
        return name


def _client_zone(activity) -> str | None:
    """The zone of a clientInfo entity (msteams-docs, "Get context for your bot": `timezone`),
    for activities that do not carry `localTimezone`."""
    for entity in activity.entities or []:
        props = getattr(entity, "additional_properties", None) or {}
        if getattr(entity, "type", None) == "clientInfo" and props.get("timezone"):
            return props["timezone"]
    return None


def removed_key(installed_in: str) -> str:
    """Where the app's removal from a team (by its id) or by a person (by theirs) is noted
    among the saved references."""
    return f"removed:{installed_in}"


def _installed_in(activity) -> str:
    """What an install or uninstall is of: the team, the person, or the group chat."""
    if _in_channel(activity):
        return _team_of(activity)
    if _personal(activity):
        return activity.from_property.id
    return activity.conversation.id


def _kind(activity) -> str:
    """personal, groupChat or channel. Teams names it in `conversationType`; where an
    activity omits it (msteams-docs' own examples do), the channel data or the id tells:
    personal chats are `a:…`, group chats `19:…@thread.v2`, channels `19:…@thread.tacv2`."""
    conversation = activity.conversation
    if conversation.conversation_type in (PERSONAL, GROUP_CHAT, CHANNEL):
        return conversation.conversation_type
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    if data.get("team") or data.get("channel") or "@thread.tacv2" in (conversation.id or ""):
        return CHANNEL
    return GROUP_CHAT if (conversation.id or "").startswith("19:") or conversation.is_group else PERSONAL


def _personal(activity) -> bool:
    return _kind(activity) == PERSONAL


def _team_of(activity) -> str:
    """The team a channel activity is in (its General channel's id when Teams omits it)."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    return (data.get("team") or {}).get("id") or activity.conversation.id.split(";")[0]


def _in_channel(activity) -> bool:
    return _kind(activity) == CHANNEL


def _mentions_bot(activity) -> bool:
    return any((m.additional_properties.get("mentioned") or {}).get("id") == activity.recipient.id
               for m in TurnContext.get_mentions(activity))


def _core_mentions(activity, text: str) -> str:
    """Teams' `<at>First Last</at>` (with its entity) as the core's `<@id>`: the id alone,
    since the words of a display name would be split as words of the command."""
    for mention in TurnContext.get_mentions(activity):
        props = mention.additional_properties
        who = props.get("mentioned") or {}
        if who.get("id") and who.get("id") != activity.recipient.id and props.get("text"):
            text = text.replace(props["text"], f"<@{who['id']}>")
    return text
