"""The ``ApiKeyStore`` port: where hashed API keys are kept (SQLite, DynamoDB, memory)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from xin.auth.keys import ApiKeyRecord


@runtime_checkable
class ApiKeyStore(Protocol):
    """Backends raise ``AuthUnavailable`` when they cannot answer."""

    def put(self, record: ApiKeyRecord) -> None:
        """Store a new key; ``InvalidRequest`` if the id already exists."""
        ...

    def get(self, key_id: str) -> ApiKeyRecord | None: ...

    def list(self, tenant: str | None = None) -> list[ApiKeyRecord]:
        """Every key (of ``tenant``, when given), oldest first."""
        ...

    def revoke(self, key_id: str) -> bool:
        """Mark a key revoked; ``False`` if there is no such key."""
        ...
