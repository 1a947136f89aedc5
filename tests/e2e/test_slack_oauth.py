"""Multi-workspace OAuth: install, store the installation in our database, serve that team."""

import re
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestServer
from cryptography.fernet import Fernet
from sqlalchemy import event

from bot.app.assembly import build
from bot.app.server import make_server
from bot.app.settings import Settings
from bot.core.clock import FixedClock
from tests.conftest import START
from tests.e2e.slack_client import SECRET, SlackClient


async def test_install_redirect_then_commands_and_sends_use_the_workspaces_token(db_url, fake):
    settings = Settings(
        _env_file=None, database_url=db_url, slack_client_id="111.222", slack_client_secret="cs",
        slack_signing_secret=SECRET, slack_api_url=f"{fake.url}/api/", preceptor_admins="U_LEAD",
        preceptor_secret_key=Fernet.generate_key().decode(),
    )
    app = build(settings, clock=FixedClock(START), immediate_delivery=True)
    writes: dict[str, list[str]] = {"reader": [], "writer": []}
    for name, engine in (("reader", app.db.reader), ("writer", app.db.engine)):
        event.listen(engine.sync_engine, "before_cursor_execute",
                     lambda _c, _cur, sql, *_, name=name: writes[name].append(sql)
                     if re.match(r"\s*(INSERT|UPDATE|DELETE)", sql) and "slack_" in sql else None)
    server = TestServer(make_server(app, tick=False))
    await server.start_server()
    base = str(server.make_url("")).rstrip("/")
    try:
        async with aiohttp.ClientSession() as http:
            page = await http.get(f"{base}/slack/install")
            html = await page.text()
            assert page.status == 200 and "client_id=111.222" in html and "commands" in html
            state = re.search(r"state=([\w-]+)", html).group(1)
            cookie = page.headers["Set-Cookie"].split(";")[0]
            done = await http.get(f"{base}/slack/oauth_redirect?code=good-code&state={state}",
                                  headers={"Cookie": cookie})
            assert done.status == 200
        assert fake.to("oauth.v2.access")
        # the install is written on the writing engine (on SQLite the reader's snapshot may
        # be stale by then, and a write from it fails at once; PostgreSQL has one engine)
        assert any("slack_bots" in sql for sql in writes["writer"])
        if app.db.reader is not app.db.engine:  # SQLite's two engines
            assert writes["reader"] == []

        slack_team2 = SlackClient(base, fake, team="T2")
        await slack_team2.command("U_LEE", "/mentor", "admin channel here", channel="C_M")
        refused = (await fake.wait_for("response_url", 1))[0]
        assert "Only program leads" in refused["text"]
        await slack_team2.command("U_LEAD", "/mentor", "admin channel here", channel="C_M")
        await slack_team2.command("U_LEE", "/mentor", "offer POCUS")
        await slack_team2.command("U_PRIYA", "/learn", "POCUS: nights")
        await fake.wait_for("response_url", 4)
        assert {c.token for c in fake.calls if c.method == "users.info"} == {"xoxb-team2"}
        await app.delivery.settle()   # a delivery in flight holds its lease; let it finish first
        await app.tick.run()
        (post,) = [c for c in fake.calls if c.method == "chat.postMessage"]
        assert post.token == "xoxb-team2" and post.params["channel"] == "C_M"
    finally:
        await server.close()
    if db_url.startswith("sqlite"):  # the canary token is nowhere on disk in the clear
        folder = Path(db_url.removeprefix("sqlite:///")).parent
        for path in folder.glob("*.db*"):
            assert b"xoxb-team2" not in path.read_bytes(), path.name
    else:  # nor in any row of any table, each read whole as text
        assert await _tables_holding(app.db, "xoxb-team2") == []
    async with app.db.engine.connect() as conn:
        stored = (await conn.exec_driver_sql("SELECT bot_token FROM slack_bots")).scalars().all()
    assert stored and all(token.startswith("enc:") for token in stored)


async def _tables_holding(db, secret: str) -> list[str]:
    async with db.engine.connect() as conn:
        tables = (await conn.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars()
        return [table for table in tables.all() if any(
            secret in row for row in (await conn.exec_driver_sql(
                f'SELECT CAST(t AS text) FROM "{table}" t')).scalars())]
