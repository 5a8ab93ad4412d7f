"""SQLite implementation of the ``ConversationStore`` port (memory per session).

A chat turn stores the question and the answer with ONE statement (``append_turns``), which
SQLite runs as its own transaction inside a single ``sqlite3_step`` call, so the database
write lock is never held while the thread waits to get the GIL back. With an explicit
``BEGIN IMMEDIATE … COMMIT`` every statement hands the GIL over and must win it back while
holding the lock, and under load the other writers sleep in SQLite's busy handler (1, 2, 5 …
100 ms): that made the chat latency tail (docs/adr/0016-chat-hot-path.md).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from xin.adapters.sqlite.database import Database
from xin.domain import Turn
from xin.errors import StoreUnavailable

_MAX_BATCH = 1000  # 5 bound values a turn stays far below SQLite's variable limit


def _insert_sql(count: int) -> str:
    """One INSERT … SELECT numbering ``count`` new turns after the session's last seq."""
    rows = ", ".join(["(?, ?, ?, ?, ?)"] * count)  # placeholders only: values are bound
    return (
        "INSERT INTO turns (tenant, session_id, seq, role, text, created_at, meta) "  # noqa: S608
        "SELECT ?, ?, last.seq + new.column1, new.column2, new.column3, new.column4, "
        "new.column5 FROM (SELECT COALESCE(MAX(seq), 0) AS seq FROM turns "
        f"WHERE tenant = ? AND session_id = ?) AS last, (VALUES {rows}) AS new"
    )


class SqliteConversationStore:
    def __init__(self, database: Database, *, max_turns_kept: int = 200) -> None:
        self._db = database
        self._max_kept = max_turns_kept

    def append(self, tenant: str, session_id: str, turn: Turn) -> None:
        self.append_turns(tenant, session_id, (turn,))

    def append_turns(self, tenant: str, session_id: str, turns: Sequence[Turn]) -> None:
        """Store ``turns`` after the session's last one, in order, all or none."""
        if not turns:
            return
        if len(turns) > _MAX_BATCH:
            raise ValueError(f"at most {_MAX_BATCH} turns can be appended at once")
        values: list[object] = [tenant, session_id, tenant, session_id]
        for offset, turn in enumerate(turns, start=1):
            values += (offset, turn.role, turn.text, turn.created_at, json.dumps(turn.meta))
        try:
            conn = self._db.connection()
            conn.execute(_insert_sql(len(turns)), values)
            # Housekeeping in its own one-statement transaction: keep the newest turns.
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
