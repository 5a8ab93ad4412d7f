"""Ingestion throughput features: a changed document re-embeds only its changed chunks,
parallel preparation keeps results in order, and one broken file never stops the others."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.ports import Matrix, Vector
from xin.services.ingestion import EMBEDDING_MODEL, IngestionService

TENANT = "t1"
SECTIONS = [
    f"## Section {i}\n\n" + f"Topic {i} explains step {i} in detail. " * 8 for i in range(6)
]


class CountingEmbedder:
    """Word-hash vectors; records every text it is asked to embed (from any thread)."""

    def __init__(self, model_id: str = "count/32") -> None:
        self.model_id = model_id
        self.dimension = 32
        self.embedded: list[str] = []
        self._lock = threading.Lock()

    def _vector(self, text: str) -> Vector:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for word in text.lower().split():
            vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        return vector / (float(np.linalg.norm(vector)) or 1.0)

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        with self._lock:
            self.embedded.extend(texts)
        return np.vstack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> Vector:
        return self._vector(text)


class English:
    def detect(self, text: str) -> str:
        return "en"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteVectorStore]:
    database = Database(tmp_path / "xin.db")
    yield SqliteVectorStore(database)
    database.close()


def service(store: SqliteVectorStore, embedder: CountingEmbedder) -> IngestionService:
    return IngestionService(store, embedder, English(), chunk_size=300, chunk_overlap=0)


def stored_vectors(store: SqliteVectorStore, doc: str) -> dict[str, Vector]:
    return {c.text: v for c, v in store.document_vectors(TENANT, doc)}


def test_an_edited_document_re_embeds_only_the_changed_chunks(store: SqliteVectorStore) -> None:
    embedder = CountingEmbedder()
    ingest = service(store, embedder)
    first = ingest.ingest_bytes("\n\n".join(SECTIONS).encode(), "guide.md", tenant=TENANT)
    assert first.status == "indexed" and first.chunks >= 4 and first.reused == 0
    embedded_first = len(embedder.embedded)
    before = stored_vectors(store, "guide.md")

    edited = list(SECTIONS)
    edited[2] = "## Section 2\n\nThe refund window is now 45 days for every plan."
    second = ingest.ingest_bytes("\n\n".join(edited).encode(), "guide.md", tenant=TENANT)

    fresh = embedder.embedded[embedded_first:]
    assert second.status == "indexed"
    assert len(fresh) == 1 and "45 days" in fresh[0]  # only the edited chunk was embedded
    assert second.reused == second.chunks - 1
    after = stored_vectors(store, "guide.md")
    assert "45 days" in " ".join(after)  # the new text is stored ...
    assert not any("step 2 in detail" in text for text in after)  # ... and the old one gone
    for text, vector in after.items():  # kept vectors are the very same as before
        if text in before:
            np.testing.assert_array_equal(vector, before[text])
    record = store.get_document(TENANT, "guide.md")
    assert record is not None and record.metadata[EMBEDDING_MODEL] == "count/32"


def test_vectors_from_another_model_are_never_reused(store: SqliteVectorStore) -> None:
    service(store, CountingEmbedder("count/32")).ingest_bytes(
        "\n\n".join(SECTIONS).encode(), "guide.md", tenant=TENANT
    )
    # The store is bound to a model, so simulate an older index whose record names another
    # model (e.g. written before the reindex finished): nothing may be reused from it.
    record = store.get_document(TENANT, "guide.md")
    assert record is not None
    chunks = [c for c, _ in store.document_vectors(TENANT, "guide.md")]
    vectors = np.vstack([v for _, v in store.document_vectors(TENANT, "guide.md")])
    old = replace(record, metadata={**record.metadata, EMBEDDING_MODEL: "other/32"})
    store.replace_document(old, chunks, vectors)

    embedder = CountingEmbedder("count/32")
    result = service(store, embedder).ingest_bytes(
        ("\n\n".join(SECTIONS) + "\n\nOne more line.").encode(), "guide.md", tenant=TENANT
    )
    assert result.reused == 0
    assert len(embedder.embedded) == result.chunks


def test_identical_chunks_are_embedded_once(store: SqliteVectorStore) -> None:
    embedder = CountingEmbedder()
    text = "\n\n".join(["## Same\n\n" + "Repeated boilerplate paragraph here. " * 8] * 3)
    result = service(store, embedder).ingest_bytes(text.encode(), "dup.md", tenant=TENANT)
    assert result.status == "indexed"
    assert len(set(embedder.embedded)) == len(embedder.embedded)


def test_parallel_ingestion_keeps_order_and_isolates_failures(
    tmp_path: Path, store: SqliteVectorStore
) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    for i in range(9):
        (kb / f"doc{i}.md").write_text(f"# Doc {i}\n\nUnique fact number {i} about apples.\n")
    (kb / "doc4.md").write_bytes(b"")  # empty: fails alone
    (kb / "notes.bin").write_bytes(b"\x00\x01")  # unsupported: skipped
    embedder = CountingEmbedder()
    ingest = IngestionService(store, embedder, English(), workers=3)
    seen: list[str] = []
    results = ingest.ingest_paths([kb], tenant=TENANT, on_result=lambda r: seen.append(r.source))

    names = sorted(p.name for p in kb.iterdir())
    assert [r.source for r in results] == names == seen
    status = {r.source: r.status for r in results}
    assert status.pop("doc4.md") == "failed"
    assert status.pop("notes.bin") == "skipped"
    assert set(status.values()) == {"indexed"}
    assert {d.document_id for d in store.list_documents(TENANT)} == set(status)
    again = ingest.ingest_paths([kb], tenant=TENANT)
    assert [r.status for r in again if r.source in status] == ["skipped"] * len(status)
