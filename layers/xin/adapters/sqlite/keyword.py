"""Query terms worth sending to FTS5, and how much each can add to a chunk's BM25 score.

BM25's IDF is zero or below for a term in more than half of the chunks, and FTS5 clamps it
to ~1e-6, so such a term adds nothing to any score, yet an OR query containing it makes FTS5
score every chunk holding it (at 100k chunks a term in every chunk cost ~100 ms of CPU per
query). Dropping it changes only which near-zero-score chunks can fill the tail of the list.

A term in a few percent of the chunks still counts, but it makes FTS5 score tens of
thousands of rows. FTS5's BM25 gives one term at most ``idf × (k1 + 1)`` whatever the chunk,
so :meth:`TermStats.below` tells which common terms cannot, even together, lift a chunk to
a given score; the search scores first only the chunks holding one of the other terms and
keeps that result only when it is provably exact (``keyword_search.py``, ADR 0020). Small
indexes keep every term and are searched as they always were.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Read = Callable[[str, tuple[object, ...]], list[sqlite3.Row]]

# FTS5's bm25() constants (fts5_aux.c): k1 = 1.2, b = 0.75; IDF is clamped below at 1e-6.
_K1 = 1.2
_MIN_IDF = 1e-6
# Bounds are compared with scores that FTS5 computed in doubles: keep a margin for rounding.
_BOUND_MARGIN = 1.0 + 1e-9


def idf(total: int, matches: int) -> float:
    """FTS5's BM25 inverse document frequency of a term held by ``matches`` of ``total``."""
    return max(math.log((total - matches + 0.5) / (matches + 0.5)), _MIN_IDF)


@dataclass(frozen=True, slots=True)
class TermStats:
    """The useful terms of a query, with how many chunks hold each when they were counted.

    ``matches`` is empty for a small index (nothing counted, nothing pruned); otherwise it is
    exact for every useful term (counting stops only above half of the chunks).
    """

    terms: list[str]
    total: int = 0
    matches: dict[str, int] | None = None

    def bound(self, terms: Sequence[str]) -> float:
        """The highest BM25 score a chunk can get from ``terms`` alone."""
        matches = self.matches or {}
        ceiling = sum(idf(self.total, matches[term]) * (_K1 + 1) for term in terms)
        return ceiling * _BOUND_MARGIN

    def rarest_idf(self) -> float:
        """The IDF of the rarest term: about what a chunk holding it once scores from it."""
        if not self.matches:
            return 0.0
        return idf(self.total, min(self.matches.values()))

    def share(self, terms: Sequence[str]) -> float:
        """The share of all the query's postings (term-chunk pairs) that belong to ``terms``."""
        matches = self.matches or {}
        everything = sum(matches.values())
        return sum(matches[term] for term in terms) / everything if everything else 0.0

    def below(self, score: float) -> list[str]:
        """The most common terms whose combined bound stays under ``score``: a chunk holding
        none of the other terms cannot reach ``score``."""
        if not self.matches:
            return []
        ordered = sorted(self.terms, key=lambda term: -self.matches[term])  # type: ignore[index]
        left_out: list[str] = []
        for term in ordered[:-1]:
            if self.bound([*left_out, term]) >= score:
                break
            left_out.append(term)
        return left_out


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
        return self.stats(read, generation, terms).terms

    def stats(self, read: Read, generation: int, terms: Sequence[str]) -> TermStats:
        """:meth:`useful` terms with their chunk counts (none counted in a small index)."""
        terms = list(dict.fromkeys(terms))  # each term bounded once (query_terms are distinct)
        if len(terms) < 2:
            return TermStats(list(terms))
        with self._lock:
            if generation != self._generation:
                self._generation, self._frequency = generation, {}
                self._total = int(read("SELECT count(*) FROM chunks", ())[0][0])
            total = self._total
        half = total // 2
        if half < self._min_matches:
            return TermStats(list(terms))
        counts = {term: self._matches(read, term, half + 1) for term in terms}
        kept = [term for term in terms if counts[term] <= half]
        if not kept:  # every term is common: the rarest stays, and there is nothing to prune
            return TermStats([min(terms, key=lambda term: counts[term])])
        return TermStats(kept, total, {term: counts[term] for term in kept})

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
