"""BM25 search of the SQLite store: FTS5 ranks, and only the best rows are joined.

FTS5 ranks with ``bm25()`` and ``LIMIT`` inside a subquery; only those rows (4 per wanted
hit) are joined with chunks/documents and checked for tenant and filters. When too few of
them pass, every match is ranked if there are few (≤ 64 per wanted hit), else only the
matches among the tenant's chunks that pass the filters (a small tenant or a selective
filter then costs what its own chunks cost, not the whole index), so results stay exact.

In a large index a query holding a term found in more than a few percent of the chunks
first ranks only the chunks that hold one of its rarer terms (FTS5 still scores them with
every term, so their scores are the usual ones): when the k-th best of those outscores
anything the common terms alone can give (:meth:`TermStats.bound`), no other chunk can
enter the top k and the answer is the exact one, at the cost of scoring a few thousand rows
instead of tens of thousands. Otherwise the rarer set grows once, or every match is ranked
as before (ADR 0020).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from xin.adapters.sqlite.keyword import Read, TermFilter
from xin.adapters.sqlite.rows import (
    CHUNK_COLUMNS,
    filter_sql,
    fts_match,
    fts_terms,
    passing_sql,
)

# Best matches per wanted hit joined for the tenant and filter checks.
_WINDOW = 4
# When too few of them pass, up to this many matches per wanted hit are all ranked and
# joined; with more, only those of the tenant's chunks that pass the filters are ranked.
_FEW_MATCHES = 64
# The first guess of the k-th best score, as a multiple of the rarest term's IDF (over 200
# queries of the synthetic 100k benchmark the k-th best was 1.27-2.36 times it at k = 40,
# 1.80-2.78 at k = 5; a wrong guess costs one more ranked read, never a wrong answer).
_KTH_SCORE_GUESS = 1.5
# Leaving terms out pays only when they hold at least this share of the query's postings.
_WORTHWHILE_SHARE = 0.5

_RANKED = (
    f"SELECT {CHUNK_COLUMNS}, r.rank AS rank FROM ("  # noqa: S608
    "SELECT rowid, bm25(chunks_fts) AS rank FROM chunks_fts WHERE chunks_fts MATCH ?{within} "
    "ORDER BY rank LIMIT ?) r "
    "JOIN chunks c ON c.rowid = r.rowid "
    "JOIN documents d ON d.tenant = c.tenant AND d.document_id = c.document_id "
    "WHERE c.tenant = ?{where} ORDER BY r.rank LIMIT ?"
)
# "+rowid": a plain rowid IN (...) would make FTS5 re-run the query (and bm25's IDF counts)
# once per listed row; the unary plus leaves the test to SQLite, after FTS5's own scan.
_WITHIN = " AND +rowid IN (SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?)"


def keyword_rows(
    read: Read,
    term_filter: TermFilter,
    *,
    generation: int,
    tenant: str,
    query: str,
    k: int,
    filters: Mapping[str, str] | None = None,
) -> list[sqlite3.Row]:
    """The tenant's ``k`` best chunk rows for ``query`` by BM25 (best first, with ``rank``,
    FTS5's negated score)."""
    words = fts_terms(query)
    if not words or k <= 0:
        return []
    stats = term_filter.stats(read, generation, words)
    search = _Search(read, fts_match(stats.terms), tenant, filters, k)
    left_out = stats.below(_KTH_SCORE_GUESS * stats.rarest_idf())
    if stats.share(left_out) < _WORTHWHILE_SHARE:
        left_out = []
    while left_out:
        rows = search.within(fts_match([term for term in stats.terms if term not in left_out]))
        if len(rows) < k:
            break
        kth_score = -float(rows[k - 1]["rank"])
        if kth_score > stats.bound(left_out):
            return rows
        fewer = stats.below(kth_score)  # a shorter list, as left_out's bound is too high
        left_out = fewer if len(fewer) < len(left_out) else []
    return search.exact()


class _Search:
    """One query's ranked reads: over every match, or within the chunks holding some terms."""

    def __init__(
        self, read: Read, match: str, tenant: str, filters: Mapping[str, str] | None, k: int
    ) -> None:
        self._read = read
        self._match = match
        self._tenant = tenant
        self._filters = filters
        self._where, self._params = filter_sql(filters)
        self._k = k

    def within(self, essential: str) -> list[sqlite3.Row]:
        """The best rows among the first window of matches that hold a term of ``essential``."""
        return self._ranked(_WITHIN, (essential,), self._k * _WINDOW)

    def exact(self) -> list[sqlite3.Row]:
        """The best rows over every match: the first window's when ``k`` of them pass the
        tenant and filter checks, else every match's (few) or the passing chunks' (many)."""
        window = self._k * _WINDOW
        rows = self._ranked("", (), window)
        if len(rows) >= self._k:
            return rows
        matches = self._matches(self._k * _FEW_MATCHES + 1)
        if matches <= window:
            return rows
        if matches <= self._k * _FEW_MATCHES:
            return self._ranked("", (), -1)
        passing, params = passing_sql(self._filters)
        return self._ranked(f" AND +rowid IN ({passing})", (self._tenant, *params), -1)

    def _ranked(
        self, within: str, within_params: tuple[object, ...], window: int
    ) -> list[sqlite3.Row]:
        sql = _RANKED.format(within=within, where=self._where)
        params = (self._match, *within_params, window, self._tenant, *self._params, self._k)
        return self._read(sql, params)

    def _matches(self, cap: int) -> int:
        """How many chunks FTS5 matches, counting no further than ``cap``."""
        rows = self._read(
            "SELECT count(*) FROM (SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?)",
            (self._match, cap),
        )
        return int(rows[0][0])
