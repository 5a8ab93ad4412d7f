"""Ingestion: bytes in, a document's chunks and vectors atomically in the store.

A broken or unsupported file yields a ``failed`` result with the reason and never stops
the other documents. Unchanged content (same bytes, chunking and model) is ``skipped``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from xin.domain import Chunk, DocumentRecord
from xin.errors import DocumentError, EmptyDocument
from xin.ports import Embedder, LanguageDetector, VectorStore
from xin.rag.chunking import chunk_document
from xin.rag.loaders import SUPPORTED_EXTENSIONS, load_document

IngestStatus = Literal["indexed", "skipped", "failed"]
SOURCE_PATH = "source_path"  # document metadata: the absolute path a file was ingested from
SOURCE_ROOT = "source_root"  # and the directory it was found in (files inside directories)
SCAN_VERSION = "1"
INJECTION_SUSPECT = "injection_suspect"  # chunk metadata: "1" when scan_chunk flagged it
INJECTION_SCORE = "injection_score"


@dataclass(frozen=True, slots=True)
class IngestResult:
    source: str
    document_id: str
    status: IngestStatus
    chunks: int = 0
    bytes: int = 0
    reason: str = ""
    code: str = ""


def document_id_for(source: str) -> str:
    """A stable, readable id from a source name: POSIX separators, no leading './'."""
    cleaned = source.replace("\\", "/").lstrip("./") or "document"
    return cleaned[:512]


class IngestionService:
    def __init__(
        self,
        store: VectorStore,
        embedder: Embedder,
        detector: LanguageDetector,
        *,
        chunk_size: int = 1000,
        chunk_overlap: int = 150,
        clock: Callable[[], float] = time.time,
        scan_chunks: bool = False,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._detector = detector
        self._chunk_size = chunk_size
        self._chunk_overlap = chunk_overlap
        self._clock = clock
        self._model_checked = False
        self._scan_chunks = scan_chunks

    def _fingerprint(self, data: bytes) -> str:
        digest = hashlib.sha256(data)
        digest.update(
            f"|{self._chunk_size}|{self._chunk_overlap}|{self._embedder.model_id}".encode()
        )
        if self._scan_chunks:  # documents indexed before scanning existed get scanned once
            digest.update(f"|scan:{SCAN_VERSION}".encode())
        return digest.hexdigest()

    def ingest_bytes(
        self,
        data: bytes,
        source: str,
        *,
        tenant: str,
        document_id: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> IngestResult:
        doc_id = document_id or document_id_for(source)
        try:
            return self._ingest(data, source, tenant, doc_id, metadata or {})
        except DocumentError as exc:
            return IngestResult(
                source, doc_id, "failed", bytes=len(data), reason=exc.reason, code=exc.code
            )

    def _ingest(
        self, data: bytes, source: str, tenant: str, doc_id: str, metadata: dict[str, str]
    ) -> IngestResult:
        if not self._model_checked:
            self._store.ensure_model(self._embedder.model_id, self._embedder.dimension)
            self._model_checked = True
        fingerprint = self._fingerprint(data)
        existing = self._store.get_document(tenant, doc_id)
        if existing is not None and existing.content_hash == fingerprint:
            return IngestResult(
                source, doc_id, "skipped", existing.chunk_count, len(data), "unchanged"
            )
        document = load_document(data, source)
        chunks = chunk_document(
            document,
            tenant=tenant,
            document_id=doc_id,
            max_chars=self._chunk_size,
            overlap_chars=self._chunk_overlap,
        )
        if not chunks:
            raise EmptyDocument(source, "no text to index")
        doc_language = self._detector.detect(document.text[:5000])
        chunks = [
            replace(c, language=_or(self._detector.detect(c.text), doc_language)) for c in chunks
        ]
        if self._scan_chunks:
            chunks = [_scanned(c) for c in chunks]
        texts = [f"{document.title}\n{c.heading}\n{c.text}".strip() for c in chunks]
        vectors = self._embedder.embed_documents(texts)
        record = DocumentRecord(
            document_id=doc_id,
            tenant=tenant,
            source=source,
            title=document.title,
            content_hash=fingerprint,
            chunk_count=len(chunks),
            indexed_at=self._clock(),
            metadata={**document.metadata, **metadata, "language": doc_language},
        )
        self._store.replace_document(record, chunks, vectors)
        return IngestResult(source, doc_id, "indexed", len(chunks), len(data))

    def ingest_paths(
        self,
        paths: Iterable[Path],
        *,
        tenant: str,
        on_result: Callable[[IngestResult], None] | None = None,
    ) -> list[IngestResult]:
        """Ingest files and directories (recursively, supported types only)."""
        results = []
        for path, source, explicit, root in iter_sources_with_roots(paths):
            if not explicit and path.suffix.lower() not in SUPPORTED_EXTENSIONS:
                result = IngestResult(
                    source, document_id_for(source), "skipped", reason="unsupported file type"
                )
            else:
                result = self._ingest_file(path, source, tenant, root=None if explicit else root)
            results.append(result)
            if on_result is not None:
                on_result(result)
        return results

    def _ingest_file(
        self, path: Path, source: str, tenant: str, *, root: Path | None
    ) -> IngestResult:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return IngestResult(
                source, document_id_for(source), "failed", reason=exc.strerror or str(exc)
            )
        # Where the file came from, so `xin ingest --prune` and `xin kb status` can tell a
        # deleted or edited source (xin.services.kb_sync).
        origin = {SOURCE_PATH: str(path.resolve())}
        if root is not None:
            origin[SOURCE_ROOT] = str(root.resolve())
        return self.ingest_bytes(data, source, tenant=tenant, metadata=origin)


def iter_sources_with_roots(paths: Iterable[Path]) -> Iterable[tuple[Path, str, bool, Path]]:
    """:func:`iter_sources` with the directory (or file) each source was found under."""
    for root in paths:
        for path, source, explicit in iter_sources([root]):
            yield path, source, explicit, root


def iter_sources(paths: Iterable[Path]) -> Iterable[tuple[Path, str, bool]]:
    """Files to ingest with their source names and whether they were named explicitly.

    Files inside a directory are named relative to it; hidden files and folders are ignored.
    """
    for root in paths:
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                if not _hidden(path, root):
                    yield path, path.relative_to(root).as_posix(), False
        else:
            yield root, root.name, True


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _scanned(chunk: Chunk) -> Chunk:
    """Flag a chunk that reads like instructions to an AI (``xin.guard.scan_chunk``).

    Flagged chunks stay searchable; generators only ever see them fenced as data, and the
    extractive answerer never quotes them (ADR 0012).
    """
    from xin.guard.chunk import scan_chunk

    verdict = scan_chunk(f"{chunk.heading}\n{chunk.text}")
    if verdict.action == "allow":
        return chunk
    flags = {
        INJECTION_SUSPECT: "1",
        INJECTION_SCORE: f"{verdict.score:.3f}",
        "injection_reasons": ",".join(verdict.reasons),
    }
    return replace(chunk, metadata={**chunk.metadata, **flags})


def _or(language: str, fallback: str) -> str:
    return fallback if language == "und" else language
