"""The command grammar: Slack's slash commands and Teams' typed words parse the same."""

import pytest

from bot.core.errors import BadCommand
from bot.core.grammar import parse


@pytest.mark.parametrize("text", [
    "/learn POCUS: FAST exams", "learn POCUS: FAST exams", "mentor learn POCUS: FAST exams",
])
def test_learn_with_or_without_slash_and_mentor(text):
    cmd = parse(text)
    assert (cmd.name, cmd.items, cmd.text, cmd.private) == ("learn", ("POCUS",), "FAST exams", False)


def test_learn_flags():
    assert parse("/learn --private central lines").private
    cmd = parse("/learn --another-perspective POCUS")
    assert cmd.another_perspective and cmd.items == ("POCUS",)


@pytest.mark.parametrize("text, name", [
    ("/mentor", "help"), ("/mentor help", "help"), ("help", "help"), ("/mentor status", "status"),
    ("status", "status"), ("mentor status", "status"), ("/mentor resume", "resume"),
    ("/mentor pause", "pause"), ("offer POCUS", "offer"), ("/mentor profile", "profile"),
])
def test_command_names(text, name):
    assert parse(text).name == name


@pytest.mark.parametrize("text, outcome", [
    ("met", "met"), ("We met!", "met"), ("not yet", "not_yet"), ("Not Yet.", "not_yet"),
    ("pause", "pause"), ("wrap up", "wrap_up"), ("wrap-up", "wrap_up"),
])
def test_typed_check_in_replies(text, outcome):
    cmd = parse(text)
    assert (cmd.name, cmd.text) == ("reply", outcome)


def test_offer_splits_on_commas_and_semicolons():
    assert parse("/mentor offer POCUS, central lines; LP").items == ("POCUS", "central lines", "LP")


def test_numbers_and_profile_fields():
    assert parse("/mentor pause 3").number == 3
    assert parse("capacity 0").number == 0
    assert parse("/mentor profile role=resident; site: Main campus; quiet=22-6").fields == {
        "role": "resident", "site": "Main campus", "quiet_hours": "22-6"}


@pytest.mark.parametrize("text, says", [
    ("/learn", "Tell me what you want to learn"),
    ("/learn --private", "Tell me what you want to learn"),
    ("/learn --loud POCUS", "Unknown option"),
    ("/mentor offer", "Say what you can mentor"),
    ("/mentor capacity 11", "from 0 to 10"),
    ("/mentor capacity lots", "from 0 to 10"),
    ("/mentor pause 0", "from 1 to 52"),
    ("/mentor status now", "takes nothing after it"),
    ("/mentor profile favourite colour=blue", "key=value"),
    ("/mentor dance", "I don't know `dance`"),
    ("/mentor 5551234567", "I don't know that"),
])
def test_bad_input_says_what_to_do(text, says):
    with pytest.raises(BadCommand) as error:
        parse(text)
    assert says in error.value.message
