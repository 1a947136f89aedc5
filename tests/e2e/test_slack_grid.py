"""Enterprise Grid and Slack Connect, end to end through `/slack/events` with OAuth: an
org-wide install serves every workspace of the org under one token and one workspace of the
bot's; an org-level uninstall stops all of it; people of a partner organisation are guests."""

import json
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlmodel import select

from storage.models import Member, Workspace
from tests.e2e.conftest import SlackWorld
from tests.e2e.slack_client import SlackClient, install
from tests.e2e.test_slack import buttons, text

ORG = "E_HOSP"
# oauth.v2.access for an org-wide install, as in Slack's reference for organization-wide apps
# (api.slack.com/enterprise/apps/reference: `team` is null, `enterprise` names the org,
# `is_enterprise_install` is true), ids changed.
ORG_WIDE = {"app_id": "A1", "authed_user": {"id": "U_ADMIN"}, "scope": "commands,chat:write",
            "token_type": "bot", "access_token": "xoxb-org", "bot_user_id": "UBOT",
            "team": None, "enterprise": {"id": ORG, "name": "Hospital"},
            "is_enterprise_install": True}
# The same org's lab workspace, installed on its own (a workspace-level install in Grid).
LAB = {**ORG_WIDE, "access_token": "xoxb-lab", "team": {"id": "T_LAB", "name": "Lab"},
       "is_enterprise_install": False}


@pytest.fixture
async def grid(db_url, fake):
    world = SlackWorld(db_url, fake, slack_client_id="111.222", slack_client_secret="cs",
                       preceptor_secret_key=Fernet.generate_key().decode(),
                       preceptor_admins="U_LEAD")
    world.client = await world.start()
    fake.tokens.clear()  # only what the installs were issued
    for person in fake.users.values():  # Grid: everyone's users.info names the org
        person.update(team="T_ER", enterprise=ORG)
    fake.oauth = ORG_WIDE
    base = world.client.url.removesuffix("/slack/events")
    await install(base)
    world.er = SlackClient(base, fake, team="T_ER", org=ORG)
    world.icu = SlackClient(base, fake, team="T_ICU", org=ORG)
    yield world
    await world.stop()


async def introduce_across_workspaces(world) -> None:
    """Lee (ICU) offers POCUS; Priya (ER) asks for him and he accepts: one pair, two
    workspaces of one org."""
    fake, answered = world.fake, len(world.fake.to("response_url"))
    await world.er.command("U_LEAD", "/mentor", "admin channel here", channel="C_M")
    await fake.wait_for("response_url", answered + 1)
    await world.icu.command("U_LEE", "/mentor", "offer POCUS")
    await fake.wait_for("response_url", answered + 2)
    await world.er.command("U_PRIYA", "/learn", "POCUS: FAST exams on nights")
    private = (await fake.wait_for("response_url", answered + 3))[-1]
    assert "<@U_LEE>" in text(private), text(private)
    await world.er.click("U_PRIYA", "request_intro", buttons(private, "request_intro")[0])
    await fake.wait_for("response_url", answered + 4)
    await world.deliver()
    (ask,) = fake.to("chat.postMessage", channel="U_LEE")
    await world.icu.click("U_LEE", "intro_accept", buttons(ask, "intro_accept")[0])
    await fake.wait_for("response_url", answered + 5)
    await world.deliver()
    assert fake.to("chat.postMessage", channel="GU_LEE-U_PRIYA")


async def workspaces(world) -> dict[str, bool]:
    async with world.app.db.transaction() as session:
        return dict((await session.exec(select(Workspace.external_id, Workspace.active))).all())


async def test_an_org_wide_install_serves_every_workspace_of_the_org(grid):
    await introduce_across_workspaces(grid)
    await grid.icu.event({"type": "reaction_added", "user": "U_KIM", "reaction": "+1",
                          "item_user": "U_PRIYA", "event_ts": "1.1",
                          "item": {"type": "message", "channel": "C_WARDS", "ts": "1.0"}})
    assert await workspaces(grid) == {ORG: True}  # people's ids are org-wide: one workspace
    web_api = [c for c in grid.fake.calls if c.method not in ("oauth.v2.access", "response_url")]
    assert {c.token for c in web_api} == {"xoxb-org"}
    assert not [c for c in web_api if c.method == "auth.test"][1:]  # the install's, only


async def test_an_org_level_uninstall_stops_every_workspace_of_the_org(grid):
    fake = grid.fake
    fake.oauth = LAB
    await install(grid.client.url.removesuffix("/slack/events"))
    lab = SlackClient(grid.client.url.removesuffix("/slack/events"), fake, team="T_LAB", org=ORG,
                      org_wide=False)
    await lab.command("U_SOUZA", "/mentor", "status")
    answer = await grid.answer(lab)
    assert "Your mentoring at a glance" in answer["text"] + str(answer.get("blocks"))
    await introduce_across_workspaces(grid)
    assert await workspaces(grid) == {ORG: True, "T_LAB": True}

    # bolt-python tests/scenario_tests_async/test_events_token_revocations.py
    # (test_app_uninstalled): the org's removal names the org and no workspace.
    uninstalled = {"token": "verification-token", "enterprise_id": ORG, "api_app_id": "A1",
                   "event": {"type": "app_uninstalled"}, "type": "event_callback",
                   "event_id": "EvORGGONE", "event_time": 1606805974}
    assert (await grid.client.post(json.dumps(uninstalled), "application/json")).status == 200
    fake.revoked |= {"xoxb-org", "xoxb-lab"}  # as Slack does once an app is uninstalled
    assert await workspaces(grid) == {ORG: False, "T_LAB": False}
    async with grid.app.db.engine.connect() as conn:
        left = (await conn.exec_driver_sql("SELECT count(*) FROM slack_bots")).scalar()
    assert left == 0

    sent = len(fake.to("chat.postMessage"))
    grid.clock.advance(timedelta(days=15))  # the pair's first check-in falls due
    await grid.deliver()
    assert len(fake.to("chat.postMessage")) == sent


async def test_people_of_a_partner_organisation_are_guests_never_suggested(grid):
    """Slack Connect: Dana, of a partner organisation, is in a shared channel and offers
    POCUS; users.info gives her team and enterprise, neither of which is the org's."""
    fake = grid.fake
    fake.users["U_DANA"] = {"name": "Dana Partner", "tz": "America/New_York",
                            "team": "T_PARTNER", "enterprise": "E_PARTNER"}
    await grid.icu.command("U_DANA", "/mentor", "offer POCUS")
    await fake.wait_for("response_url", 1)
    await grid.icu.command("U_LEE", "/mentor", "offer POCUS")
    await fake.wait_for("response_url", 2)
    await grid.er.command("U_PRIYA", "/learn", "POCUS: FAST exams on nights")
    private = (await fake.wait_for("response_url", 3))[2]
    assert "<@U_LEE>" in text(private) and "U_DANA" not in text(private)
    async with grid.app.db.transaction() as session:
        kinds = dict((await session.exec(select(Member.platform_user_id,
                                                Member.affiliation))).all())
    assert kinds["U_DANA"] == "guest" and kinds["U_LEE"] == "member"
