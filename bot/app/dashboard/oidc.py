"""OpenID Connect sign-in, the authorization code flow with PKCE: the provider's discovery
document, the address to send a lead to, and the ID token checked as the spec says (its
signature against the issuer's published keys, issuer, audience, expiry, and our nonce)."""

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode

import aiohttp
import jwt

TIMEOUT = aiohttp.ClientTimeout(total=10)
ALGORITHMS = ["RS256"]  # what Slack and Entra ID sign with


class SignInError(Exception):
    """The sign-in did not prove who this is (said to the person in one line)."""


@dataclass
class Provider:
    name: str  # "slack" | "microsoft": in the callback's path
    label: str  # "Slack" | "Microsoft"
    issuer: str
    client_id: str
    client_secret: str
    _metadata: dict = field(default_factory=dict, repr=False)

    async def metadata(self) -> dict:
        """The discovery document (read once)."""
        if not self._metadata:
            url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
            self._metadata.update(await _get_json(url))
        return self._metadata

    async def authorize_url(self, *, redirect_uri: str, state: str, nonce: str, verifier: str) -> str:
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
        query = {"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
                 "scope": "openid profile email", "state": state, "nonce": nonce,
                 "code_challenge": challenge.decode(), "code_challenge_method": "S256"}
        return f"{(await self.metadata())['authorization_endpoint']}?{urlencode(query)}"

    async def claims(self, *, code: str, redirect_uri: str, verifier: str, nonce: str) -> dict:
        """The checked claims of the ID token the code is exchanged for."""
        meta = await self.metadata()
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "client_id": self.client_id, "client_secret": self.client_secret,
                "code_verifier": verifier}
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as http, \
                    http.post(meta["token_endpoint"], data=form) as response:
                body = await response.json(content_type=None) if response.status == 200 else {}
        except (aiohttp.ClientError, ValueError) as error:
            raise SignInError(f"{self.label} did not confirm the sign-in; please try again.") from error
        token = body.get("id_token") if isinstance(body, dict) else None
        if not token:
            raise SignInError(f"{self.label} did not confirm the sign-in; please try again.")
        try:
            keys = jwt.PyJWKSet.from_dict(await _get_json(meta["jwks_uri"]))
            kid = jwt.get_unverified_header(token).get("kid")
            key = next(k for k in keys.keys if k.key_id == kid)
            found = jwt.decode(token, key=key.key, algorithms=ALGORITHMS, audience=self.client_id,
                               issuer=meta["issuer"], leeway=60, options={"require": ["exp", "iat"]})
        except (StopIteration, jwt.PyJWTError) as error:
            raise SignInError(f"{self.label}'s answer could not be verified; please try again.") from error
        if not secrets.compare_digest(str(found.get("nonce", "")), nonce):
            raise SignInError("That sign-in was not the one started here; please try again.")
        return found


async def _get_json(url: str) -> dict:
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as http, http.get(url) as response:
            if response.status == 200:
                return await response.json(content_type=None)
    except (aiohttp.ClientError, ValueError):
        pass
    raise SignInError("The sign-in service is not answering; please try again later.")


def verifier() -> str:
    """A PKCE code verifier (or a state or nonce): 43 url-safe characters."""
    return secrets.token_urlsafe(32)
