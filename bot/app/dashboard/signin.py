"""Signing in and out: the lead picks Slack or Microsoft, is sent there with a fresh state,
nonce and PKCE verifier (sealed in a short-lived cookie), and comes back with a code whose
ID token names them; only program leads get a session."""

import secrets
from typing import NoReturn
from urllib.parse import urlencode

from aiohttp import web

from bot.app.dashboard import DASHBOARD, Dashboard
from bot.app.dashboard.oidc import SignInError, verifier
from bot.app.dashboard.session import SIGN_IN, SIGN_IN_SECONDS
from bot.privacy import audit
from storage.queries.members import member_signing_in
from storage.queries.programs import led_by, programs_in

CLAIMS = {  # provider -> (platform, team claim, user id claim or None, sign-in name claim)
    "slack": ("slack", "https://slack.com/team_id", "https://slack.com/user_id", None),
    "microsoft": ("teams", "tid", None, "preferred_username"),
}


def routes(server: web.Application) -> None:
    server.router.add_get("/admin/login", login)
    server.router.add_get("/admin/login/{provider}", start)
    server.router.add_get("/admin/callback/{provider}", callback)
    server.router.add_post("/admin/logout", logout)


def page(request: web.Request, template: str, status: int = 200, **values) -> web.Response:
    """A dashboard page, with headers that keep it out of frames, caches and referrers."""
    html = request.app[DASHBOARD].templates.get_template(template).render(**values)
    return web.Response(text=html, status=status, content_type="text/html", headers={
        "Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
                                   "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"})


async def login(request: web.Request) -> web.Response:
    dashboard = request.app[DASHBOARD]
    if dashboard.seals.session(request):
        raise web.HTTPFound("/admin")
    return page(request, "login.html", providers=list(dashboard.providers.values()),
                said=request.query.get("said", "")[:200])


async def start(request: web.Request) -> web.Response:
    dashboard = request.app[DASHBOARD]
    provider = dashboard.providers.get(request.match_info["provider"])
    if provider is None:
        raise web.HTTPNotFound()
    flight = {"state": verifier(), "nonce": verifier(), "verifier": verifier(), "provider": provider.name}
    try:
        url = await provider.authorize_url(redirect_uri=dashboard.redirect_uri(provider.name),
                                           state=flight["state"], nonce=flight["nonce"],
                                           verifier=flight["verifier"])
    except (SignInError, OSError, TimeoutError):
        _again("The sign-in service is not answering; please try again later.")
    response = web.HTTPFound(url)
    dashboard.seals.seal(response, SIGN_IN, flight, SIGN_IN_SECONDS, "/admin/callback")
    raise response


async def callback(request: web.Request) -> web.Response:
    dashboard = request.app[DASHBOARD]
    flight = dashboard.seals.open(request, SIGN_IN, SIGN_IN_SECONDS)
    name = request.match_info["provider"]
    if (flight is None or flight["provider"] != name or name not in dashboard.providers
            or not secrets.compare_digest(request.query.get("state", ""), flight["state"])):
        _again("That sign-in link has expired or was not started here; please sign in again.")
    if "code" not in request.query:
        _again("The sign-in was cancelled.")
    try:
        claims = await dashboard.providers[name].claims(
            code=request.query["code"], redirect_uri=dashboard.redirect_uri(name),
            verifier=flight["verifier"], nonce=flight["nonce"])
    except SignInError as error:
        _again(str(error))
    except (OSError, TimeoutError):
        _again("The sign-in service is not answering; please try again later.")
    lead = await _lead(dashboard, name, claims)
    if lead is None:
        return page(request, "refused.html", status=403)
    response = web.HTTPFound("/admin")
    response.del_cookie(SIGN_IN, path="/admin/callback")
    dashboard.seals.start_session(response, lead)
    raise response


async def _lead(dashboard: Dashboard, provider: str, claims: dict) -> dict | None:
    """The session's contents for a program lead the claims name (None: not a lead here)."""
    platform, team, user, email = CLAIMS[provider]
    async with dashboard.app.db.transaction() as session:
        member = await member_signing_in(session=session, platform=platform,
                                         team=str(claims.get(team, "")),
                                         user_id=claims.get(user) if user else None,
                                         email=claims.get(email) if email else None)
        if member is None:
            return None
        admins = dashboard.app.settings.admins
        programs = await programs_in(session=session, workspace_id=member.workspace_id)
        if member.platform_user_id not in admins and not led_by(programs, member.platform_user_id, admins):
            return None
        await audit.record(session, kind="dashboard_sign_in", now=dashboard.app.clock.now(),
                           detail={"lead": member.id, "workspace": member.workspace_id,
                                   "provider": provider})
    return {"member": member.id, "user": member.platform_user_id, "workspace": member.workspace_id,
            "name": member.name or ""}


async def logout(request: web.Request) -> web.Response:
    """POST with the session's CSRF token (a form on the page); anything else changes nothing."""
    dashboard = request.app[DASHBOARD]
    lead = dashboard.seals.session(request)
    form = await request.post()
    if lead is None or not secrets.compare_digest(str(form.get("csrf", "")), lead["csrf"]):
        raise web.HTTPForbidden(text="That request did not come from your dashboard.")
    response = web.HTTPFound("/admin/login?" + urlencode({"said": "You are signed out."}))
    dashboard.seals.end_session(response)
    raise response


def _again(said: str) -> NoReturn:
    """Back to the sign-in page, saying what happened in one line."""
    raise web.HTTPFound("/admin/login?" + urlencode({"said": said}))
