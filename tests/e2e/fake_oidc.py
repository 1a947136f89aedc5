"""A local OpenID Connect provider, as strict as the real ones on what the dashboard uses:
discovery, the authorization endpoint (a page where the test picks who signs in), the token
endpoint (client secret, one use per code, the same redirect URI, PKCE S256) and the JWKS.

Two flavours, from the providers' own documentation:
- "slack": Sign in with Slack (docs.slack.dev, "Sign in with Slack" and the
  openid.connect.token method): issuer https://slack.com, ID token claims
  `https://slack.com/user_id` and `https://slack.com/team_id`; a refused code is HTTP 200 with
  `{"ok": false, "error": "invalid_code"}`.
- "microsoft": the Microsoft identity platform v2.0 (learn.microsoft.com, "ID token claims
  reference" and "OAuth 2.0 authorization code flow"): issuer
  https://login.microsoftonline.com/<tid>/v2.0, claims `tid`, `oid`, `preferred_username`;
  a refused code is HTTP 400 with `{"error": "invalid_grant", ...}`.
Only ids are changed."""

import base64
import hashlib
import html
import secrets
import time
from urllib.parse import urlencode

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.e2e.instances import free_port


class FakeOIDC:
    def __init__(self, flavour: str, client_id: str, client_secret: str, people: dict[str, dict]):
        """`people`: who can sign in, by label, each with their claims (ids only)."""
        self.flavour, self.client_id, self.client_secret = flavour, client_id, client_secret
        self.people = people
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)
        self.codes: dict[str, dict] = {}
        self.redirects: set[str] = set()  # registered redirect URIs
        self.token_calls: list[dict] = []
        self.tamper: dict = {}  # claims the next ID tokens get changed (a forged or stale one)

    @property
    def issuer(self) -> str:
        return self.url if self.flavour == "slack" else f"{self.url}/TENANT/v2.0"

    async def start(self) -> "FakeOIDC":
        app = web.Application()
        prefix = "" if self.flavour == "slack" else "/TENANT/v2.0"
        app.router.add_get(f"{prefix}/.well-known/openid-configuration", self.discovery)
        app.router.add_get("/authorize", self.authorize)
        app.router.add_post("/authorize", self.approve)
        app.router.add_post("/token", self.token)
        app.router.add_get("/jwks", self.jwks)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        port = free_port()
        await web.TCPSite(self.runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        await self.runner.cleanup()

    async def discovery(self, request: web.Request) -> web.Response:
        return web.json_response({
            "issuer": self.issuer, "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"], "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"]})

    async def authorize(self, request: web.Request) -> web.Response:
        q = request.query
        if (q.get("client_id") != self.client_id or q.get("response_type") != "code"
                or q.get("redirect_uri") not in self.redirects or "openid" not in q.get("scope", "").split()
                or q.get("code_challenge_method") != "S256"):
            return web.Response(status=400, text="invalid_request")
        buttons = "".join(f'<button name="who" value="{html.escape(label)}">Continue as {html.escape(label)}'
                          "</button>" for label in self.people)
        hidden = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in q.items())
        return web.Response(content_type="text/html", text=(
            f"<!doctype html><title>Sign in</title><form method='post'>{hidden}{buttons}</form>"))

    async def approve(self, request: web.Request) -> web.Response:
        form = await request.post()
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"who": form["who"], "nonce": form["nonce"], "redirect_uri": form["redirect_uri"],
                            "challenge": form["code_challenge"]}
        raise web.HTTPFound(f"{form['redirect_uri']}?{urlencode({'code': code, 'state': form['state']})}")

    async def token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_calls.append(form)
        grant = self.codes.pop(str(form.get("code")), None)
        verifier = str(form.get("code_verifier", ""))
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if (form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret
                or grant is None or form.get("redirect_uri") != grant["redirect_uri"]
                or challenge != grant["challenge"] or form.get("grant_type") != "authorization_code"):
            if self.flavour == "slack":
                return web.json_response({"ok": False, "error": "invalid_code"})
            return web.json_response({"error": "invalid_grant", "error_description":
                                      "AADSTS70008: The provided authorization code is invalid."}, status=400)
        token = self.id_token(grant["who"], {"nonce": grant["nonce"], **self.tamper})
        body = {"access_token": secrets.token_urlsafe(8), "token_type": "Bearer", "id_token": token}
        return web.json_response({"ok": True, **body} if self.flavour == "slack" else body)

    def id_token(self, who: str, changes: dict) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300,
                  **self.people[who], **changes}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    async def jwks(self, request: web.Request) -> web.Response:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return web.json_response({"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]})
