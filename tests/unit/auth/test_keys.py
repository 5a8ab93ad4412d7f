"""API keys: shown once, stored only as a salted HMAC, refused when wrong/expired/revoked."""

from __future__ import annotations

import pytest

from xin.auth import Role, Unauthenticated
from xin.auth.backends.memory import MemoryApiKeyStore
from xin.auth.keys import ApiKeyService
from xin.errors import InvalidRequest, NotFound

PEPPER = b"p" * 32


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store() -> MemoryApiKeyStore:
    return MemoryApiKeyStore()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(store: MemoryApiKeyStore, clock: Clock) -> ApiKeyService:
    return ApiKeyService(store, PEPPER, clock=clock)


def test_a_created_key_verifies_to_its_tenant_and_roles(service: ApiKeyService) -> None:
    issued = service.create("acme", ["chat", "ingest"], name="bot")
    assert issued.secret.startswith(f"xin_{issued.record.key_id}_")
    principal = service.verify(issued.secret)
    assert principal.tenant == "acme"
    assert principal.roles == {Role.CHAT, Role.INGEST}
    assert principal.subject == f"key:{issued.record.key_id}"


def test_the_store_never_holds_the_secret(service: ApiKeyService, store: MemoryApiKeyStore) -> None:
    issued = service.create("acme", ["chat"])
    secret_part = issued.secret.split("_", 2)[2]
    stored = store.get(issued.record.key_id)
    assert stored is not None
    assert secret_part not in repr(stored)
    assert len(stored.digest) == 64 and len(stored.salt) == 32


def test_two_keys_never_share_a_salt_or_digest(service: ApiKeyService) -> None:
    a, b = service.create("acme", ["chat"]), service.create("acme", ["chat"])
    assert a.record.salt != b.record.salt and a.record.digest != b.record.digest


@pytest.mark.parametrize(
    "mangle",
    [
        lambda k: k[:-1] + ("A" if k[-1] != "A" else "B"),  # wrong secret
        lambda k: "xin_000000000000_" + k.split("_", 2)[2],  # unknown id
        lambda k: k.upper(),
        lambda k: "",
        lambda k: "xin_",
        lambda k: k + "x",
    ],
)
def test_anything_but_the_exact_key_is_refused(service: ApiKeyService, mangle: object) -> None:
    issued = service.create("acme", ["chat"])
    assert callable(mangle)
    with pytest.raises(Unauthenticated):
        service.verify(mangle(issued.secret))


def test_a_different_pepper_invalidates_every_key(store: MemoryApiKeyStore) -> None:
    issued = ApiKeyService(store, PEPPER).create("acme", ["chat"])
    with pytest.raises(Unauthenticated):
        ApiKeyService(store, b"q" * 32).verify(issued.secret)


def test_expired_and_revoked_keys_are_refused(service: ApiKeyService, clock: Clock) -> None:
    expiring = service.create("acme", ["chat"], ttl_s=60)
    service.verify(expiring.secret)
    clock.now += 61
    with pytest.raises(Unauthenticated):
        service.verify(expiring.secret)
    revoked = service.create("acme", ["chat"])
    assert service.revoke(revoked.record.key_id).revoked
    with pytest.raises(Unauthenticated):
        service.verify(revoked.secret)


def test_revoke_is_scoped_to_a_tenant_when_asked(service: ApiKeyService) -> None:
    issued = service.create("acme", ["chat"])
    with pytest.raises(NotFound):
        service.revoke(issued.record.key_id, tenant="globex")
    service.verify(issued.secret)  # still valid
    with pytest.raises(NotFound):
        service.revoke("ffffffffffff")


@pytest.mark.parametrize(
    ("tenant", "roles", "ttl"),
    [
        ("acme", [], None),
        ("acme", ["root"], None),
        ("acme", ["chat", "root"], None),
        ("*", ["chat"], None),  # only an admin key may span every tenant
        ("../etc", ["chat"], None),
        ("acme", ["chat"], -5.0),
    ],
)
def test_invalid_key_requests_are_refused(
    service: ApiKeyService, tenant: str, roles: list[str], ttl: float | None
) -> None:
    with pytest.raises(InvalidRequest):
        service.create(tenant, roles, ttl_s=ttl)


def test_a_platform_admin_key_spans_every_tenant(service: ApiKeyService) -> None:
    principal = service.verify(service.create("*", ["admin"]).secret)
    assert principal.cross_tenant
    assert principal.tenant_for("globex", "default") == "globex"


def test_a_short_pepper_is_refused(store: MemoryApiKeyStore) -> None:
    with pytest.raises(ValueError, match="pepper"):
        ApiKeyService(store, b"short")
