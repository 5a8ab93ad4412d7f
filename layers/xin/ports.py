"""Ports: the narrow interfaces the core talks through. Adapters implement them.

Core modules depend on these protocols only; nothing here imports a cloud SDK,
a database driver or an HTTP client.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from xin.domain import Answer, Chunk, DocumentRecord, LoadedDocument, SearchHit, Turn
from xin.ingest_status import Claim, IngestionRecord

Vector = npt.NDArray[np.float32]
Matrix = npt.NDArray[np.float32]


@runtime_checkable
class Loader(Protocol):
    """Parses the bytes of one file into sections. Raises ``DocumentError`` subclasses."""

    extensions: tuple[str, ...]

    def load(self, data: bytes, source: str) -> LoadedDocument: ...


@runtime_checkable
class Embedder(Protocol):
    """Turns text into L2-normalised vectors. ``model_id`` names model and dimension."""

    @property
    def model_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed_documents(self, texts: Sequence[str]) -> Matrix: ...

    def embed_query(self, text: str) -> Vector: ...


@runtime_checkable
class VectorStore(Protocol):
    """Stores chunks with their vectors and searches them, always within one tenant."""

    def ensure_model(self, model_id: str, dimension: int) -> None:
        """Bind the index to an embedding model; raise ``EmbeddingModelMismatch`` if it differs."""
        ...

    def check_model(self, model_id: str, dimension: int) -> None:
        """Read-only: raise ``EmbeddingModelMismatch`` if the index is bound to another model
        or dimension; do nothing while it is bound to none (nothing was ever indexed)."""
        ...

    def replace_document(
        self, record: DocumentRecord, chunks: Sequence[Chunk], vectors: Matrix
    ) -> None:
        """Atomically replace every chunk of ``record.document_id`` for its tenant."""
        ...

    def delete_document(self, tenant: str, document_id: str) -> bool: ...

    def get_document(self, tenant: str, document_id: str) -> DocumentRecord | None: ...

    def list_documents(self, tenant: str) -> list[DocumentRecord]: ...

    def keyword_search(
        self, tenant: str, query: str, k: int, filters: Mapping[str, str] | None = None
    ) -> list[SearchHit]: ...

    def vector_search(
        self, tenant: str, vector: Vector, k: int, filters: Mapping[str, str] | None = None
    ) -> list[SearchHit]: ...

    def ping(self) -> None:
        """Raise ``StoreUnavailable`` when the store cannot serve queries."""
        ...


@runtime_checkable
class Retriever(Protocol):
    def retrieve(
        self, tenant: str, query: str, k: int, filters: Mapping[str, str] | None = None
    ) -> list[SearchHit]: ...


@runtime_checkable
class Generator(Protocol):
    """Composes an answer to ``question`` from retrieved ``hits``."""

    def answer(
        self, question: str, hits: Sequence[SearchHit], language: str, history: Sequence[Turn]
    ) -> Answer: ...


@runtime_checkable
class ConversationStore(Protocol):
    def append(self, tenant: str, session_id: str, turn: Turn) -> None: ...

    def append_turns(self, tenant: str, session_id: str, turns: Sequence[Turn]) -> None:
        """Append ``turns`` in order as one write (a chat turn's question and answer)."""
        ...

    def history(self, tenant: str, session_id: str, limit: int) -> list[Turn]: ...


@runtime_checkable
class LanguageDetector(Protocol):
    def detect(self, text: str) -> str: ...


@runtime_checkable
class SecretSource(Protocol):
    def get(self, name: str) -> str: ...


@runtime_checkable
class Reranker(Protocol):
    """Reorders retrieved hits by relevance to ``query``; returns at most ``top_n`` of them."""

    def rerank(self, query: str, hits: Sequence[SearchHit], top_n: int) -> list[SearchHit]: ...


@runtime_checkable
class HybridSearch(Protocol):
    """Optional store capability: lexical + dense search fused by the store itself.

    ``hybrid_available`` says whether the backend can do it now (an OpenSearch cluster with a
    hybrid search pipeline); when it cannot, the retriever fuses ``keyword_search`` and
    ``vector_search`` on the client instead.
    """

    def hybrid_available(self) -> bool: ...

    def hybrid_search(
        self,
        tenant: str,
        query: str,
        vector: Vector,
        k: int,
        filters: Mapping[str, str] | None = None,
    ) -> list[SearchHit]: ...


@runtime_checkable
class IngestionStatusStore(Protocol):
    """Each document's ingestion state (``pending | indexed | failed | deleted``).

    ``claim`` applies ``xin.ingest_status.decide_claim`` atomically against the stored
    record; ``finish`` writes the outcome only while ``record.claim_token`` still owns it.
    Backends raise ``StoreUnavailable`` when they cannot answer.
    """

    def claim(self, attempt: IngestionRecord, now: float) -> Claim: ...

    def finish(self, record: IngestionRecord) -> bool: ...

    def get(self, tenant: str, document_id: str) -> IngestionRecord | None: ...

    def list(self, tenant: str | None = None) -> list[IngestionRecord]: ...

    def delete(self, tenant: str, document_id: str) -> bool: ...


@runtime_checkable
class ObjectSource(Protocol):
    """Reads one object (an S3 object, a file) by bucket, key and optional version.

    Raises ``NotFound`` when it no longer exists and ``StoreUnavailable`` for anything
    worth retrying (throttling, timeouts, permissions being fixed).
    """

    def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes: ...
