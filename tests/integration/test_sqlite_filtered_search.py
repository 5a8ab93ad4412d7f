"""Filtered searches check the best rows first and read every passing chunk only when too
few of those pass: the hits must be the ones a plain scan of the passing chunks gives, for
broad and selective filters, on chunk and document fields and metadata, across tenants."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.rows import fts_query
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.domain import Chunk, DocumentRecord

DIM = 16
FILTERS: list[dict[str, str]] = [
    {"language": "en"},  # most chunks
    {"language": "fa"},  # one in ten
    {"document_id": "a7"},  # one document
    {"source": "a3.md"},  # one document, by its source
    {"topic": "billing"},  # metadata, one in four
    {"language": "en", "topic": "billing"},
    {"topic": "none-of-them"},
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteVectorStore]:
    database = Database(Path(tmp_path_factory.mktemp("filtered")) / "xin.db")
    store = SqliteVectorStore(database)
    rng = np.random.default_rng(3)
    for tenant, docs in (("a", 40), ("b", 10)):
        for d in range(docs):
            doc = f"{tenant}{d}"
            chunks = [
                Chunk(
                    f"{doc}:{i}",
                    doc,
                    tenant,
                    i,
                    " ".join(f"w{w}" for w in rng.integers(0, 60, size=12)),
                    language="fa" if (d + i) % 10 == 0 else "en",
                    metadata={"topic": "billing" if i % 4 == 0 else "shipping"},
                )
                for i in range(10)
            ]
            vectors = rng.standard_normal((10, DIM)).astype(np.float32)
            record = DocumentRecord(doc, tenant, f"{doc}.md", doc, "h", 10, 0.0)
            store.replace_document(record, chunks, vectors)
    yield store
    database.close()


def _passing(store: SqliteVectorStore, tenant: str, filters: dict[str, str]) -> list[Chunk]:
    chunks = [
        chunk
        for record in store.list_documents(tenant)
        for chunk in store.document_chunks(tenant, record.document_id)
        if all(
            (record.source if key == "source" else getattr(chunk, key, None)) == value
            or chunk.metadata.get(key) == value
            for key, value in filters.items()
        )
    ]
    return chunks


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("k", [3, 25])
def test_dense_hits_are_the_best_passing_chunks(
    store: SqliteVectorStore, filters: dict[str, str], k: int
) -> None:
    rng = np.random.default_rng(k)
    passing = {c.chunk_id for c in _passing(store, "a", filters)}
    vectors = {
        chunk.chunk_id: vector
        for record in store.list_documents("a")
        for chunk, vector in store.document_vectors("a", record.document_id)
    }
    for _ in range(5):
        query = rng.standard_normal(DIM).astype(np.float32)
        expected = sorted(passing, key=lambda cid: -float(vectors[cid] @ query))[:k]
        hits = store.vector_search("a", query, k, filters)
        assert [h.chunk.chunk_id for h in hits] == expected
        assert all(h.chunk.tenant == "a" for h in hits)


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("k", [3, 25])
def test_keyword_hits_are_the_best_passing_matches(
    store: SqliteVectorStore, filters: dict[str, str], k: int
) -> None:
    passing = {c.chunk_id for c in _passing(store, "a", filters)}
    for query in ("w1 w7", "w42", "w3 w5 w8 w13"):
        ranked = store._read(
            "SELECT c.chunk_id FROM chunks_fts f JOIN chunks c ON c.rowid = f.rowid "
            "WHERE chunks_fts MATCH ? AND c.tenant = 'a' ORDER BY bm25(chunks_fts)",
            (fts_query(query),),
        )
        expected = [row[0] for row in ranked if row[0] in passing][:k]
        hits = store.keyword_search("a", query, k, filters)
        assert [h.chunk.chunk_id for h in hits] == expected, (query, filters)
