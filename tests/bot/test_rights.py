"""Data rights and the audit log: export everything, forget everything, prove the record."""

import json

import pytest
from sqlmodel import select

from bot.matching.familiarity import Observation
from bot.privacy import audit
from storage.models import AuditEvent, Expertise, Interaction, LearningRequest, Member, ObservedEvent
from tests.bot.test_checkins import paired
from tests.helpers import TEAM, button, text_of


async def test_export_holds_everything_about_me_and_nothing_private_of_others(world):
    await paired(world)
    await world.advance(days=15)
    await world.cmd("priya", "met")
    await world.person("nguyen", "role=student")
    await world.cmd("nguyen", "/learn --private grant writing: a secret plan")
    await world.observe(Observation("mention", "priya", ("souza",), "C1"))
    reply = await world.cmd("priya", "/mentor export")
    name, content = reply.file
    data = json.loads(content)
    assert name == "preceptor-export.json"
    assert data["profile"]["role"] == "resident"
    assert data["learning_requests"][0]["your_words"] == "FAST exams"
    assert data["mentorships"][0]["as"] == "mentee" and data["mentorships"][0]["with"] == "Souza"
    assert data["mentorships"][0]["check_ins"][0]["outcome"] == "met"
    assert data["interactions"][0]["count"] == 1
    assert data["interactions"][0]["with"] == "Souza"
    assert "a secret plan" not in content


async def test_export_names_the_aspect_and_the_colleague_of_every_fact(world):
    await paired(world)
    await world.cmd("priya", "/mentor thanks @souza for the FAST tips")
    await world.cmd("priya", "/mentor wrap-up")
    await world.cmd("priya", "reflect I scan alone now")
    data = json.loads((await world.cmd("priya", "/mentor export")).file[1])
    (ask,) = data["intro_asks"]
    assert (ask["aspect"], ask["with"], ask["you_are"], ask["asked_by_you"]) == (
        "Point-of-care ultrasound", "Souza", "mentee", True)
    (thanks,) = data["thanks_sent"]
    assert (thanks["to"], thanks["text"]) == ("Souza", "for the FAST tips")
    (reflection,) = data["reflections"]
    assert (reflection["aspect"], reflection["with"], reflection["text"]) == (
        "Point-of-care ultrasound", "Souza", "I scan alone now")


async def test_forget_me_needs_confirmation_then_erases_and_keeps_counts(world):
    await paired(world)
    asked = text_of(await world.cmd("priya", "/mentor forget-me"))
    assert "type `/mentor forget-me confirm`" in asked
    async with world.db.transaction() as session:
        assert (await session.exec(select(Member).where(Member.platform_user_id == "priya"))).one()
    for seen in (Observation("reply", "priya", ("kim",), "C1"),  # written down, not yet folded
                 Observation("mention", "kim", ("lee", "priya"), "C1"),
                 Observation("mention", "kim", ("priyanka",), "C1")):
        await world.app.events.observe("console", TEAM, seen)
    done = await world.cmd("priya", "/mentor forget-me confirm")
    assert "erased what I held on you" in text_of(done)
    await world.tick()
    assert "the other person left Preceptor" in text_of(world.last("souza"))
    async with world.db.transaction() as session:
        assert (await session.exec(select(Member).where(Member.platform_user_id == "priya"))).first() is None
        (request,) = (await session.exec(select(LearningRequest))).all()
        assert request.details == ""  # the row stays for the counts, the words are gone
        assert len((await session.exec(select(Interaction))).all()) == 4  # kim-lee, kim-priyanka
        assert [o.others for o in (await session.exec(select(ObservedEvent).order_by(
            ObservedEvent.id))).all()] == [" lee ", " priyanka "]
        assert len((await session.exec(select(Expertise))).all()) == 2  # Souza's offers stay
        kinds = [e.kind for e in (await session.exec(select(AuditEvent))).all()]
        assert kinds == ["introduction", "erasure"]
        assert await audit.verify(session) is None
    again = await world.cmd("priya", "status")
    assert "Nothing yet" in text_of(again)  # a fresh start


async def test_a_tampered_audit_row_fails_verification(world):
    await paired(world)
    await world.cmd("priya", "/mentor forget-me confirm")
    async with world.db.transaction() as session:
        first = (await session.exec(select(AuditEvent).order_by(AuditEvent.id))).first()
        first.detail = {**first.detail, "mentor": 999}
    async with world.db.transaction() as session:
        assert await audit.verify(session) == first.id


async def forget_me(world) -> None:
    await world.cmd("souza", "/mentor forget-me confirm")


async def unreachable(world) -> None:  # the platform says so: app removed, account deactivated
    await world.app.dispatch.reachable(world.actor("souza"), False)


@pytest.mark.parametrize("leaves, news", [
    (forget_me, "has ended: the other person left"),
    (unreachable, "I can't reach @Souza here any more, so I've paused"),
])
async def test_a_mentor_who_leaves_releases_the_mentee_with_new_suggestions(world, leaves, news):
    await paired(world)  # Priya learns POCUS from Souza
    await world.person("lee", "role=attending; specialty=Emergency Medicine", offers="POCUS")
    await leaves(world)
    await world.tick()
    told = world.last("priya")
    assert news in text_of(told) and "Here's who else could help" in text_of(told)
    assert [b.label for b in told.buttons] == ["Request intro: Lee"]
    asked = await world.press("priya", "request_intro", button(told, "request_intro"))
    assert "I've asked @Lee" in text_of(asked)
