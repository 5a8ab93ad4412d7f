"""Keeping the index in step with its sources: prune, staleness, delete and reindex.

Documents ingested from files record where they came from (``source_path``, and for files
found in a directory its ``source_root``; see ``xin.services.ingestion``). That is enough to
prune documents whose file is gone and to call a document stale when its file changed after
it was indexed, or when it was indexed longer ago than ``rag.stale_after_days``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from xin.domain import Chunk, DocumentRecord
from xin.ports import Embedder, Matrix, VectorStore
from xin.services.ingestion import SOURCE_PATH, SOURCE_ROOT, iter_sources

_DAY = 86_400.0


def prune(
    store: VectorStore, tenant: str, roots: Iterable[Path], exclude: Sequence[str] = ()
) -> list[str]:
    """Delete documents ingested from ``roots`` (directories) whose file no longer exists
    there or is now left out (``.xinignore``, ``exclude``); return their ids. Documents from
    other directories are never touched."""
    wanted = {str(root.resolve()) for root in roots if root.is_dir()}
    sources = iter_sources((Path(r) for r in wanted), exclude)
    present = {str(path.resolve()) for path, _, _ in sources}
    removed = []
    for record in store.list_documents(tenant):
        root, path = record.metadata.get(SOURCE_ROOT), record.metadata.get(SOURCE_PATH)
        if (
            root in wanted
            and path not in present
            and store.delete_document(tenant, record.document_id)
        ):
            removed.append(record.document_id)
    return removed


def stale_reason(
    record: DocumentRecord, *, now: float | None = None, stale_after_days: float | None = None
) -> str:
    """Why ``record`` is stale ("source missing", "source changed", "older than N days"), or ""."""
    path = record.metadata.get(SOURCE_PATH)
    if path:
        try:
            modified = Path(path).stat().st_mtime
        except OSError:
            return "source missing"
        if modified > record.indexed_at:
            return "source changed"
    if stale_after_days is not None:
        age_days = ((time.time() if now is None else now) - record.indexed_at) / _DAY
        if age_days > stale_after_days:
            return f"older than {stale_after_days:g} days"
    return ""


class ReindexableStore(Protocol):
    """What ``reindex`` needs beyond ``VectorStore`` (the SQLite store has it)."""

    def tenants(self) -> list[str]: ...

    def document_chunks(self, tenant: str, document_id: str) -> list[Chunk]: ...

    def rebind_model(self, model_id: str, dimension: int) -> None: ...


class _Store(VectorStore, ReindexableStore, Protocol): ...


@dataclass(frozen=True, slots=True)
class ReindexResult:
    documents: int
    chunks: int
    seconds: float


def reindex(
    store: _Store,
    embedder: Embedder,
    *,
    on_document: Callable[[str, int], None] | None = None,
) -> ReindexResult:
    """Re-embed every stored chunk with ``embedder`` from its stored text, one document per
    transaction, then bind the index to ``embedder``'s model. Chunking is kept as it was."""
    started = time.perf_counter()
    documents = chunks = 0
    for tenant in store.tenants():
        for record in store.list_documents(tenant):
            stored = store.document_chunks(tenant, record.document_id)
            vectors: Matrix = embedder.embed_documents(_embedding_texts(record.title, stored))
            store.replace_document(record, stored, vectors)
            documents += 1
            chunks += len(stored)
            if on_document is not None:
                on_document(record.document_id, len(stored))
    store.rebind_model(embedder.model_id, embedder.dimension)
    return ReindexResult(documents, chunks, time.perf_counter() - started)


def _embedding_texts(title: str, chunks: Sequence[Chunk]) -> list[str]:
    # The same text ingestion embeds: title, heading path and chunk text.
    return [f"{title}\n{c.heading}\n{c.text}".strip() for c in chunks]
