"""10,000 generated slash commands, interaction payloads and event bodies, all correctly
signed, at `/slack/events`: never a 500, never a change from a malformed request, and every
command and click answered by the core with a private sentence (or its form)."""

import json
import shutil
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from storage.models import IntroAsk, LearningRequest, Mentorship, Outbox

FUZZ = settings(max_examples=3400, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
WORDS = st.sampled_from(["learn", "offer", "status", "pause", "resume", "capacity", "profile",
                         "thanks", "impact", "admin", "report", "help", "met", "--private",
                         "--another-perspective", ":", "@", "<@U1>", "5551234567", "99", "-1",
                         "x" * 5000])
COMMAND_TEXT = st.one_of(TEXT, st.lists(st.one_of(WORDS, TEXT), max_size=6).map(" ".join))
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=40),
                       lambda inner: st.lists(inner, max_size=4) |
                       st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)


@pytest.fixture
def db_url(tmp_path, sqlite_template):
    """The fuzz is about parsing, not storage: SQLite only, to keep the suite quick."""
    path = tmp_path / "fuzz.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


async def state(world) -> tuple[int, ...]:
    """What a request could change, besides the answer to its sender."""
    async with world.app.db.transaction() as session:
        counts = [(await session.exec(select(func.count()).select_from(m))).one()
                  for m in (LearningRequest, IntroAsk, Mentorship)]
        others = select(func.count()).select_from(Outbox).where(Outbox.kind != "reply")
        return (*counts, (await session.exec(others)).one())


async def answer_to(world, client) -> dict:
    """The private reply to the request just sent (within 5 s)."""
    answer = await world.answer(client)
    assert answer is not None, f"no answer to {client.last}"
    return answer


@FUZZ
@given(command=st.sampled_from(["/learn", "/mentor"]), text=COMMAND_TEXT)
async def test_every_generated_command_gets_a_private_answer_from_the_core(slack_world, command, text):
    response = await slack_world.client.command("U_FUZZ", command, text)
    assert response.status == 200
    reply = await answer_to(slack_world, slack_world.client)
    assert reply.get("form") or (reply["response_type"] == "ephemeral" and reply["text"].strip()
                                 and "went wrong" not in reply["text"]), reply


async def test_oversized_commands_are_refused_with_the_limit_named(slack_world):
    client = slack_world.client
    replies = []
    for text in ("x" * 5000, "learn " + "y" * 2000, "offer " + "z" * 300, "learn A: " + "w" * 1500):
        await client.command("U_FUZZ", "/mentor", text)
        replies.append(await answer_to(slack_world, client))
    said = [r["text"] for r in replies]
    assert sum(t.startswith("That's longer than I take (4,000 characters)") for t in said) == 1
    assert sum("at most 80 characters" in t for t in said) == 2
    assert sum("Keep the details under 1000 characters" in t for t in said) == 1
    assert all(r["response_type"] == "ephemeral" for r in replies)


@FUZZ
@given(action=st.one_of(st.sampled_from(["intro_accept", "intro_decline", "checkin_met",
                                         "request_intro", "offer_help", "checkin_wrap_up"]),
                        st.text(max_size=30)),
       value=st.one_of(st.text(max_size=60), st.integers().map(str)))
async def test_generated_button_presses_change_nothing_and_are_answered(slack_world, action, value):
    before = await state(slack_world)
    response = await slack_world.client.click("U_FUZZ", action, value)
    assert response.status == 200
    reply = await answer_to(slack_world, slack_world.client)
    assert reply.get("form") or (reply["response_type"] == "ephemeral" and reply["text"].strip()
                                 and "went wrong" not in reply["text"]), reply
    await slack_world.app.delivery.settle()
    assert await state(slack_world) == before


@FUZZ
@given(event=JSONISH, kind=st.sampled_from(["message", "reaction_added", "app_home_opened",
                                            "member_joined_channel", "team_join", "x"]))
async def test_generated_events_are_acknowledged(slack_world, event, kind):
    body = event if isinstance(event, dict) else {"junk": event}
    body = {**body, "type": kind}
    response = await slack_world.client.event(body)
    assert response.status == 200
    raw = json.dumps({"type": "event_callback", "event": event})
    junk = await slack_world.client.post(urlencode({"payload": raw}),
                                         "application/x-www-form-urlencoded")
    assert junk.status < 500
