"""Keyword search ranks inside FTS5 and joins only a window of the best matches; the tenant
and metadata filters still see every match when the window holds too few of theirs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.keyword import TermFilter
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.domain import Chunk, DocumentRecord


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteVectorStore]:
    database = Database(tmp_path / "xin.db")
    yield SqliteVectorStore(database)
    database.close()


def add(store: SqliteVectorStore, tenant: str, doc: str, texts: list[str], **meta: str) -> None:
    chunks = [Chunk(f"{doc}:{i}", doc, tenant, i, t, metadata=meta) for i, t in enumerate(texts)]
    vectors = np.eye(len(texts), 8, dtype=np.float32)
    record = DocumentRecord(doc, tenant, f"{doc}.md", doc, "h", len(texts), 0.0)
    store.replace_document(record, chunks, vectors)


def test_a_small_tenant_finds_its_matches_behind_a_big_tenants_better_ones(
    store: SqliteVectorStore,
) -> None:
    # 300 chunks of tenant "big" all say "invoice" more often (better bm25) than "small"'s.
    for d in range(30):
        add(store, "big", f"b{d}", [f"invoice invoice invoice number {d}-{i}" for i in range(10)])
    add(store, "small", "s0", ["the invoice is attached", "weather report", "invoice due"])

    hits = store.keyword_search("small", "invoice", 5)
    assert sorted(h.chunk.text for h in hits) == ["invoice due", "the invoice is attached"]
    assert all(h.chunk.tenant == "small" for h in hits)
    assert len(store.keyword_search("big", "invoice", 5)) == 5


def test_filters_apply_to_every_match_not_only_the_top_window(store: SqliteVectorStore) -> None:
    for d in range(20):
        add(store, "t", f"d{d}", [f"refund refund policy {d}-{i}" for i in range(10)], lang="en")
    add(store, "t", "fa", ["refund rule in Persian text"], lang="fa")

    hits = store.keyword_search("t", "refund", 3, {"lang": "fa"})
    assert [h.chunk.document_id for h in hits] == ["fa"]


def test_results_are_ordered_by_bm25_and_limited_to_k(store: SqliteVectorStore) -> None:
    add(store, "t", "d", ["alpha", "alpha alpha beta", "gamma", "alpha beta beta beta beta"])
    hits = store.keyword_search("t", "alpha", 2)
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score
    everything = store.keyword_search("t", "alpha", 10)
    assert len(everything) == 3  # "gamma" does not match
    assert [h.chunk.chunk_id for h in hits] == [h.chunk.chunk_id for h in everything[:2]]
    assert store.keyword_search("t", "alpha", 0) == []


def test_terms_in_most_chunks_are_dropped_only_at_scale(store: SqliteVectorStore) -> None:
    for d in range(10):
        add(store, "t", f"d{d}", [f"common filler text {d}-{i}" for i in range(10)])
    add(store, "t", "rare", ["common rare gem"])
    read, generation = store._read, store.generation()

    assert TermFilter().useful(read, generation, ["common", "gem"]) == ["common", "gem"]
    scaled = TermFilter(min_matches=10)  # 101 chunks: "common" is in all, "gem" in one
    assert scaled.useful(read, generation, ["common", "gem"]) == ["gem"]
    assert len(scaled.useful(read, generation, ["common", "filler"])) == 1  # one is kept
    assert scaled.useful(read, generation, ["common"]) == ["common"]


def test_keyword_search_ranks_the_rare_term_first_in_a_big_index(
    store: SqliteVectorStore,
) -> None:
    store._terms = TermFilter(min_matches=10)
    for d in range(10):
        add(store, "t", f"d{d}", [f"common filler text {d}-{i}" for i in range(10)])
    add(store, "t", "rare", ["common rare gem"])
    hits = store.keyword_search("t", "common gem", 5)
    assert [h.chunk.document_id for h in hits] == ["rare"]
