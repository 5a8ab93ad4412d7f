"""Where verified messages wait for the worker: the fast-acknowledgement half of a webhook.

* ``LocalQueue``: a SQLite table plus one background thread (server, Kubernetes). A job is
  retried ``max_attempts`` times with backoff, then kept as ``dead`` (the dead-letter path);
* ``SqsQueue``: SQS in AWS, consumed by the ``channel_worker`` Lambda (DLQ by redrive policy);
* ``InlineQueue``: handles the job in the caller (tests, one-off scripts).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from xin.adapters.aws_client import LazyAwsClient
from xin.adapters.sqlite.database import open_shared_connection
from xin.channels.message import InboundMessage
from xin.errors import StoreUnavailable
from xin.observability.logging import get_logger

Handle = Callable[[InboundMessage], None]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS channel_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'ready',
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before REAL NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
)
"""


class MessageQueue(Protocol):
    def enqueue(self, message: InboundMessage) -> None: ...


class InlineQueue:
    def __init__(self, handle: Handle) -> None:
        self._handle = handle

    def enqueue(self, message: InboundMessage) -> None:
        self._handle(message)


class SqsQueue:
    def __init__(
        self,
        queue_url: str,
        *,
        client: Any = None,
        region: str | None = None,
        endpoint_url: str | None = None,
    ) -> None:
        self._url = queue_url
        self._aws = LazyAwsClient("sqs", client=client, region=region, endpoint_url=endpoint_url)

    @property
    def client(self) -> Any:
        return self._aws.get()

    def enqueue(self, message: InboundMessage) -> None:
        try:
            self.client.send_message(QueueUrl=self._url, MessageBody=message.to_json())
        except Exception as exc:
            raise StoreUnavailable(f"cannot enqueue the message ({type(exc).__name__})") from exc


class LocalQueue:
    """SQLite-backed jobs drained by a daemon thread (started on first enqueue)."""

    def __init__(
        self,
        path: Path | str,
        handle: Handle,
        *,
        max_attempts: int = 3,
        backoff_s: float = 1.0,
        poll_s: float = 0.2,
        autostart: bool = True,
    ) -> None:
        self._path = str(path)
        self._handle = handle
        self._max_attempts = max_attempts
        self._backoff = backoff_s
        self._poll = poll_s
        self._autostart = autostart
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = open_shared_connection(self._path, _SCHEMA)
        return self._conn

    def enqueue(self, message: InboundMessage) -> None:
        try:
            with self._lock:
                self._db().execute(
                    "INSERT INTO channel_jobs (body) VALUES (?)", (message.to_json(),)
                )
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"local queue: {exc}") from exc
        if self._autostart:
            self.start()
        self._wake.set()

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(
                    target=self._run, name="xin-channel-worker", daemon=True
                )
                self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.drain():
                self._wake.wait(self._poll)
                self._wake.clear()

    def drain(self, *, now: float | None = None) -> int:
        """Process every job that is due; return how many were attempted."""
        done = 0
        while True:
            job = self._next(time.time() if now is None else now)
            if job is None:
                return done
            job_id, body, attempts = job
            done += 1
            try:
                self._handle(InboundMessage.from_json(body))
            except Exception as exc:  # the worker decides; here a failure is retried
                self._failed(job_id, attempts + 1, exc)
            else:
                with self._lock:
                    self._db().execute("DELETE FROM channel_jobs WHERE id = ?", (job_id,))

    def _next(self, now: float) -> tuple[int, str, int] | None:
        with self._lock:
            row = (
                self._db()
                .execute(
                    "SELECT id, body, attempts FROM channel_jobs WHERE state = 'ready' "
                    "AND not_before <= ? ORDER BY id LIMIT 1",
                    (now,),
                )
                .fetchone()
            )
            if row is None:
                return None
            self._db().execute("UPDATE channel_jobs SET state = 'running' WHERE id = ?", (row[0],))
            return int(row[0]), str(row[1]), int(row[2])

    def _failed(self, job_id: int, attempts: int, exc: Exception) -> None:
        retryable = getattr(exc, "retryable", True)
        dead = attempts >= self._max_attempts or not retryable
        state = "dead" if dead else "ready"
        delay = self._backoff * 2 ** (attempts - 1)
        with self._lock:
            self._db().execute(
                "UPDATE channel_jobs SET state = ?, attempts = ?, not_before = ?, last_error = ? "
                "WHERE id = ?",
                (state, attempts, time.time() + delay, type(exc).__name__, job_id),
            )
        get_logger().warning(
            "channel job failed",
            extra={"job": job_id, "attempts": attempts, "dead": dead, "error": type(exc).__name__},
        )

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = (
                self._db()
                .execute("SELECT state, COUNT(*) FROM channel_jobs GROUP BY state")
                .fetchall()
            )
        return {str(state): int(n) for state, n in rows}

    def dead_letters(self) -> list[tuple[InboundMessage, str]]:
        with self._lock:
            rows = (
                self._db()
                .execute(
                    "SELECT body, last_error FROM channel_jobs WHERE state = 'dead' ORDER BY id"
                )
                .fetchall()
            )
        return [(InboundMessage.from_json(body), str(error)) for body, error in rows]
