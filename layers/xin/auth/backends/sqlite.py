"""SQLite ``ApiKeyStore`` (local and Kubernetes): a table in the service's own database file."""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import Any

from xin.auth.errors import AuthUnavailable
from xin.auth.keys import ApiKeyRecord
from xin.errors import InvalidRequest, XinError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    roles TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    salt TEXT NOT NULL,
    digest TEXT NOT NULL,
    scheme TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS api_keys_by_tenant ON api_keys (tenant, created_at);
"""


def _record(row: sqlite3.Row) -> ApiKeyRecord:
    return ApiKeyRecord(
        key_id=row["key_id"],
        tenant=row["tenant"],
        roles=tuple(json.loads(row["roles"])),
        name=row["name"],
        salt=row["salt"],
        digest=row["digest"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        revoked=bool(row["revoked"]),
        scheme=row["scheme"],
    )


class SqliteApiKeyStore:
    """Uses ``xin.adapters.sqlite.database.Database`` (per-thread connections, WAL)."""

    def __init__(self, database: Any) -> None:
        self._db = database
        self._ready = False
        self._lock = threading.Lock()

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = self._db.connection()
        if not self._ready:
            with self._lock:
                if not self._ready:
                    conn.executescript(_SCHEMA)
                    self._ready = True
        return conn

    def _rows(self, sql: str, params: tuple[Any, ...]) -> list[sqlite3.Row]:
        try:
            return list(self._conn().execute(sql, params).fetchall())
        except XinError as exc:
            raise AuthUnavailable(f"API key store unavailable: {exc.code}") from exc
        except sqlite3.Error as exc:
            raise AuthUnavailable(f"API key store unavailable: {type(exc).__name__}") from exc

    def put(self, record: ApiKeyRecord) -> None:
        self._conn()
        try:
            with self._db.write() as conn:
                conn.execute(
                    "INSERT INTO api_keys (key_id, tenant, roles, name, salt, digest, scheme, "
                    "created_at, expires_at, revoked) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        record.key_id,
                        record.tenant,
                        json.dumps(list(record.roles)),
                        record.name,
                        record.salt,
                        record.digest,
                        record.scheme,
                        record.created_at,
                        record.expires_at,
                        int(record.revoked),
                    ),
                )
        except sqlite3.IntegrityError:
            raise InvalidRequest("an API key with this id already exists") from None
        except sqlite3.Error as exc:
            raise AuthUnavailable(f"API key store unavailable: {type(exc).__name__}") from exc

    def get(self, key_id: str) -> ApiKeyRecord | None:
        rows = self._rows("SELECT * FROM api_keys WHERE key_id = ?", (key_id,))
        return _record(rows[0]) if rows else None

    def list(self, tenant: str | None = None) -> list[ApiKeyRecord]:
        if tenant is None:
            rows = self._rows("SELECT * FROM api_keys ORDER BY created_at, key_id", ())
        else:
            rows = self._rows(
                "SELECT * FROM api_keys WHERE tenant = ? ORDER BY created_at, key_id", (tenant,)
            )
        return [_record(row) for row in rows]

    def revoke(self, key_id: str) -> bool:
        self._conn()
        try:
            with self._db.write() as conn:
                cursor = conn.execute("UPDATE api_keys SET revoked = 1 WHERE key_id = ?", (key_id,))
        except sqlite3.Error as exc:
            raise AuthUnavailable(f"API key store unavailable: {type(exc).__name__}") from exc
        return bool(cursor.rowcount > 0)
