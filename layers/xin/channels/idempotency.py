"""Idempotency stores keyed by the platform's event/message id.

SQLite locally (its own table in the data directory's database file); DynamoDB in AWS (the
stack's ``idempotency`` table: partition key ``id``, TTL attribute ``expiration`` — the same
table Powertools idempotency uses). ``claim`` is one atomic insert / conditional put, so two
concurrent deliveries of one event cannot both win.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xin.adapters.aws_client import LazyAwsClient
from xin.adapters.sqlite.database import open_shared_connection
from xin.errors import StoreUnavailable

_SCHEMA = """
CREATE TABLE IF NOT EXISTS channel_idempotency (
    id TEXT PRIMARY KEY,
    expiration REAL NOT NULL
)
"""


class SqliteIdempotencyStore:
    def __init__(self, path: Path | str, *, clock: Callable[[], float] = time.time) -> None:
        self._path = str(path)
        self._clock = clock
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = open_shared_connection(self._path, _SCHEMA)
        return self._conn

    def claim(self, key: str, ttl_s: int) -> bool:
        now = self._clock()
        try:
            with self._lock:
                conn = self._connection()
                conn.execute(
                    "DELETE FROM channel_idempotency WHERE id = ? AND expiration <= ?", (key, now)
                )
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO channel_idempotency (id, expiration) VALUES (?, ?)",
                    (key, now + ttl_s),
                )
                return cursor.rowcount == 1
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"idempotency store: {exc}") from exc

    def release(self, key: str) -> None:
        try:
            with self._lock:
                self._connection().execute("DELETE FROM channel_idempotency WHERE id = ?", (key,))
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"idempotency store: {exc}") from exc


class DynamoDbIdempotencyStore:
    def __init__(
        self,
        table: str,
        *,
        client: Any = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._table = table
        self._aws = LazyAwsClient(
            "dynamodb", client=client, region=region, endpoint_url=endpoint_url
        )
        self._clock = clock

    @property
    def client(self) -> Any:
        return self._aws.get()

    def claim(self, key: str, ttl_s: int) -> bool:
        now = int(self._clock())
        try:
            self.client.put_item(
                TableName=self._table,
                Item={"id": {"S": key}, "expiration": {"N": str(now + ttl_s)}},
                # DynamoDB deletes expired items lazily: an expired one counts as absent.
                ConditionExpression="attribute_not_exists(id) OR expiration < :now",
                ExpressionAttributeValues={":now": {"N": str(now)}},
            )
        except Exception as exc:
            if _error_code(exc) == "ConditionalCheckFailedException":
                return False
            if _is_aws_error(exc):
                raise StoreUnavailable(f"idempotency table: {_error_code(exc)}") from exc
            raise
        return True

    def release(self, key: str) -> None:
        try:
            self.client.delete_item(TableName=self._table, Key={"id": {"S": key}})
        except Exception as exc:
            if _is_aws_error(exc):
                raise StoreUnavailable(f"idempotency table: {_error_code(exc)}") from exc
            raise


def _is_aws_error(exc: Exception) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    return isinstance(exc, BotoCoreError | ClientError)


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return type(exc).__name__
