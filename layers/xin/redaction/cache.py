"""A bounded, thread-safe LRU of PII detection results (see docs/adr/0016-chat-hot-path.md).

The chat path scans the same texts again and again: every retrieved chunk is scanned by the
output guard and by response redaction on every question that retrieves it, and a repeated
question repeats its answer. Detection is a pure function of the text, the detector set and
the phone regions, so its result can be reused::

    key = detection_key(text, scanned_types, phone_regions)
    spans = shared_cache().get_or_compute(key, lambda: detect(text))

The key holds a 128-bit BLAKE2b digest and the length of the text, never the text itself; the
value is the spans (offsets, type and the canonical key that maps a value to its
placeholder). A result is kept only when its text is scanned a second time: a text seen once
(most user messages, a log line's request id) leaves a digest behind, no spans, and cannot
push the chunks out. The cache is bounded by entries and by the total number of spans held.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from xin.redaction.spans import PiiSpan, PiiType

DEFAULT_MAX_ENTRIES = 4096
DEFAULT_MAX_SPANS = 32768
# Bump when a detector changes in a way a long-lived process could observe (it cannot today:
# detectors are code, so a new version is a new process). Kept in every key for clarity.
DETECTOR_VERSION = 1

DetectionConfig = tuple[frozenset[PiiType], tuple[str, ...], int]
DetectionKey = tuple[bytes, int, DetectionConfig]
Spans = tuple[PiiSpan, ...]


@lru_cache(maxsize=64)
def _config(scanned: frozenset[PiiType], phone_regions: tuple[str, ...]) -> DetectionConfig:
    # One shared tuple per configuration: keys stay small and compare by identity first.
    return (scanned, phone_regions, DETECTOR_VERSION)


def detection_key(
    text: str, scanned: Collection[PiiType], phone_regions: Sequence[str]
) -> DetectionKey:
    """What a detection result depends on: the text (as a digest), the detector set and the
    regions tried for numbers without a country code."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return (digest, len(text), _config(frozenset(scanned), tuple(phone_regions)))


@dataclass(frozen=True, slots=True)
class CacheStats:
    hits: int
    misses: int
    evictions: int
    entries: int
    spans: int

    @property
    def hit_ratio(self) -> float:
        looked_up = self.hits + self.misses
        return self.hits / looked_up if looked_up else 0.0


class SpanCache:
    """LRU of detection results holding at most ``max_entries`` results and ``max_spans``
    spans in total (``max_entries=0`` turns caching off). A result is stored the
    ``admit_after``-th time its key misses (default 2; the keys seen fewer times are
    remembered, up to ``max_entries`` of them, oldest forgotten first).

    Thread-safe; detection runs outside the lock, so two threads may compute the same
    result once each."""

    def __init__(
        self,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        max_spans: int = DEFAULT_MAX_SPANS,
        *,
        admit_after: int = 2,
    ) -> None:
        if max_entries < 0 or max_spans < 0 or admit_after < 1:
            raise ValueError("cache bounds must be >= 0 and admit_after >= 1")
        self.max_entries = max_entries
        self.max_spans = max_spans
        self.admit_after = admit_after
        self._entries: OrderedDict[DetectionKey, Spans] = OrderedDict()
        self._seen: OrderedDict[DetectionKey, int] = OrderedDict()  # misses not yet admitted
        self._spans = 0
        self._hits = 0
        self._misses = 0
        self._evictions = 0
        self._lock = threading.Lock()

    def get_or_compute(self, key: DetectionKey, compute: Callable[[], Spans]) -> Spans:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self._hits += 1
                return found
            self._misses += 1
        spans = compute()
        self._store(key, spans)
        return spans

    def _store(self, key: DetectionKey, spans: Spans) -> None:
        if self.max_entries == 0 or len(spans) > self.max_spans:
            return
        with self._lock:
            if not self._admitted(key):
                return
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._spans -= len(previous)
            self._entries[key] = spans
            self._spans += len(spans)
            while len(self._entries) > self.max_entries or self._spans > self.max_spans:
                _, evicted = self._entries.popitem(last=False)
                self._spans -= len(evicted)
                self._evictions += 1

    def _admitted(self, key: DetectionKey) -> bool:
        """Count one more miss of ``key``; True once it has missed ``admit_after`` times."""
        misses = self._seen.pop(key, 0) + 1
        if misses >= self.admit_after:
            return True
        self._seen[key] = misses
        if len(self._seen) > self.max_entries:
            self._seen.popitem(last=False)
        return False

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._seen.clear()
            self._spans = 0

    def stats(self) -> CacheStats:
        with self._lock:
            return CacheStats(
                self._hits, self._misses, self._evictions, len(self._entries), self._spans
            )


# One process-wide cache; building it allocates two empty dicts and a lock, nothing more.
_SHARED: dict[str, SpanCache] = {"cache": SpanCache()}


def shared_cache() -> SpanCache:
    """The process-wide cache ``detect_pii`` uses."""
    return _SHARED["cache"]


def set_shared_cache(cache: SpanCache) -> SpanCache:
    """Make ``cache`` the process-wide one (``SpanCache(0)``: no caching); returns the old one."""
    previous = _SHARED["cache"]
    _SHARED["cache"] = cache
    return previous
