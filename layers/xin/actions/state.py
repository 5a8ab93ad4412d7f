"""Action state: pending confirmations, handed-off sessions and the audit log.

``ActionState`` is the port; ``SqliteActionState`` keeps it in the local database file (one
table each). The audit log is append-only; parameters are stored redacted.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from xin.adapters.sqlite.database import open_shared_connection
from xin.errors import StoreUnavailable

_SCHEMA = """
CREATE TABLE IF NOT EXISTS action_pending (
    tenant TEXT NOT NULL, session_id TEXT NOT NULL,
    action TEXT NOT NULL, params TEXT NOT NULL, expires_at REAL NOT NULL,
    PRIMARY KEY (tenant, session_id)
);
CREATE TABLE IF NOT EXISTS action_handoffs (
    tenant TEXT NOT NULL, session_id TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (tenant, session_id)
);
CREATE TABLE IF NOT EXISTS action_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL, tenant TEXT NOT NULL, channel TEXT NOT NULL, session_id TEXT NOT NULL,
    user_id TEXT NOT NULL, action TEXT NOT NULL, params TEXT NOT NULL, outcome TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
"""


@dataclass(frozen=True, slots=True)
class Pending:
    action: str
    params: dict[str, Any]
    expires_at: float


@dataclass(frozen=True, slots=True)
class AuditRecord:
    at: float
    tenant: str
    channel: str
    session_id: str
    user_id: str
    action: str
    params: dict[str, Any]
    outcome: str  # ran | failed | timeout | cancelled | denied | awaiting_confirmation
    detail: str = ""


class ActionState(Protocol):
    def set_pending(self, tenant: str, session_id: str, pending: Pending) -> None: ...

    def pop_pending(self, tenant: str, session_id: str, now: float) -> Pending | None: ...

    def mark_handed_off(self, tenant: str, session_id: str) -> None: ...

    def is_handed_off(self, tenant: str, session_id: str) -> bool: ...

    def audit(self, record: AuditRecord) -> None: ...

    def audit_log(self, tenant: str | None = None) -> list[AuditRecord]: ...


class SqliteActionState:
    def __init__(self, path: Path | str) -> None:
        self._path = str(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = open_shared_connection(self._path, _SCHEMA)
        return self._conn

    def _run(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._lock:
                return list(self._db().execute(sql, args).fetchall())
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"action state: {exc}") from exc

    def set_pending(self, tenant: str, session_id: str, pending: Pending) -> None:
        self._run(
            "INSERT OR REPLACE INTO action_pending VALUES (?, ?, ?, ?, ?)",
            (tenant, session_id, pending.action, json.dumps(pending.params), pending.expires_at),
        )

    def pop_pending(self, tenant: str, session_id: str, now: float) -> Pending | None:
        rows = self._run(
            "DELETE FROM action_pending WHERE tenant = ? AND session_id = ? "
            "RETURNING action, params, expires_at",
            (tenant, session_id),
        )
        if not rows or float(rows[0][2]) < now:
            return None
        return Pending(str(rows[0][0]), json.loads(rows[0][1]), float(rows[0][2]))

    def mark_handed_off(self, tenant: str, session_id: str) -> None:
        self._run(
            "INSERT OR REPLACE INTO action_handoffs VALUES (?, ?, ?)",
            (tenant, session_id, time.time()),
        )

    def is_handed_off(self, tenant: str, session_id: str) -> bool:
        return bool(
            self._run(
                "SELECT 1 FROM action_handoffs WHERE tenant = ? AND session_id = ?",
                (tenant, session_id),
            )
        )

    def audit(self, record: AuditRecord) -> None:
        self._run(
            "INSERT INTO action_audit (at, tenant, channel, session_id, user_id, action, params, "
            "outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.at,
                record.tenant,
                record.channel,
                record.session_id,
                record.user_id,
                record.action,
                json.dumps(record.params, ensure_ascii=False),
                record.outcome,
                record.detail,
            ),
        )

    def audit_log(self, tenant: str | None = None) -> list[AuditRecord]:
        sql = (
            "SELECT at, tenant, channel, session_id, user_id, action, params, outcome, detail "
            "FROM action_audit"
        )
        rows = self._run(
            sql + (" WHERE tenant = ? ORDER BY id" if tenant else " ORDER BY id"),
            (tenant,) if tenant else (),
        )
        return [
            AuditRecord(
                float(r[0]),
                str(r[1]),
                str(r[2]),
                str(r[3]),
                str(r[4]),
                str(r[5]),
                json.loads(r[6]),
                str(r[7]),
                str(r[8]),
            )
            for r in rows
        ]
