"""The leads' dashboard in a real browser (Debian's Chromium through ChromeDriver): the sign-in
round trip against a local OpenID Connect provider, leads only, every page with seeded data,
and every figure on it equal to what `preceptor report` prints for the same database."""

import asyncio
import contextlib
import csv
import io
import os
import shutil
import sys
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from cryptography.fernet import Fernet
from sqlmodel import select

from bot.app.assembly import build
from bot.app.dashboard.pages import shown
from bot.app.server import make_server
from bot.app.settings import Settings
from storage.models import Member, Program, Workspace
from tests.bot.test_report import seed
from tests.e2e.fake_oidc import FakeOIDC
from tests.e2e.instances import free_port
from tests.helpers import World

ROOT = Path(__file__).resolve().parents[2]
TEAM = "T0HOSPITAL"
SIGN_INS = {  # who the provider can sign in (Slack's claims; ids only)
    "Dr Lead": {"sub": "m4", "https://slack.com/user_id": "m4", "https://slack.com/team_id": TEAM},
    "Resident": {"sub": "m1", "https://slack.com/user_id": "m1", "https://slack.com/team_id": TEAM},
    "Program lead": {"sub": "m5", "https://slack.com/user_id": "m5", "https://slack.com/team_id": TEAM},
    "Elsewhere": {"sub": "m4", "https://slack.com/user_id": "m4", "https://slack.com/team_id": "T0OTHER"},
}


@pytest.fixture
async def hospital(db_url):
    """The report's seeded hospital as a Slack workspace, with a residents' program led by m5."""
    world = World(db_url, __import__("tests.conftest").conftest.START)
    await seed(world)
    async with world.db.transaction() as session:
        workspace = (await session.exec(select(Workspace))).one()
        workspace.platform, workspace.external_id, workspace.has_programs = "slack", TEAM, True
        session.add(Program(workspace_id=workspace.id, name="Residents", members_by="roster",
                            column="role", value="resident", leads=["m5"], created_at=world.clock.now()))
        session.add(Program(workspace_id=workspace.id, name="Pharmacy", members_by="roster",
                            column="department", value="Pharmacy", created_at=world.clock.now()))
        session.add(Program(workspace_id=workspace.id, name="Surgery", members_by="roster",  # 2 people
                            column="department", value="Surgery", created_at=world.clock.now()))
    await world.close()
    return db_url


async def busy(db_url: str) -> None:
    """A busier hospital beside it: 60 staff, requests over three months, pairs that met, and
    what their mentees said, so that every chart has bars (seeded; counts only)."""
    from datetime import timedelta

    from storage.models import CheckIn, LearningRequest, Mentorship, Survey

    world = World(db_url, __import__("tests.conftest").conftest.START)
    async with world.db.transaction() as session:
        workspace = (await session.exec(select(Workspace))).one()
        start = world.clock.now() - timedelta(days=95)
        people = [Member(workspace_id=workspace.id, platform_user_id=f"b{n}", name=f"b{n}",
                         role=("resident", "nurse", "attending")[n % 3],
                         department=("Emergency", "Medicine", "Nursing")[n % 3], created_at=start)
                  for n in range(60)]
        session.add_all(people)
        await session.flush()
        for n, mentee in enumerate(p for p in people if p.role != "attending"):
            asked = start + timedelta(days=2 * n)
            request = LearningRequest(member_id=mentee.id, aspect_id=1, status="matched", created_at=asked,
                                      first_intro_at=asked + timedelta(hours=6 + 5 * (n % 7)))
            session.add(request)
            await session.flush()
            pair = Mentorship(mentor_id=people[3 * (n % 20) + 2].id, mentee_id=mentee.id, aspect_id=1,
                              request_id=request.id, started_at=request.first_intro_at,
                              next_checkin_at=world.clock.now(), rounds=1,
                              status="wrapped" if n % 5 == 0 else "active",
                              end_reason="quiet" if n % 10 == 0 else None)
            session.add(pair)
            await session.flush()
            session.add(CheckIn(mentorship_id=pair.id, round=1, outcome="met" if n % 4 else "silent",
                                asked_at=pair.started_at + timedelta(days=14)))
            session.add(Survey(mentorship_id=pair.id, member_id=mentee.id, stage=1, due_at=asked,
                               asked_at=asked, answered_at=asked, rating=(3, 4, 5, 5, 4, 2)[n % 6]))
    await world.close()


@contextlib.asynccontextmanager
async def serving(db_url: str, oidc: FakeOIDC, provider: str, **sign_in: str):
    """`preceptor serve`'s server with the dashboard signing in at `oidc`; its address."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    oidc.redirects.add(f"{base}/admin/callback/{provider}")
    settings = Settings(_env_file=None, database_url=db_url, preceptor_admins="m4",
                        preceptor_admin_url=base, preceptor_secret_key=Fernet.generate_key().decode(),
                        **sign_in)
    server = TestServer(make_server(build(settings), tick=False), port=port)
    await server.start_server()
    try:
        yield base
    finally:
        await server.close()
        await oidc.stop()


@pytest.fixture
async def dashboard(hospital):
    oidc = await FakeOIDC("slack", "client-1", "secret-1", SIGN_INS).start()
    async with serving(hospital, oidc, "slack", slack_client_id="client-1", slack_client_secret="secret-1",
                       preceptor_slack_oidc_issuer=oidc.issuer) as base:
        yield base, oidc


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not shutil.which("chromedriver"):
        pytest.fail("Chromium's driver is missing: `make browser` installs Debian's chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,2000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    yield driver
    driver.quit()


async def step(fn, *args):
    """A browser call, off the event loop that serves the pages."""
    return await asyncio.to_thread(fn, *args)


async def sign_in(driver, base: str, who: str, provider: str = "Slack") -> None:
    from selenium.webdriver.common.by import By

    await step(driver.delete_all_cookies)
    await step(driver.get, f"{base}/admin")
    assert (await step(lambda: driver.current_url)).endswith("/admin/login")
    await step(lambda: driver.find_element(By.LINK_TEXT, f"Sign in with {provider}").click())
    await step(lambda: driver.find_element(By.XPATH, f"//button[.='Continue as {who}']").click())
    await back_on(driver, base)


async def back_on(driver, base: str) -> None:
    """Wait until the browser shows one of the dashboard's pages again (after a redirect)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    await step(lambda: WebDriverWait(driver, 10).until(
        lambda d: d.current_url.startswith(base) and d.find_elements(By.CSS_SELECTOR, ".brand")))


async def cli_csv(db_url: str, *args: str) -> dict:
    """`preceptor report` as an operator runs it: {(scope, group, metric): (value, suppressed)}."""
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"report-{os.getpid()}-{len(args)}.csv"
    done = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.app.cli", "report", "--csv", str(out), *args, cwd=ROOT,
        env={**os.environ, "DATABASE_URL": db_url}, stdout=asyncio.subprocess.DEVNULL)
    assert await done.wait() == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    out.unlink()
    return {(r["scope"], r["group"], r["metric"]): (r["value"], r["suppressed"]) for r in rows}


def text_at(driver, css: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, css).text


def cells(driver) -> list[tuple[str, str, str, str]]:
    """(scope, group, metric, text) of every figure in the page's tables."""
    return driver.execute_script("""
        return [...document.querySelectorAll('table[data-scope] td[data-metric]')].map(td =>
            [td.closest('table').dataset.scope, td.dataset.group, td.dataset.metric, td.textContent]);""")


def as_shown(metric: str, value: str) -> str:
    return shown(metric, None if value == "" else float(value) if "." in value else int(value))


async def test_a_lead_signs_in_and_every_figure_matches_the_cli_report(dashboard, browser, hospital):
    from selenium.webdriver.common.by import By

    base, oidc = dashboard
    await sign_in(browser, base, "Dr Lead")
    assert (await step(lambda: browser.current_url)) == f"{base}/admin"
    assert await step(lambda: browser.find_element(By.TAG_NAME, "h1").text) == "Whole workspace"
    assert "4 learning requests" in await step(lambda: browser.find_element(By.ID, "headline").text)
    (cookie,) = [c for c in await step(browser.get_cookies) if c["name"] == "preceptor_admin"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/admin"
    assert [c["code_verifier"] != "" for c in oidc.token_calls] == [True]  # PKCE went along

    expected = await cli_csv(hospital)
    shown_cells = await step(cells, browser)
    compared = [c for c in shown_cells if c[0] != "program"]
    assert len(compared) >= 40
    for scope, group, metric, text in compared:
        value, suppressed = expected[(scope, group, metric)]
        assert suppressed == "no" and text == as_shown(metric, value), (scope, group, metric)
    suppressed = await step(lambda: [e.text for e in browser.find_elements(By.CSS_SELECTOR,
                                                                           "td[data-suppressed]")])
    assert suppressed and set(suppressed) == {"fewer than 5"}  # Surgery, attendings, both months
    by_program = [c for c in shown_cells if c[0] == "program"]
    residents = await cli_csv(hospital, "--program", "Residents")
    for _, group, metric, text in by_program:
        if group == "Residents":
            assert text == as_shown(metric, residents[("overall", "all", metric)][0]), metric
    assert {g for _, g, _, _ in by_program} == {"Residents", "Pharmacy"}
    small = await step(browser.execute_script, """return [...document.querySelectorAll(
        'table[data-scope=program] tr')].filter(r => r.querySelector('td[data-suppressed]'))
        .map(r => r.querySelector('th').textContent);""")
    assert small == ["Surgery"]  # fewer than 5 people: no figures

    async with (aiohttp.ClientSession(cookies={"preceptor_admin": cookie["value"]}) as http,
                http.get(f"{base}/admin/report.csv") as response):
        assert response.status == 200 and "attachment" in response.headers["Content-Disposition"]
        downloaded = list(csv.DictReader(io.StringIO(await response.text())))
    assert {(r["scope"], r["group"], r["metric"]): (r["value"], r["suppressed"])
            for r in downloaded} == expected


async def test_the_pages_are_accessible_by_keyboard_and_say_what_each_chart_shows(hospital, dashboard,
                                                                                 browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, _ = dashboard
    await busy(hospital)
    await sign_in(browser, base, "Dr Lead")
    await step(lambda: browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB))
    focused = await step(browser.execute_script, "return document.activeElement.textContent")
    assert focused == "Skip to the report"
    charts = await step(browser.execute_script, """
        return [...document.querySelectorAll('svg')].map(s => [s.getAttribute('role'),
            s.querySelector('title').textContent, s.querySelector('desc').textContent]);""")
    assert len(charts) == 8 and all(role == "img" and title and desc for role, title, desc in charts)
    bars = await step(browser.execute_script, """
        return [...document.querySelectorAll('svg')].map(s => s.querySelectorAll('rect title').length);""")
    assert all(n > 0 for n in bars), bars  # every chart has something to draw
    titles = [title for _, title, _ in charts]
    assert [t for t in titles if " by " in t and "month" not in t] == [
        "Requests, introductions and wrap-ups by department", "Requests, introductions and wrap-ups by role",
        "Requests, introductions and wrap-ups by program", "Usefulness (mean, 1–5) by department"]
    assert "Surgery: fewer than 5" in charts[3][2] and "answers 14" in charts[-1][2]
    assert await step(browser.execute_script, "return document.documentElement.lang") == "en"
    if os.environ.get("PRECEPTOR_SCREENSHOT"):  # the README's picture
        await step(browser.execute_script, "document.activeElement.blur()")
        await step(browser.save_screenshot, os.environ["PRECEPTOR_SCREENSHOT"])


async def test_a_program_lead_sees_only_their_program(dashboard, browser, hospital):
    from selenium.webdriver.common.by import By

    base, _ = dashboard
    await sign_in(browser, base, "Program lead")
    assert await step(lambda: browser.find_element(By.TAG_NAME, "h1").text) == "Residents"
    nav = await step(lambda: [a.text for a in browser.find_elements(By.CSS_SELECTOR, "nav a")])
    assert nav == ["Residents"]
    residents = await cli_csv(hospital, "--program", "Residents")
    for scope, group, metric, text in await step(cells, browser):
        value, _ = residents[("overall", "all", metric) if scope == "program" else (scope, group, metric)]
        assert text == as_shown(metric, value), (scope, group, metric)
    async with World(hospital, __import__("tests.conftest").conftest.START).db.transaction() as session:
        pharmacy = (await session.exec(select(Program).where(Program.name == "Pharmacy"))).one()
    await step(browser.get, f"{base}/admin?program={pharmacy.id}")
    assert "no such program that you lead" in await step(text_at, browser, "body")


@pytest.mark.parametrize("who", ["Resident", "Elsewhere"])
async def test_anyone_else_is_refused_and_gets_no_session(dashboard, browser, who):
    from selenium.webdriver.common.by import By

    base, _ = dashboard
    await sign_in(browser, base, who)
    heading = await step(lambda: browser.find_element(By.TAG_NAME, "h1").text)
    assert heading == "Only program leads can open the dashboard"
    assert not [c for c in await step(browser.get_cookies) if c["name"] == "preceptor_admin"]
    await step(browser.get, f"{base}/admin")
    assert (await step(lambda: browser.current_url)).endswith("/admin/login")


async def test_signing_out_needs_the_pages_own_token(dashboard, browser):
    from selenium.webdriver.common.by import By

    base, _ = dashboard
    await sign_in(browser, base, "Dr Lead")
    (cookie,) = [c for c in await step(browser.get_cookies) if c["name"] == "preceptor_admin"]
    async with aiohttp.ClientSession(cookies={"preceptor_admin": cookie["value"]}) as http:
        async with http.post(f"{base}/admin/logout", data={"csrf": "guessed"}, allow_redirects=False) as r:
            assert r.status == 403
        async with http.get(f"{base}/admin", allow_redirects=False) as r:
            assert r.status == 200  # still signed in
    await step(lambda: browser.find_element(By.XPATH, "//button[.='Sign out']").click())
    await back_on(browser, f"{base}/admin/login")
    assert "You are signed out." in await step(text_at, browser, "[role=status]")
    await step(browser.get, f"{base}/admin")
    assert (await step(lambda: browser.current_url)).endswith("/admin/login")


@pytest.mark.parametrize("tamper, said", [
    ({"aud": "another-app"}, "could not be verified"),
    ({"iss": "https://evil.example"}, "could not be verified"),
    ({"exp": 1_700_000_000}, "could not be verified"), ({"nonce": "an-old-one"}, "not the one started here")])
async def test_a_forged_or_stale_id_token_or_a_sign_in_not_started_here_is_refused(dashboard, browser,
                                                                                  tamper, said):

    base, oidc = dashboard
    await step(browser.delete_all_cookies)
    await step(browser.get, f"{base}/admin/callback/slack?code=x&state=y")
    assert "not started here" in await step(text_at, browser, "[role=status]")
    oidc.tamper = tamper
    await sign_in(browser, base, "Dr Lead")
    assert said in await step(text_at, browser, "[role=status]")
    assert not [c for c in await step(browser.get_cookies) if c["name"] == "preceptor_admin"]


async def test_a_lead_signs_in_with_their_tenants_entra_id(hospital, browser):
    """Teams' hospital: the workspace is the tenant; the lead is found by their sign-in name."""
    from selenium.webdriver.common.by import By

    async with World(hospital, __import__("tests.conftest").conftest.START).db.transaction() as session:
        workspace = (await session.exec(select(Workspace))).one()
        workspace.platform, workspace.external_id = "teams", "tenant-1"
        for member in (await session.exec(select(Member))).all():
            member.email = f"{member.platform_user_id}@hospital.org"
    people = {"Dr Lead": {"sub": "x1", "tid": "tenant-1", "oid": "0000-m4",
                          "preferred_username": "M4@hospital.org"},
              "Other tenant": {"sub": "x2", "tid": "tenant-2", "oid": "0000-m4",
                               "preferred_username": "m4@hospital.org"}}
    oidc = await FakeOIDC("microsoft", "entra-app", "entra-secret", people).start()
    async with serving(hospital, oidc, "microsoft", preceptor_entra_client_id="entra-app",
                       preceptor_entra_client_secret="entra-secret",
                       preceptor_entra_issuer=oidc.issuer) as base:
        await sign_in(browser, base, "Dr Lead", "Microsoft")
        assert await step(lambda: browser.find_element(By.TAG_NAME, "h1").text) == "Whole workspace"
        await sign_in(browser, base, "Other tenant", "Microsoft")
        heading = await step(lambda: browser.find_element(By.TAG_NAME, "h1").text)
        assert heading == "Only program leads can open the dashboard"
        async with World(hospital, __import__("tests.conftest").conftest.START).db.transaction() as session:
            (await session.exec(select(Member).where(Member.platform_user_id == "m6"))).one().email = \
                "m4@HOSPITAL.org"  # two people with one sign-in name: it names neither
        await sign_in(browser, base, "Dr Lead", "Microsoft")
        assert await step(text_at, browser, "h1") == "Only program leads can open the dashboard"

@pytest.mark.parametrize("missing, said", [
    ({"preceptor_secret_key": None}, "PRECEPTOR_SECRET_KEY is not (it seals the sessions)"),
    ({"slack_client_id": None}, "nothing to sign in with: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, "
                                "or PRECEPTOR_ENTRA_CLIENT_ID and PRECEPTOR_ENTRA_CLIENT_SECRET")])
async def test_a_half_configured_dashboard_is_off_and_says_which_setting(db_url, caplog, missing, said):
    given = {"preceptor_secret_key": Fernet.generate_key().decode(), "slack_client_id": "c",
             "slack_client_secret": "s", **missing}
    settings = Settings(_env_file=None, database_url=db_url, preceptor_admin_url="https://x.example", **given)
    server = TestServer(make_server(build(settings), tick=False))
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as http, http.get(server.make_url("/admin")) as response:
            assert response.status == 404
    finally:
        await server.close()
    (line,) = [r.getMessage() for r in caplog.records if "dashboard" in r.getMessage()]
    assert line == f"the dashboard at /admin is off: PRECEPTOR_ADMIN_URL is set but {said}"


async def test_a_lead_who_has_left_preceptor_loses_the_session_at_once(dashboard, browser, hospital):
    base, _ = dashboard
    await sign_in(browser, base, "Dr Lead")
    async with World(hospital, __import__("tests.conftest").conftest.START).db.transaction() as session:
        lead = (await session.exec(select(Member).where(Member.platform_user_id == "m4"))).one()
        lead.platform_user_id = "forgotten-1"  # what /mentor forget-me leaves
    await step(browser.get, f"{base}/admin")
    assert (await step(lambda: browser.current_url)).endswith("/admin/login")
    assert await step(text_at, browser, "h1") == "Sign in"  # the session is gone, not looping
    assert not [c for c in await step(browser.get_cookies) if c["name"] == "preceptor_admin"]
