"""API keys: format, hashing, verification and lifecycle (create, list, revoke).

A key reads ``xin_<id>_<secret>``: ``id`` (12 hex digits) finds the record, ``secret`` (43
URL-safe characters, 256 bits) proves possession. Only ``HMAC-SHA256(pepper, salt | id |
secret)`` is stored; the pepper is a server secret outside the key store, so a leaked table
alone cannot verify guesses. The secret is shown once, at creation.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from xin.auth.errors import Unauthenticated
from xin.auth.ports import ApiKeyStore
from xin.auth.principal import ALL_TENANTS, Principal, Role, parse_roles
from xin.errors import InvalidRequest, NotFound

KEY_PREFIX = "xin"
HASH_SCHEME = "hmac-sha256-v1"
_KEY_SHAPE = re.compile(r"^xin_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_TENANT_SHAPE = re.compile(r"^(?:\*|[A-Za-z0-9_.-]{1,64})$")
_DUMMY_SALT = "0" * 32


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    key_id: str
    tenant: str
    roles: tuple[str, ...]
    name: str
    salt: str
    digest: str
    created_at: float
    expires_at: float | None = None
    revoked: bool = False
    scheme: str = HASH_SCHEME

    def usable_at(self, now: float) -> bool:
        return not self.revoked and (self.expires_at is None or now < self.expires_at)


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A freshly created key: ``secret`` is the full key string, shown once."""

    record: ApiKeyRecord
    secret: str


def looks_like_api_key(token: str) -> bool:
    return token.startswith(f"{KEY_PREFIX}_")


def _digest(pepper: bytes, salt: str, key_id: str, secret: str) -> str:
    message = f"{salt}|{key_id}|{secret}".encode()
    return hmac.new(pepper, message, hashlib.sha256).hexdigest()


class ApiKeyService:
    def __init__(
        self, store: ApiKeyStore, pepper: bytes, *, clock: Callable[[], float] = time.time
    ) -> None:
        if len(pepper) < 16:
            raise ValueError("the API key pepper must be at least 16 bytes")
        self._store = store
        self._pepper = pepper
        self._clock = clock

    def create(
        self,
        tenant: str,
        roles: Iterable[str],
        *,
        name: str = "",
        ttl_s: float | None = None,
    ) -> IssuedKey:
        role_set = parse_roles(roles)
        unknown = set(roles) - {r.value for r in role_set}
        if not role_set or unknown:
            raise InvalidRequest(
                f"roles must be some of {', '.join(r.value for r in Role)}; got {sorted(roles)}"
            )
        if not _TENANT_SHAPE.match(tenant):
            raise InvalidRequest("tenant must be 1-64 of A-Z a-z 0-9 _ . - (or '*')")
        if tenant == ALL_TENANTS and Role.ADMIN not in role_set:
            raise InvalidRequest("only an admin key may span all tenants ('*')")
        if ttl_s is not None and ttl_s <= 0:
            raise InvalidRequest("the expiry must be in the future")
        key_id, secret, salt = (
            secrets.token_hex(6),
            secrets.token_urlsafe(32),
            secrets.token_hex(16),
        )
        now = self._clock()
        record = ApiKeyRecord(
            key_id=key_id,
            tenant=tenant,
            roles=tuple(sorted(r.value for r in role_set)),
            name=name[:100],
            salt=salt,
            digest=_digest(self._pepper, salt, key_id, secret),
            created_at=now,
            expires_at=None if ttl_s is None else now + ttl_s,
        )
        self._store.put(record)
        return IssuedKey(record=record, secret=f"{KEY_PREFIX}_{key_id}_{secret}")

    def verify(self, presented: str) -> Principal:
        """The principal for a presented key, or ``Unauthenticated`` (never says why)."""
        match = _KEY_SHAPE.match(presented)
        key_id, secret = (match.group(1), match.group(2)) if match else ("", presented)
        record = self._store.get(key_id) if match else None
        salt = record.salt if record else _DUMMY_SALT
        expected = record.digest if record else "0" * 64
        # Always hash and compare, so an unknown id takes as long as a wrong secret.
        genuine = hmac.compare_digest(_digest(self._pepper, salt, key_id, secret), expected)
        if record is None or not genuine or not record.usable_at(self._clock()):
            raise Unauthenticated()
        return Principal(
            f"key:{record.key_id}", record.tenant, parse_roles(record.roles), "api_key"
        )

    def list(self, tenant: str | None = None) -> list[ApiKeyRecord]:
        return self._store.list(tenant)

    def revoke(self, key_id: str, *, tenant: str | None = None) -> ApiKeyRecord:
        """Revoke a key; with ``tenant``, only a key of that tenant (else ``NotFound``)."""
        record = self._store.get(key_id)
        if record is None or (tenant is not None and record.tenant != tenant):
            raise NotFound("No such API key.")
        if not record.revoked:
            self._store.revoke(key_id)
        return replace(record, revoked=True)
