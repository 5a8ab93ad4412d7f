"""Which header carries what, and what happens when nothing or too much is sent."""

from __future__ import annotations

import pytest

from xin.auth import Role, Unauthenticated
from xin.auth.authenticator import Authenticator
from xin.auth.backends.memory import MemoryApiKeyStore
from xin.auth.keys import ApiKeyService


@pytest.fixture
def keys() -> ApiKeyService:
    return ApiKeyService(MemoryApiKeyStore(), b"k" * 32)


def test_a_key_works_in_either_header(keys: ApiKeyService) -> None:
    secret = keys.create("acme", ["chat"]).secret
    auth = Authenticator(lambda: keys)
    assert auth.principal(secret, None).tenant == "acme"
    assert auth.principal(None, secret).tenant == "acme"


def test_nothing_sent_is_401_when_required_and_anonymous_when_open(keys: ApiKeyService) -> None:
    with pytest.raises(Unauthenticated):
        Authenticator(lambda: keys, required=True).principal(None, None)
    anonymous = Authenticator(lambda: keys, required=False).principal(None, None)
    assert anonymous.is_anonymous and anonymous.has_role(Role.ADMIN)


def test_a_bad_credential_is_refused_even_where_auth_is_optional(keys: ApiKeyService) -> None:
    open_auth = Authenticator(lambda: keys, required=False)
    for bearer in ("xin_nothing", "eyJhbGciOi.x.y", "plain-token"):
        with pytest.raises(Unauthenticated):
            open_auth.principal(bearer, None)


def test_two_credentials_at_once_are_refused(keys: ApiKeyService) -> None:
    secret = keys.create("acme", ["chat"]).secret
    with pytest.raises(Unauthenticated, match="one credential"):
        Authenticator(lambda: keys).principal(secret, secret)


def test_a_jwt_is_refused_when_no_jwks_is_configured(keys: ApiKeyService) -> None:
    with pytest.raises(Unauthenticated):
        Authenticator(lambda: keys).principal("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", None)
