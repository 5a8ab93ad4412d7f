"""SQLite implementation of the ``ConversationStore`` port (memory per session)."""

from __future__ import annotations

import json
import sqlite3

from xin.adapters.sqlite.database import Database
from xin.domain import Turn
from xin.errors import StoreUnavailable


class SqliteConversationStore:
    def __init__(self, database: Database, *, max_turns_kept: int = 200) -> None:
        self._db = database
        self._max_kept = max_turns_kept

    def append(self, tenant: str, session_id: str, turn: Turn) -> None:
        try:
            with self._db.write() as conn:
                conn.execute(
                    "INSERT INTO turns (tenant, session_id, seq, role, text, created_at, meta) "
                    "SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ? FROM turns "
                    "WHERE tenant = ? AND session_id = ?",
                    (
                        tenant,
                        session_id,
                        turn.role,
                        turn.text,
                        turn.created_at,
                        json.dumps(turn.meta),
                        tenant,
                        session_id,
                    ),
                )
                conn.execute(
                    "DELETE FROM turns WHERE tenant = ? AND session_id = ? AND seq <= "
                    "(SELECT MAX(seq) FROM turns WHERE tenant = ? AND session_id = ?) - ?",
                    (tenant, session_id, tenant, session_id, self._max_kept),
                )
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot save the conversation turn: {exc}") from exc

    def history(self, tenant: str, session_id: str, limit: int) -> list[Turn]:
        if limit <= 0:
            return []
        try:
            rows = (
                self._db.connection()
                .execute(
                    "SELECT role, text, created_at, meta FROM turns WHERE tenant = ? AND "
                    "session_id = ? ORDER BY seq DESC LIMIT ?",
                    (tenant, session_id, limit),
                )
                .fetchall()
            )
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot read the conversation: {exc}") from exc
        return [
            Turn(
                role=r["role"],
                text=r["text"],
                created_at=r["created_at"],
                meta=json.loads(r["meta"]),
            )
            for r in reversed(rows)
        ]
