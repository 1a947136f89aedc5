"""The Teams bot's conversation details through botbuilder's own TestAdapter."""

from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    Entity,
)
from sqlmodel import select

from bot.core.actor import Actor
from handlers.teams.bot import PreceptorTeamsBot
from storage.models import Member


def teams_bot(world) -> PreceptorTeamsBot:
    async def private(team, user, message):  # personal-chat turns here answer in the turn
        raise AssertionError(f"an answer to {user} went proactive: {message.text}")

    return PreceptorTeamsBot(world.app.dispatch, world.app.events, world.app.conversations,
                             private)


def card_text(activity: Activity) -> str:
    content = activity.attachments[0].content
    return "\n".join(block["text"] for block in content["body"])


async def reply_to(adapter: TestAdapter, activity: Activity) -> Activity:
    """Run one turn through the adapter and return the bot's first reply."""
    await adapter.receive_activity(activity)
    return adapter.get_next_activity()


def message(text: str = "", value: dict | None = None, user: str = "29:kim") -> Activity:
    return Activity(
        type=ActivityTypes.message, text=text, value=value,
        from_property=ChannelAccount(id=user, name="Jordan Kim"),
        recipient=ChannelAccount(id="28:bot", name="Preceptor"),
        conversation=ConversationAccount(id=f"a:{user}", conversation_type="personal",
                                         tenant_id="tenant-9"),
        channel_data={"tenant": {"id": "tenant-9"}}, local_timezone="America/Chicago",
    )


async def test_words_with_or_without_slash_and_mentor_reach_the_core(world):
    adapter = TestAdapter(teams_bot(world).on_turn)
    for words in ("offer POCUS", "/mentor offer POCUS", "mentor offer bedside ultrasound"):
        reply = await reply_to(adapter, message(words))
        assert "listed as a mentor for: Point-of-care ultrasound" in card_text(reply)
        assert reply.attachments[0].content_type == "application/vnd.microsoft.card.adaptive"


async def test_an_at_mention_of_the_bot_is_removed(world):
    adapter = TestAdapter(teams_bot(world).on_turn)
    activity = message("<at>Preceptor</at> status")
    activity.entities = [Entity().deserialize({
        "type": "mention", "text": "<at>Preceptor</at>",
        "mentioned": {"id": "28:bot", "name": "Preceptor"}})]
    assert "Your mentoring at a glance" in card_text(await reply_to(adapter, activity))


async def test_action_submit_data_presses_the_named_button(world):
    adapter = TestAdapter(teams_bot(world).on_turn)
    accept = message(value={"action_id": "intro_accept", "value": "12345"})
    assert "can't find that ask" in card_text(await reply_to(adapter, accept))
    unknown = message(value={"action_id": "self_destruct", "value": "1"})
    assert "isn't one I know" in card_text(await reply_to(adapter, unknown))


async def test_the_persons_time_zone_and_conversation_are_kept(world):
    adapter = TestAdapter(teams_bot(world).on_turn)
    await reply_to(adapter, message("status"))
    reference = await world.app.conversations.find("teams", "tenant-9", "29:kim")
    assert reference["conversation"]["id"] == "a:29:kim" and reference["user"]["id"] == "29:kim"
    fields = await world.app.dispatch.profile_fields(Actor("teams", "tenant-9", "29:kim"))
    assert fields["quiet_hours"] == "21-7"
    async with world.db.transaction() as session:
        kim = (await session.exec(select(Member).where(Member.platform_user_id == "29:kim"))).one()
    assert (kim.tz, kim.name) == ("America/Chicago", "Jordan Kim")
