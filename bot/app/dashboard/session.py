"""The lead's session and the sign-in in flight, each sealed in a cookie (Fernet: encrypted
and signed with PRECEPTOR_SECRET_KEY, and dated, so an old one is refused): HttpOnly,
SameSite=Lax, Secure when the dashboard is served over https, and scoped to /admin."""

import json
import secrets

from aiohttp import web
from cryptography.fernet import Fernet, InvalidToken

SESSION, SIGN_IN = "preceptor_admin", "preceptor_sign_in"
SESSION_SECONDS = 8 * 3600  # a shift
SIGN_IN_SECONDS = 600


class Seals:
    def __init__(self, key: str, secure: bool):
        self._fernet, self.secure = Fernet(key.encode()), secure

    def seal(self, response: web.StreamResponse, name: str, value: dict, seconds: int, path: str) -> None:
        token = self._fernet.encrypt(json.dumps(value).encode()).decode()
        response.set_cookie(name, token, max_age=seconds, path=path, httponly=True,
                            secure=self.secure, samesite="Lax")

    def open(self, request: web.Request, name: str, seconds: int) -> dict | None:
        token = request.cookies.get(name)
        if not token:
            return None
        try:
            return json.loads(self._fernet.decrypt(token.encode(), ttl=seconds))
        except (InvalidToken, ValueError):
            return None

    def start_session(self, response: web.StreamResponse, lead: dict) -> None:
        """`lead`: member id, workspace id, name; a CSRF token is added for forms that change
        something (signing out)."""
        self.seal(response, SESSION, {**lead, "csrf": secrets.token_urlsafe(24)}, SESSION_SECONDS,
                  "/admin")

    def session(self, request: web.Request) -> dict | None:
        return self.open(request, SESSION, SESSION_SECONDS)

    def end_session(self, response: web.StreamResponse) -> None:
        response.del_cookie(SESSION, path="/admin")
