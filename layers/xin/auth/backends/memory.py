"""In-memory ``ApiKeyStore``: a faithful fake for tests and throwaway servers."""

from __future__ import annotations

import threading
from dataclasses import replace

from xin.auth.keys import ApiKeyRecord
from xin.errors import InvalidRequest


class MemoryApiKeyStore:
    def __init__(self) -> None:
        self._records: dict[str, ApiKeyRecord] = {}
        self._lock = threading.Lock()

    def put(self, record: ApiKeyRecord) -> None:
        with self._lock:
            if record.key_id in self._records:
                raise InvalidRequest("an API key with this id already exists")
            self._records[record.key_id] = record

    def get(self, key_id: str) -> ApiKeyRecord | None:
        return self._records.get(key_id)

    def list(self, tenant: str | None = None) -> list[ApiKeyRecord]:
        records = [r for r in self._records.values() if tenant is None or r.tenant == tenant]
        return sorted(records, key=lambda r: (r.created_at, r.key_id))

    def revoke(self, key_id: str) -> bool:
        with self._lock:
            record = self._records.get(key_id)
            if record is None:
                return False
            self._records[key_id] = replace(record, revoked=True)
            return True
