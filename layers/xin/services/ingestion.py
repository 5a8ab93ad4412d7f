"""Ingestion: bytes in, a document's chunks and vectors atomically in the store.

A broken or unsupported file yields a ``failed`` result with the reason and never stops
the other documents. Unchanged content (same bytes, chunking and model) is ``skipped``.

Throughput (docs/adr/0020-ingestion-throughput-and-scale.md): files are parsed, chunked and embedded
by ``workers`` threads while the calling thread reads the store and commits each document
in order; a changed document re-embeds only the chunks whose embedded text changed (the
others keep their stored vectors, when the store can return them and they came from the
same model).
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from xin.domain import Chunk, DocumentRecord
from xin.errors import DocumentError, EmptyDocument
from xin.ports import Embedder, LanguageDetector, Matrix, Vector, VectorStore
from xin.rag.chunking import chunk_document
from xin.rag.loaders import SUPPORTED_EXTENSIONS, load_document
from xin.services.source_ignore import IgnoreRules

IngestStatus = Literal["indexed", "skipped", "failed"]
SOURCE_PATH = "source_path"  # document metadata: the absolute path a file was ingested from
SOURCE_ROOT = "source_root"  # and the directory it was found in (files inside directories)
SCAN_VERSION = "1"
INJECTION_SUSPECT = "injection_suspect"  # chunk metadata: "1" when scan_chunk flagged it
INJECTION_SCORE = "injection_score"
EMBEDDING_MODEL = "embedding_model"  # document metadata: the model its stored vectors came from


@runtime_checkable
class StoredVectors(Protocol):
    """Optional store capability: a document's stored chunks with their vectors."""

    def document_vectors(self, tenant: str, document_id: str) -> list[tuple[Chunk, Vector]]: ...


@dataclass(slots=True)
class _Job:
    """One document on its way through ``ingest_paths`` / ``ingest_bytes``."""

    source: str
    doc_id: str
    tenant: str
    data: bytes
    metadata: dict[str, str]
    fingerprint: str = ""
    known: dict[str, Vector] = field(default_factory=dict)

    def result(
        self, status: IngestStatus, reason: str = "", chunks: int = 0, *, code: str = ""
    ) -> IngestResult:
        return IngestResult(self.source, self.doc_id, status, chunks, len(self.data), reason, code)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A parsed, chunked and embedded document, ready to commit."""

    record: DocumentRecord
    chunks: list[Chunk]
    vectors: Matrix
    reused: int


@dataclass(frozen=True, slots=True)
class IngestResult:
    source: str
    document_id: str
    status: IngestStatus
    chunks: int = 0
    bytes: int = 0
    reason: str = ""
    code: str = ""
    reused: int = 0  # chunks whose stored vector was kept instead of re-embedded


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
        workers: int = 2,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._detector = detector
        self._chunk_size = chunk_size
        self._chunk_overlap = chunk_overlap
        self._clock = clock
        self._model_checked = False
        self._scan_chunks = scan_chunks
        self._workers = max(1, workers)

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
        job = _Job(source, document_id or document_id_for(source), tenant, data, metadata or {})
        return self._finish(job, self._start(job, None))

    def ingest_paths(
        self,
        paths: Iterable[Path],
        *,
        tenant: str,
        on_result: Callable[[IngestResult], None] | None = None,
        exclude: Sequence[str] = (),
    ) -> list[IngestResult]:
        """Ingest files and directories (recursively, supported types only), in order.

        Files a directory's ``.xinignore`` or an ``exclude`` pattern leaves out are not read
        (``xin.services.source_ignore``).

        The store checks and commits stay on this thread; parsing, chunking and embedding
        run on ``workers`` threads, at most ``2 * workers`` documents in flight."""
        results = []
        pending: deque[tuple[_Job, IngestResult | Future[_Prepared]]] = deque()
        with ThreadPoolExecutor(self._workers, thread_name_prefix="ingest") as pool:
            for path, source, explicit, root in iter_sources_with_roots(paths, exclude):
                job = _Job(source, document_id_for(source), tenant, b"", {})
                if not explicit and path.suffix.lower() not in SUPPORTED_EXTENSIONS:
                    pending.append((job, job.result("skipped", "unsupported file type")))
                else:
                    pending.append((job, self._read(job, path, None if explicit else root, pool)))
                while pending and (len(pending) > 2 * self._workers or not _busy(pending)):
                    results.append(self._finish(*pending.popleft()))
                    if on_result is not None:
                        on_result(results[-1])
            while pending:
                results.append(self._finish(*pending.popleft()))
                if on_result is not None:
                    on_result(results[-1])
        return results

    def _read(
        self, job: _Job, path: Path, root: Path | None, pool: ThreadPoolExecutor
    ) -> IngestResult | Future[_Prepared]:
        try:
            job.data = path.read_bytes()
        except OSError as exc:
            return job.result("failed", exc.strerror or str(exc))
        # Where the file came from, so `xin ingest --prune` and `xin kb status` can tell a
        # deleted or edited source (xin.services.kb_sync).
        job.metadata[SOURCE_PATH] = str(path.resolve())
        if root is not None:
            job.metadata[SOURCE_ROOT] = str(root.resolve())
        return self._start(job, pool)

    def _start(
        self, job: _Job, pool: ThreadPoolExecutor | None
    ) -> IngestResult | Future[_Prepared]:
        """Model binding, unchanged-content check and reusable vectors (this thread), then
        ``_prepare`` on ``pool`` (or inline)."""
        try:
            if not self._model_checked:
                self._store.ensure_model(self._embedder.model_id, self._embedder.dimension)
                self._model_checked = True
            job.fingerprint = self._fingerprint(job.data)
            existing = self._store.get_document(job.tenant, job.doc_id)
            if existing is not None and existing.content_hash == job.fingerprint:
                return job.result("skipped", "unchanged", existing.chunk_count)
            job.known = self._stored_vectors(existing)
        except DocumentError as exc:
            return job.result("failed", exc.reason, code=exc.code)
        if pool is not None:
            return pool.submit(self._prepare, job)
        done: Future[_Prepared] = Future()
        try:
            done.set_result(self._prepare(job))
        except DocumentError as exc:
            done.set_exception(exc)
        return done

    def _finish(self, job: _Job, step: IngestResult | Future[_Prepared]) -> IngestResult:
        if isinstance(step, IngestResult):
            return step
        try:
            ready = step.result()
            self._store.replace_document(ready.record, ready.chunks, ready.vectors)
        except DocumentError as exc:
            return job.result("failed", exc.reason, code=exc.code)
        return replace(job.result("indexed", chunks=len(ready.chunks)), reused=ready.reused)

    def _stored_vectors(self, existing: DocumentRecord | None) -> dict[str, Vector]:
        """Vectors of the stored version's chunks by embedded-text digest (same model only)."""
        model = self._embedder.model_id
        if existing is None or existing.metadata.get(EMBEDDING_MODEL) != model:
            return {}
        if not isinstance(self._store, StoredVectors):
            return {}
        stored = self._store.document_vectors(existing.tenant, existing.document_id)
        return {_digest(_embed_text(existing.title, c)): vector for c, vector in stored}

    def _prepare(self, job: _Job) -> _Prepared:
        document = load_document(job.data, job.source)
        chunks = chunk_document(
            document,
            tenant=job.tenant,
            document_id=job.doc_id,
            max_chars=self._chunk_size,
            overlap_chars=self._chunk_overlap,
        )
        if not chunks:
            raise EmptyDocument(job.source, "no text to index")
        doc_language = self._detector.detect(document.text[:5000])
        chunks = [
            replace(c, language=_or(self._detector.detect(c.text), doc_language)) for c in chunks
        ]
        if self._scan_chunks:
            chunks = [_scanned(c) for c in chunks]
        texts = [_embed_text(document.title, c) for c in chunks]
        vectors, reused = self._vectors(texts, job.known)
        record = DocumentRecord(
            document_id=job.doc_id,
            tenant=job.tenant,
            source=job.source,
            title=document.title,
            content_hash=job.fingerprint,
            chunk_count=len(chunks),
            indexed_at=self._clock(),
            metadata={
                **document.metadata,
                **job.metadata,
                "language": doc_language,
                EMBEDDING_MODEL: self._embedder.model_id,
            },
        )
        return _Prepared(record, chunks, vectors, reused)

    def _vectors(self, texts: list[str], known: dict[str, Vector]) -> tuple[Matrix, int]:
        """Embed each distinct text once, skipping those with a known vector."""
        digests = [_digest(text) for text in texts]
        missing = list(dict.fromkeys(d for d in digests if d not in known))
        if missing:
            text_of = dict(zip(digests, texts, strict=True))
            fresh = self._embedder.embed_documents([text_of[d] for d in missing])
            known = {**known, **dict(zip(missing, fresh, strict=True))}
        vectors = np.vstack([np.asarray(known[d], dtype=np.float32) for d in digests])
        return vectors, sum(d not in missing for d in digests)


def _busy(pending: deque[tuple[_Job, IngestResult | Future[_Prepared]]]) -> bool:
    """Whether the oldest document in flight is still being prepared."""
    step = pending[0][1]
    return isinstance(step, Future) and not step.done()


def _embed_text(title: str, chunk: Chunk) -> str:
    """What the embedder reads for a chunk: its document's title, headings and text."""
    return f"{title}\n{chunk.heading}\n{chunk.text}".strip()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def iter_sources_with_roots(
    paths: Iterable[Path], exclude: Sequence[str] = ()
) -> Iterable[tuple[Path, str, bool, Path]]:
    """:func:`iter_sources` with the directory (or file) each source was found under."""
    for root in paths:
        for path, source, explicit in iter_sources([root], exclude):
            yield path, source, explicit, root


def iter_sources(
    paths: Iterable[Path], exclude: Sequence[str] = ()
) -> Iterable[tuple[Path, str, bool]]:
    """Files to ingest with their source names and whether they were named explicitly.

    Files inside a directory are named relative to it; hidden files and folders are ignored,
    and so are those the directory's ``.xinignore`` or an ``exclude`` pattern leaves out. A
    file named explicitly is always a source.
    """
    for root in paths:
        if root.is_dir():
            rules = IgnoreRules.for_root(root, exclude)
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                source = path.relative_to(root).as_posix()
                if not _hidden(path, root) and not rules.ignored(source):
                    yield path, source, False
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
