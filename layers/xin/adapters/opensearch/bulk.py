"""Bulk writes in bounded chunks, with per-item outcomes checked.

A bulk request can succeed as a whole while some items fail. Items rejected with 429 (the
write queue was full) are sent again with backoff; any other item error ends the write with
:class:`BulkWriteError`, which names every failed document id and the reason. Nothing is
dropped silently.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xin.adapters.opensearch.client import RetryPolicy, call_with_retries
from xin.errors import XinError

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

_log = logging.getLogger(__name__)
Action = tuple[dict[str, Any], dict[str, Any] | None]  # (action line, source or None)


class BulkWriteError(XinError):
    """Some documents of a bulk write were rejected by OpenSearch."""

    code = "bulk_write_error"
    http_status = 502

    def __init__(self, failures: Sequence[tuple[str, int, str]]) -> None:
        shown = "; ".join(f"{doc_id}: {status} {reason}" for doc_id, status, reason in failures[:5])
        more = f" (and {len(failures) - 5} more)" if len(failures) > 5 else ""
        super().__init__(f"{len(failures)} document(s) were not written: {shown}{more}")
        self.failures = list(failures)


@dataclass(frozen=True, slots=True)
class BulkLimits:
    max_docs: int = 200
    max_bytes: int = 5_000_000


def _size(action: Action) -> int:
    line, source = action
    size = len(json.dumps(line)) + 1
    if source is not None:
        size += len(json.dumps(source, ensure_ascii=False).encode()) + 1
    return size


def batches(actions: Sequence[Action], limits: BulkLimits) -> Iterator[list[Action]]:
    """Consecutive runs of at most ``max_docs`` actions and (unless one is bigger) max_bytes."""
    batch: list[Action] = []
    used = 0
    for action in actions:
        size = _size(action)
        if batch and (len(batch) >= limits.max_docs or used + size > limits.max_bytes):
            yield batch
            batch, used = [], 0
        batch.append(action)
        used += size
    if batch:
        yield batch


def _body(batch: Sequence[Action]) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for line, source in batch:
        lines.append(line)
        if source is not None:
            lines.append(source)
    return lines


def _action_id(action: Action) -> str:
    (meta,) = action[0].values()
    return str(meta.get("_id", ""))


def _item_outcome(item: dict[str, Any]) -> tuple[str, int, str | None]:
    (result,) = item.values()
    status = int(result.get("status", 500))
    error = result.get("error")
    reason = None
    if error is not None or status >= 300:
        reason = error.get("type", "error") if isinstance(error, dict) else str(error or status)
    return str(result.get("_id", "")), status, reason


class BulkWriter:
    def __init__(
        self,
        client: OpenSearch,
        *,
        limits: BulkLimits,
        retry: RetryPolicy,
        refresh: bool,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._client = client
        self._limits = limits
        self._retry = retry
        self._refresh = refresh
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 - jitter

    def write(self, actions: Sequence[Action]) -> None:
        failures: list[tuple[str, int, str]] = []
        for batch in batches(actions, self._limits):
            failures.extend(self._write_batch(batch))
        if failures:
            raise BulkWriteError(failures)

    def _write_batch(self, batch: list[Action]) -> list[tuple[str, int, str]]:
        pending = batch
        for attempt in range(self._retry.max_retries + 1):
            response = self._send(pending)
            throttled: list[Action] = []
            failed: list[tuple[str, int, str]] = []
            for action, item in zip(pending, response.get("items", []), strict=True):
                doc_id, status, reason = _item_outcome(item)
                if reason is None or (status == 404 and "delete" in item):
                    continue
                if status == 429:
                    throttled.append(action)
                else:
                    failed.append((doc_id, status, reason))
            if not throttled:
                return failed
            if failed or attempt == self._retry.max_retries:
                return failed + [(_action_id(a), 429, "rejected (throttled)") for a in throttled]
            pause = self._retry.delay(attempt, self._rng)
            _log.warning("%d bulk items throttled; retrying in %.2fs", len(throttled), pause)
            self._sleep(pause)
            pending = throttled
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, batch: Sequence[Action]) -> dict[str, Any]:
        params = {"refresh": "wait_for"} if self._refresh else {}
        result: dict[str, Any] = call_with_retries(
            "bulk write",
            lambda: self._client.bulk(body=_body(batch), params=params),
            self._retry,
            sleep=self._sleep,
            rng=self._rng,
        )
        return result
