"""Bearer JWTs (Cognito/OIDC) checked against a JWKS served by a local HTTP server.

The keys are RSA keys generated here; the server serves their public halves the way
Cognito serves ``.well-known/jwks.json``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.integration.hardening.conftest import ACME_DOC, AppFactory, bearer
from xin.auth import AuthUnavailable, Forbidden, Role, Unauthenticated
from xin.auth.jwt import JwtVerifier
from xin.config.security import JwtSettings

ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST"
AUDIENCE = "xin-web-client"


@dataclass
class Issuer:
    url: str
    key: rsa.RSAPrivateKey
    kid: str
    requests: list[str]

    def token(
        self,
        *,
        key: rsa.RSAPrivateKey | None = None,
        kid: str | None = None,
        groups: list[str] | None = None,
        tenant: str | None = "acme",
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload = {
            "sub": "user-1",
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + 300,
            "custom:tenant": tenant,
            "cognito:groups": groups if groups is not None else ["chat"],
            **claims,
        }
        payload = {k: v for k, v in payload.items() if v is not None}
        headers = {"kid": kid or self.kid}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers=headers)


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()
    requests: list[str] = []

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200 if self.path == "/jwks.json" else 404)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body if self.path == "/jwks.json" else b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Issuer(f"http://127.0.0.1:{server.server_address[1]}/jwks.json", key, "k1", requests)
    server.shutdown()
    server.server_close()


def settings(issuer: Issuer, **overrides: Any) -> JwtSettings:
    values = {"jwks_url": issuer.url, "issuer": ISSUER, "audience": AUDIENCE, **overrides}
    return JwtSettings.model_validate(values)


def test_a_valid_token_gives_its_tenant_and_known_roles(issuer: Issuer) -> None:
    verifier = JwtVerifier(settings(issuer))
    principal = verifier.verify(issuer.token(groups=["chat", "ingest", "staff"]))
    assert principal.subject == "jwt:user-1"
    assert principal.tenant == "acme"
    assert principal.roles == {Role.CHAT, Role.INGEST}  # unknown groups are ignored
    assert principal.method == "jwt"


def test_the_jwks_is_fetched_once_and_cached(issuer: Issuer) -> None:
    verifier = JwtVerifier(settings(issuer))
    before = len(issuer.requests)
    for _ in range(3):
        verifier.verify(issuer.token())
    assert len(issuer.requests) - before == 1


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": int(time.time()) - 3600},
        {"iss": "https://evil.example"},
        {"aud": "another-client"},
        {"sub": None},
        {"nbf": int(time.time()) + 3600},
    ],
)
def test_expired_foreign_or_incomplete_tokens_are_401(
    issuer: Issuer, claims: dict[str, Any]
) -> None:
    with pytest.raises(Unauthenticated):
        JwtVerifier(settings(issuer)).verify(issuer.token(**claims))


def test_a_token_signed_by_another_key_or_unknown_kid_is_401(issuer: Issuer) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    verifier = JwtVerifier(settings(issuer))
    with pytest.raises(Unauthenticated):
        verifier.verify(issuer.token(key=other))
    with pytest.raises(Unauthenticated):
        verifier.verify(issuer.token(key=other, kid="k2"))


def test_an_hs256_token_is_401(issuer: Issuer) -> None:
    """Algorithm confusion: only the configured asymmetric algorithms are accepted."""
    now = int(time.time())
    claims = {"sub": "x", "iss": ISSUER, "aud": AUDIENCE, "exp": now + 60, "custom:tenant": "acme"}
    forged = jwt.encode(claims, "s" * 32, algorithm="HS256", headers={"kid": "k1"})
    with pytest.raises(Unauthenticated):
        JwtVerifier(settings(issuer)).verify(forged)


def test_a_token_without_a_tenant_is_403(issuer: Issuer) -> None:
    with pytest.raises(Forbidden):
        JwtVerifier(settings(issuer)).verify(issuer.token(tenant=None))


def test_cognito_access_tokens_check_client_id_and_scope_roles(issuer: Issuer) -> None:
    verifier = JwtVerifier(settings(issuer, audience_claim="client_id", roles_claim="scope"))
    token = issuer.token(aud=None, client_id=AUDIENCE, scope="chat openid")
    assert verifier.verify(token).roles == {Role.CHAT}
    with pytest.raises(Unauthenticated):
        verifier.verify(issuer.token(aud=None, client_id="other", scope="chat"))


def test_an_unreachable_jwks_is_503_not_401() -> None:
    from tests.integration.hardening.conftest import free_port

    url = f"http://127.0.0.1:{free_port()}/jwks.json"
    verifier = JwtVerifier(JwtSettings(jwks_url=url, issuer=ISSUER, audience=AUDIENCE, timeout_s=1))
    fake = jwt.encode({"sub": "x"}, "k" * 32, algorithm="HS256", headers={"kid": "k1"})
    with pytest.raises(AuthUnavailable):
        verifier.verify(fake)


def test_jwt_settings_need_issuer_and_audience() -> None:
    with pytest.raises(ValueError, match="issuer"):
        JwtSettings(jwks_url="https://x.example/jwks.json")


def test_tokens_work_through_the_api_with_their_roles(
    issuer: Issuer, make_deployment: AppFactory
) -> None:
    d = make_deployment(
        auth={"jwt": {"jwks_url": issuer.url, "issuer": ISSUER, "audience": AUDIENCE}}
    )
    d.container.ingestion.ingest_bytes(ACME_DOC.encode(), "zephyr.md", tenant="acme")
    question = {"message": "How often does the Zephyr gateway rotate its signing keys?"}
    chat = d.client.post("/chat", json=question, headers=bearer(issuer.token()))
    assert chat.status_code == 200 and "90 days" in chat.json()["answer"]
    assert d.client.get("/admin/stats", headers=bearer(issuer.token())).status_code == 403
    admin = issuer.token(groups=["admin"])
    stats = d.client.get("/admin/stats", headers=bearer(admin))
    assert stats.status_code == 200 and stats.json()["tenant"] == "acme"
    other_tenant = d.client.post(
        "/chat", json={**question, "tenant": "globex"}, headers=bearer(admin)
    )
    assert other_tenant.status_code == 403
    expired = issuer.token(exp=int(time.time()) - 3600)
    assert d.client.post("/chat", json=question, headers=bearer(expired)).status_code == 401
