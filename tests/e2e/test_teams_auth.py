"""Teams inbound authentication, offline: a local server publishes a signing key the way
Bot Framework does, and every kind of bad token gets 401, never 500."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.e2e.teams_client import TENANT
from tests.e2e.teams_world import TeamsWorld

APP_ID = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
ISSUER = "https://api.botframework.com"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def key_server():
    """OpenID metadata and JWKS over plain HTTP in a thread (botbuilder fetches them with a
    blocking client, so they cannot be served from the test's own event loop)."""
    jwk = json.loads(RSAAlgorithm.to_jwk(KEY.public_key()))

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self):
            port = self.server.server_address[1]
            body = ({"issuer": ISSUER, "jwks_uri": f"http://127.0.0.1:{port}/keys"}
                    if self.path.endswith("openid-configuration")
                    else {"keys": [{**jwk, "kid": "k1", "use": "sig", "endorsements": ["msteams"]}]})
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Keys)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/openid-configuration"
    server.shutdown()


def token(service_url: str, *, key=KEY, kid="k1", iss=ISSUER, aud=APP_ID, exp_in=3600) -> str:
    now = int(time.time())
    claims = {"iss": iss, "aud": aud, "exp": now + exp_in, "nbf": now - 60,
              "serviceurl": service_url}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


async def test_a_valid_token_passes_and_every_bad_one_gets_401(db_url, connector, key_server):
    async with TeamsWorld(db_url, connector, microsoft_app_id=APP_ID,
                          microsoft_app_password="secret", microsoft_app_tenant_id=TENANT,
                          microsoft_openid_metadata_url=key_server) as world:
        typing = world.client.activity("29:priya", kind="typing")  # needs no reply
        url = typing["serviceUrl"]

        async def status(bearer: str, activity=typing) -> int:
            return (await world.client.post(activity, {"Authorization": f"Bearer {bearer}"})).status

        assert await status(token(url)) in (200, 201)
        assert await status(token(url, iss="https://evil.example")) == 401
        assert await status(token(url, aud="another-app")) == 401
        assert await status(token(url, exp_in=-3600)) == 401
        assert await status(token(url, key=OTHER_KEY)) == 401
        assert await status(token(url, kid="unknown")) == 401
        other_tenant = world.client.activity("29:priya", kind="typing", tenant="elsewhere")
        assert await status(token(url), other_tenant) == 401
    assert connector.sent == []
