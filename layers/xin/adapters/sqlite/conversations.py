"""SQLite implementation of the ``ConversationStore`` port (memory per session).

A chat turn writes the user's message and the answer together: ``append_turns`` stores them
in one transaction. Writers of one store queue on a process-local lock before they ask SQLite
for its write lock, so threads hand the lock over at once instead of polling in SQLite's
busy handler (which sleeps 1, 2, 5, … 100 ms between tries and made the latency tail).
Other processes on the same file still meet ``busy_timeout``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence

from xin.adapters.sqlite.database import Database
from xin.domain import Turn
from xin.errors import StoreUnavailable


class SqliteConversationStore:
    def __init__(self, database: Database, *, max_turns_kept: int = 200) -> None:
        self._db = database
        self._max_kept = max_turns_kept
        self._write_lock = threading.Lock()

    def append(self, tenant: str, session_id: str, turn: Turn) -> None:
        self.append_turns(tenant, session_id, (turn,))

    def append_turns(self, tenant: str, session_id: str, turns: Sequence[Turn]) -> None:
        """Store ``turns`` after the session's last one, in order, all or none."""
        if not turns:
            return
        try:
            with self._write_lock, self._db.write() as conn:
                row = conn.execute(
                    "SELECT COALESCE(MAX(seq), 0) FROM turns WHERE tenant = ? AND session_id = ?",
                    (tenant, session_id),
                ).fetchone()
                last = int(row[0])
                conn.executemany(
                    "INSERT INTO turns (tenant, session_id, seq, role, text, created_at, meta) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            tenant,
                            session_id,
                            last + i,
                            turn.role,
                            turn.text,
                            turn.created_at,
                            json.dumps(turn.meta),
                        )
                        for i, turn in enumerate(turns, start=1)
                    ],
                )
                newest = last + len(turns)
                if newest > self._max_kept:
                    conn.execute(
                        "DELETE FROM turns WHERE tenant = ? AND session_id = ? AND seq <= ?",
                        (tenant, session_id, newest - self._max_kept),
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
