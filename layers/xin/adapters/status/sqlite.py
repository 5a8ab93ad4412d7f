"""SQLite implementation of the ``IngestionStatusStore`` port (the local status table).

It lives in the same database file as the chunks; a claim is one ``BEGIN IMMEDIATE``
transaction, so two local workers cannot both take a document.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import fields

from xin.adapters.sqlite.database import Database
from xin.errors import StoreUnavailable
from xin.ingest_status import Claim, ClaimDecision, IngestionRecord, decide_claim

_COLUMNS = tuple(f.name for f in fields(IngestionRecord))
_SCHEMA = """
CREATE TABLE IF NOT EXISTS ingestion_status (
    tenant TEXT NOT NULL,
    document_id TEXT NOT NULL,
    state TEXT NOT NULL,
    event TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '',
    sequencer TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    code TEXT NOT NULL DEFAULT '',
    chunk_count INTEGER NOT NULL DEFAULT 0,
    size INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    indexed_at REAL,
    lease_until REAL NOT NULL DEFAULT 0,
    claim_token TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant, document_id)
)
"""
_UPSERT = (  # column names come from the dataclass, never from input
    f"INSERT OR REPLACE INTO ingestion_status ({', '.join(_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join('?' * len(_COLUMNS))})"
)


class SqliteStatusStore:
    def __init__(self, database: Database) -> None:
        self._db = database
        self._ready = False
        self._lock = threading.Lock()

    def _conn(self) -> sqlite3.Connection:
        conn = self._db.connection()
        if not self._ready:
            with self._lock:
                try:
                    conn.execute(_SCHEMA)
                except sqlite3.Error as exc:
                    raise StoreUnavailable(
                        f"cannot create the ingestion status table: {exc}"
                    ) from exc
                self._ready = True
        return conn

    def claim(self, attempt: IngestionRecord, now: float) -> Claim:
        self._conn()
        try:
            with self._db.write() as conn:
                existing = _fetch(conn, attempt.tenant, attempt.document_id)
                decision = decide_claim(existing, attempt, now)
                if decision is ClaimDecision.ACQUIRED:
                    created = existing.created_at if existing else attempt.created_at
                    conn.execute(_UPSERT, _values(attempt, created_at=created))
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot claim {attempt.document_id}: {exc}") from exc
        return Claim(decision, existing)

    def finish(self, record: IngestionRecord) -> bool:
        self._conn()
        try:
            with self._db.write() as conn:
                current = _fetch(conn, record.tenant, record.document_id)
                if current is None or current.claim_token != record.claim_token:
                    return False
                conn.execute(_UPSERT, _values(record, created_at=current.created_at))
        except sqlite3.Error as exc:
            raise StoreUnavailable(
                f"cannot record the status of {record.document_id}: {exc}"
            ) from exc
        return True

    def get(self, tenant: str, document_id: str) -> IngestionRecord | None:
        try:
            return _fetch(self._conn(), tenant, document_id)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot read the ingestion status: {exc}") from exc

    def list(self, tenant: str | None = None) -> list[IngestionRecord]:
        sql = f"SELECT {', '.join(_COLUMNS)} FROM ingestion_status"  # noqa: S608
        params: tuple[str, ...] = ()
        if tenant is not None:
            sql, params = sql + " WHERE tenant = ?", (tenant,)
        try:
            rows = self._conn().execute(sql + " ORDER BY tenant, document_id", params).fetchall()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot read the ingestion status: {exc}") from exc
        return [_record(row) for row in rows]

    def delete(self, tenant: str, document_id: str) -> bool:
        self._conn()
        try:
            with self._db.write() as conn:
                cursor = conn.execute(
                    "DELETE FROM ingestion_status WHERE tenant = ? AND document_id = ?",
                    (tenant, document_id),
                )
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot delete the ingestion status: {exc}") from exc
        return cursor.rowcount > 0


def _fetch(conn: sqlite3.Connection, tenant: str, document_id: str) -> IngestionRecord | None:
    row = conn.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM ingestion_status "  # noqa: S608
        "WHERE tenant = ? AND document_id = ?",
        (tenant, document_id),
    ).fetchone()
    return _record(row) if row else None


def _values(record: IngestionRecord, *, created_at: float) -> tuple[object, ...]:
    return tuple(created_at if name == "created_at" else getattr(record, name) for name in _COLUMNS)


def _record(row: sqlite3.Row) -> IngestionRecord:
    return IngestionRecord(**{name: row[name] for name in _COLUMNS})
