"""In a large index, keyword search first ranks only the chunks holding a query's rarer terms
and keeps that answer only when no other chunk can beat its k-th hit: the hits are the ones
ranking every match gives, while far fewer rows are scored."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from xin.adapters.sqlite import keyword_search
from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.keyword import TermFilter, TermStats, idf
from xin.adapters.sqlite.rows import fts_match, fts_terms
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.domain import Chunk, DocumentRecord

VOCAB = 300


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteVectorStore]:
    """1,200 chunks of Zipf-distributed words (w0 in nearly all, w250 in a few), so
    queries mix terms found in 1-60% of the chunks, plus short chunks that repeat a
    common word (the ones a bound must not overlook)."""
    database = Database(Path(tmp_path_factory.mktemp("pruning")) / "xin.db")
    store = SqliteVectorStore(database)
    rng = np.random.default_rng(7)
    zipf = 1.0 / np.arange(1, VOCAB + 1)
    zipf /= zipf.sum()
    for d in range(60):
        texts = [" ".join(f"w{i}" for i in rng.choice(VOCAB, 40, p=zipf)) for _ in range(20)]
        if d % 10 == 0:
            texts[0] = "w60 w60 w60 w60 w60"
        chunks = [Chunk(f"d{d}:{i}", f"d{d}", "t", i, t) for i, t in enumerate(texts)]
        record = DocumentRecord(f"d{d}", "t", f"d{d}.md", f"d{d}", "h", len(chunks), 0.0)
        store.replace_document(record, chunks, np.eye(len(chunks), 8, dtype=np.float32))
    store._terms = TermFilter(min_matches=50)  # 1,200 chunks count as a large index here
    yield store
    database.close()


class _Reads:
    """The store's own reads, noting which of them ranked only some chunks."""

    def __init__(self, store: SqliteVectorStore) -> None:
        self._store = store
        self.within = 0

    def __call__(self, sql: str, params: tuple[object, ...]) -> list[sqlite3.Row]:
        self.within += "+rowid IN" in sql
        return self._store._read(sql, params)


def _ranked(rows: list[sqlite3.Row]) -> list[tuple[int, float]]:
    return [(int(row["rowid"]), float(row["rank"])) for row in rows]


def test_pruned_hits_are_the_hits_of_ranking_every_match(store: SqliteVectorStore) -> None:
    rng = np.random.default_rng(11)
    reads, generation, pruned = _Reads(store), store.generation(), 0
    for _ in range(120):
        query = " ".join(f"w{i}" for i in rng.integers(0, 200, size=int(rng.integers(2, 5))))
        k = int(rng.choice([3, 10, 40]))
        before = reads.within
        rows = keyword_search.keyword_rows(
            reads, store._terms, generation=generation, tenant="t", query=query, k=k
        )
        stats = store._terms.stats(store._read, generation, fts_terms(query))
        every = keyword_search._Search(store._read, fts_match(stats.terms), "t", None, k)
        assert _ranked(rows) == _ranked(every.exact()), query
        pruned += reads.within > before
    assert pruned >= 20  # the pruned path ran often enough for the comparison to matter


def test_a_chunk_repeating_a_common_term_is_not_lost(store: SqliteVectorStore) -> None:
    # "w60" is in 10% of the chunks; the short ones repeating it outscore those holding "w250".
    hits = store.keyword_search("t", "w60 w250", 10)
    stats = store._terms.stats(store._read, store.generation(), ["w60", "w250"])
    every = keyword_search._Search(store._read, fts_match(stats.terms), "t", None, 10).exact()
    assert [h.chunk.chunk_id for h in hits] == [row["chunk_id"] for row in every]
    assert any(h.chunk.text.startswith("w60 w60 w60") for h in hits)


def test_bounds_follow_fts5_bm25(store: SqliteVectorStore) -> None:
    stats = store._terms.stats(store._read, store.generation(), ["w12", "w40", "w200"])
    assert stats.matches is not None
    total, matches = stats.total, stats.matches
    assert idf(total, matches["w12"]) == pytest.approx(
        math.log((total - matches["w12"] + 0.5) / (matches["w12"] + 0.5))
    )
    # No chunk gets more from a term than its bound: FTS5's single-term scores stay below.
    for term in ("w12", "w40", "w200"):
        best = store._read(
            "SELECT bm25(chunks_fts) AS rank FROM chunks_fts WHERE chunks_fts MATCH ? "
            "ORDER BY rank LIMIT 1",
            (f'"{term}"',),
        )[0][0]
        assert 0 < -best < stats.bound([term])
    assert stats.below(stats.bound(["w12"]) * 1.01) == ["w12"]  # the most common goes first
    assert stats.below(0.0) == []
    assert "w200" not in stats.below(1e9)  # the rarest term is never left out


def test_small_indexes_count_nothing_and_prune_nothing(tmp_path: Path) -> None:
    database = Database(tmp_path / "small.db")
    small = SqliteVectorStore(database)
    chunks = [Chunk(f"c{i}", "d", "t", i, f"alpha beta {i}") for i in range(5)]
    record = DocumentRecord("d", "t", "d.md", "d", "h", 5, 0.0)
    small.replace_document(record, chunks, np.eye(5, 8, dtype=np.float32))
    stats = small._terms.stats(small._read, small.generation(), ["alpha", "beta"])
    assert stats == TermStats(["alpha", "beta"])
    assert stats.below(1e9) == []
    database.close()
