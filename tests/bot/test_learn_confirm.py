"""A near spelling or a brand-new topic is confirmed privately before anything is recorded
or announced ("Did you mean *Point-of-care ultrasound*? [Yes] [No, post 'POCSU']")."""

import json

from sqlmodel import func, select

from storage.models import Aspect, LearnDraft, LearningRequest
from tests.bot.test_learning_and_intros import hospital
from tests.helpers import CHANNEL, text_of


async def rows(world, model, *where) -> int:
    async with world.db.transaction() as session:
        return (await session.exec(select(func.count()).select_from(model).where(*where))).one()


async def requests_on(world) -> list[str]:
    async with world.db.transaction() as session:
        return list((await session.exec(select(Aspect.name).join(
            LearningRequest, LearningRequest.aspect_id == Aspect.id))).all())


def value(message, index: int) -> str:
    return [b.value for b in message.buttons if b.action_id == "learn_confirm"][index]


async def test_a_near_spelling_asks_first_and_yes_records_the_curated_aspect(world):
    await hospital(world)
    question = await world.cmd("priya", "/learn POCSU: FAST exams on nights")
    await world.tick()
    assert text_of(question).startswith("Did you mean *Point-of-care ultrasound*?")
    assert [b.label for b in question.buttons] == ["Yes: Point-of-care ultrasound", "No, post 'POCSU'"]
    assert world.inbox(CHANNEL) == [] and await requests_on(world) == []

    reply = await world.press("priya", "learn_confirm", value(question, 0))
    await world.tick()
    assert "Got it: you want to learn *Point-of-care ultrasound*" in text_of(reply)
    assert "Suggested mentors" in text_of(reply)
    assert "FAST exams on nights" in text_of(world.last(CHANNEL))
    assert await requests_on(world) == ["Point-of-care ultrasound"]
    assert await rows(world, LearnDraft) == 0


async def test_no_posts_what_was_typed_as_a_new_topic(world):
    await hospital(world)
    question = await world.cmd("priya", "/learn POCSU")
    reply = await world.press("priya", "learn_confirm", value(question, 1))
    await world.tick()
    assert "Got it: you want to learn *POCSU*" in text_of(reply)
    assert await requests_on(world) == ["POCSU"] and "*POCSU*" in text_of(world.last(CHANNEL))


async def test_a_new_topic_is_asked_about_and_cancel_leaves_nothing(world):
    await hospital(world)
    question = await world.cmd("priya", "/learn knitting for stress")
    assert "Nobody here has asked to learn *knitting for stress* yet" in text_of(question)
    assert f"posted in {CHANNEL}" in text_of(question)
    assert [b.label for b in question.buttons] == ["Yes, post 'knitting for stress'", "Cancel"]
    assert await rows(world, Aspect, Aspect.workspace_id.is_not(None)) == 0

    assert text_of(await world.press("priya", "learn_confirm", value(question, 1))) == \
        "Cancelled: nothing was posted."
    await world.tick()
    assert world.inbox(CHANNEL) == [] and await requests_on(world) == []
    assert await rows(world, Aspect, Aspect.workspace_id.is_not(None)) == 0
    again = await world.press("priya", "learn_confirm", value(question, 0))
    assert "answered already" in text_of(again) and await requests_on(world) == []


async def test_a_sure_match_is_recorded_at_once(world):
    await hospital(world)
    for typed in ("/learn point-of-care ultrasound", "/learn --private ecografía a pie de cama"):
        reply = await world.cmd("priya", typed)
        assert "learn_confirm" not in {b.action_id for b in reply.buttons}
        await world.cmd("priya", "/learn cancel")
    assert await requests_on(world) == ["Point-of-care ultrasound"] * 2


async def test_only_the_author_answers_and_drafts_are_forgotten_after_a_day(world):
    await hospital(world)
    question = await world.cmd("priya", "/learn POCSU: nights")
    refused = await world.press("souza", "learn_confirm", value(question, 0))
    assert "Only the person who asked" in text_of(refused) and await rows(world, LearnDraft) == 1
    exported = json.loads((await world.cmd("priya", "/mentor export")).file[1])
    assert exported["learn_drafts"][0]["did_you_mean"] == "Point-of-care ultrasound"
    assert exported["learn_drafts"][0]["your_words"] == "nights"

    await world.advance(hours=23)
    assert await rows(world, LearnDraft) == 1
    await world.advance(hours=2)
    assert await rows(world, LearnDraft) == 0
    late = await world.press("priya", "learn_confirm", value(question, 0))
    assert "expired after a day" in text_of(late) and await requests_on(world) == []


async def test_forget_me_erases_an_unanswered_draft(world):
    await hospital(world)
    await world.cmd("priya", "/learn POCSU: nights")
    await world.cmd("priya", "/mentor forget-me confirm")
    assert await rows(world, LearnDraft) == 0
