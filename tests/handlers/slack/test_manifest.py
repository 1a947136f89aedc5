"""manifest.yaml is valid for Slack and matches what the code listens for and asks for."""

from pathlib import Path

import jsonschema
import yaml

from handlers.slack.setup import BOT_SCOPES
from tests.schemas import schema

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = yaml.safe_load((ROOT / "manifest.yaml").read_text())


def test_manifest_validates_against_slacks_schema():
    jsonschema.Draft7Validator(schema("slack-app-manifest.schema.json")).validate(MANIFEST)


def test_manifest_declares_both_commands_app_home_interactivity_and_events():
    commands = {c["command"]: c for c in MANIFEST["features"]["slash_commands"]}
    assert set(commands) == {"/learn", "/mentor"} and all(c["usage_hint"] for c in commands.values())
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"]
    assert MANIFEST["features"]["app_home"]["messages_tab_enabled"]
    settings = MANIFEST["settings"]
    assert settings["interactivity"]["is_enabled"]
    assert {"app_home_opened", "message.im", "app_uninstalled", "tokens_revoked",
            "message.channels", "reaction_added", "member_joined_channel"} <= set(
        settings["event_subscriptions"]["bot_events"])
    urls = [c["url"] for c in commands.values()] + [
        settings["interactivity"]["request_url"], settings["event_subscriptions"]["request_url"]]
    assert all(url.endswith("/slack/events") for url in urls)


def test_manifest_asks_for_exactly_the_scopes_the_code_uses():
    assert sorted(MANIFEST["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
