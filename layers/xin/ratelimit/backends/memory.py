"""In-process ``RateLimiter``: exact under threads, for one process (local, tests, one pod).

Buckets live in an LRU map capped at ``max_keys``, so a flood of distinct client IPs cannot
grow memory without bound (an evicted bucket comes back full, which only ever errs towards
letting a request in).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from xin.ratelimit.bucket import BucketState, quota_decision, take
from xin.ratelimit.ports import Bucket, Decision


class MemoryRateLimiter:
    def __init__(self, *, max_keys: int = 100_000, clock: Callable[[], float] = time.time) -> None:
        self._max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, BucketState] = OrderedDict()
        self._windows: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def acquire(self, key: str, bucket: Bucket, cost: int = 1) -> Decision:
        with self._lock:
            now = self._clock()
            state, decision = take(self._buckets.get(key), bucket, now, cost)
            if decision.allowed:
                self._buckets[key] = state
                self._buckets.move_to_end(key)
                while len(self._buckets) > self._max_keys:
                    self._buckets.popitem(last=False)
            return decision

    def consume_quota(self, key: str, limit: int, window_end: float, cost: int = 1) -> Decision:
        with self._lock:
            now = self._clock()
            used, ends = self._windows.get(key, (0, window_end))
            if ends <= now:
                used, ends = 0, window_end
            if used + cost > limit:
                return quota_decision(used, limit, now, ends, allowed=False)
            used += cost
            self._windows[key] = (used, ends)
            self._windows.move_to_end(key)
            while len(self._windows) > self._max_keys:
                self._windows.popitem(last=False)
            return quota_decision(used, limit, now, ends, allowed=True)
