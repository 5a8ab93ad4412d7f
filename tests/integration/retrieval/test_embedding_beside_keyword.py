"""The retriever embeds the query on a helper thread while the keyword search runs: the store
is still only called from the request's thread (an in-memory SQLite store has one database
per thread), the request's context (request id for logs, tracing) reaches the embedder, and an
embedding failure surfaces from ``retrieve`` as itself."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.domain import Chunk, DocumentRecord
from xin.ports import Matrix, Vector
from xin.rag.retrieval import HybridRetriever

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
DIM = 8
TOPICS = {"refunds": 0, "parcels": 1, "invoices": 2}  # chunk i has the one-hot vector i


class RecordingEmbedder:
    """One-hot vectors by first word; records the thread and request id of each query embedding."""

    model_id = "recording/8"
    dimension = DIM

    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.calls: list[tuple[int, str]] = []

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        return np.stack([self.embed_query(text) for text in texts])

    def embed_query(self, text: str) -> Vector:
        self.calls.append((threading.get_ident(), REQUEST_ID.get()))
        if self.fail:
            raise TimeoutError("embedding service timed out")
        vector = np.zeros(DIM, dtype=np.float32)
        vector[TOPICS.get(text.split(maxsplit=1)[0], DIM - 1)] = 1.0
        return vector


@pytest.fixture
def store() -> Iterator[SqliteVectorStore]:
    database = Database(":memory:")  # each thread would see its own, empty database
    store = SqliteVectorStore(database)
    texts = ["refunds take five days", "parcels ship on monday", "invoices are monthly"]
    chunks = [Chunk(f"d:{i}", "d", "t", i, text) for i, text in enumerate(texts)]
    store.ensure_model(RecordingEmbedder.model_id, DIM)
    record = DocumentRecord("d", "t", "d.md", "FAQ", "h", len(chunks), 0.0)
    store.replace_document(record, chunks, np.eye(len(chunks), DIM, dtype=np.float32))
    yield store
    database.close()


def test_store_calls_stay_on_the_request_thread(store: SqliteVectorStore) -> None:
    embedder = RecordingEmbedder()
    hits = HybridRetriever(store, embedder).retrieve("t", "parcels ship when", 2)
    assert hits[0].chunk.text == "parcels ship on monday"  # found in the in-memory store
    assert "bm25" in hits[0].scores and "dense" in hits[0].scores
    assert embedder.calls[0][0] != threading.get_ident()  # embedded beside the search


def test_the_request_context_reaches_the_embedder(store: SqliteVectorStore) -> None:
    embedder = RecordingEmbedder()
    token = REQUEST_ID.set("req-42")
    try:
        HybridRetriever(store, embedder).retrieve("t", "refunds", 1)
    finally:
        REQUEST_ID.reset(token)
    assert [request for _, request in embedder.calls] == ["req-42"]


def test_an_embedding_failure_is_raised_by_retrieve(store: SqliteVectorStore) -> None:
    with pytest.raises(TimeoutError, match="timed out"):
        HybridRetriever(store, RecordingEmbedder(fail=True)).retrieve("t", "invoices", 1)
