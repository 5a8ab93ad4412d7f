"""Query terms worth sending to FTS5: drop those too common to rank anything.

BM25's IDF is zero or below for a term in more than half of the chunks, and FTS5 clamps it
to ~1e-6, so such a term adds nothing to any score, yet an OR query containing it makes FTS5
score every chunk holding it (at 100k chunks a term in every chunk cost ~100 ms of CPU per
query). Dropping it changes only which near-zero-score chunks can fill the tail of the list.
Small indexes keep every term: the cost there is negligible (ADR 0020).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence

Read = Callable[[str, tuple[object, ...]], list[sqlite3.Row]]


class TermFilter:
    """Document frequencies of query terms, counted once per store generation."""

    def __init__(self, *, min_matches: int = 5000, max_terms: int = 4096) -> None:
        self._min_matches = min_matches
        self._max_terms = max_terms
        self._generation = -1
        self._total = 0
        self._frequency: dict[str, int] = {}
        self._lock = threading.Lock()

    def useful(self, read: Read, generation: int, terms: Sequence[str]) -> list[str]:
        """``terms`` without those in more than half of the chunks (and at least
        ``min_matches`` of them); the rarest term is kept if every one is common."""
        if len(terms) < 2:
            return list(terms)
        with self._lock:
            if generation != self._generation:
                self._generation, self._frequency = generation, {}
                self._total = int(read("SELECT count(*) FROM chunks", ())[0][0])
            total = self._total
        half = total // 2
        if half < self._min_matches:
            return list(terms)
        counts = {term: self._matches(read, term, half + 1) for term in terms}
        kept = [term for term in terms if counts[term] <= half]
        return kept or [min(terms, key=lambda term: counts[term])]

    def _matches(self, read: Read, term: str, cap: int) -> int:
        with self._lock:
            known = self._frequency.get(term)
        if known is not None:
            return known
        rows = read(
            "SELECT count(*) FROM (SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?)",
            (f'"{term}"', cap),
        )
        count = int(rows[0][0])
        with self._lock:
            if len(self._frequency) >= self._max_terms:
                self._frequency.clear()
            self._frequency[term] = count
        return count
