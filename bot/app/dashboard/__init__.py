"""The leads' dashboard at /admin on `preceptor serve`: sign-in with Slack or Microsoft Entra
ID (OpenID Connect), leads only, the program report as pages, charts and CSV; counts only."""

import logging
from dataclasses import dataclass

import jinja2
from aiohttp import web

from bot.app.assembly import Application
from bot.app.dashboard.oidc import Provider
from bot.app.dashboard.session import Seals
from bot.app.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Dashboard:
    app: Application
    providers: dict[str, Provider]
    seals: Seals
    base_url: str  # PRECEPTOR_ADMIN_URL, without the trailing slash
    templates: jinja2.Environment

    def redirect_uri(self, provider: str) -> str:
        return f"{self.base_url}/admin/callback/{provider}"


DASHBOARD = web.AppKey("dashboard", Dashboard)


def providers(settings: Settings) -> dict[str, Provider]:
    """The sign-ins configured: Slack's (the app's own client), Entra ID's (the tenant's)."""
    found = {}
    if settings.slack_client_id and settings.slack_client_secret:
        found["slack"] = Provider("slack", "Slack", settings.preceptor_slack_oidc_issuer,
                                  settings.slack_client_id, settings.slack_client_secret)
    issuer = settings.preceptor_entra_issuer or (
        f"https://login.microsoftonline.com/{settings.microsoft_app_tenant_id}/v2.0"
        if settings.microsoft_app_tenant_id else None)
    if settings.preceptor_entra_client_id and settings.preceptor_entra_client_secret and issuer:
        found["microsoft"] = Provider("microsoft", "Microsoft", issuer, settings.preceptor_entra_client_id,
                                      settings.preceptor_entra_client_secret)
    return found


def mount(server: web.Application, app: Application) -> None:
    """Add /admin when PRECEPTOR_ADMIN_URL names it; what else it needs is said in one line."""
    from bot.app.dashboard import pages, signin

    settings = app.settings
    if not settings.preceptor_admin_url:
        return
    found = providers(settings)
    missing = ("PRECEPTOR_SECRET_KEY is not (it seals the sessions)" if not settings.preceptor_secret_key
               else None if found else "nothing to sign in with: set SLACK_CLIENT_ID and "
               "SLACK_CLIENT_SECRET, or PRECEPTOR_ENTRA_CLIENT_ID and PRECEPTOR_ENTRA_CLIENT_SECRET")
    if missing:
        log.error("the dashboard at /admin is off: PRECEPTOR_ADMIN_URL is set but %s", missing)
        return
    base = settings.preceptor_admin_url.rstrip("/")
    server[DASHBOARD] = Dashboard(
        app, found, Seals(settings.preceptor_secret_key or "", secure=base.startswith("https://")),
        base, jinja2.Environment(loader=jinja2.PackageLoader("bot.app.dashboard"),
                                 autoescape=True, undefined=jinja2.StrictUndefined))
    signin.routes(server)
    pages.routes(server)
