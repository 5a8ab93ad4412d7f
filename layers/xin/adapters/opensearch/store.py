"""OpenSearch implementation of the ``VectorStore`` port (and of the ``HybridSearch`` capability).

Writes go through the alias to one versioned index. ``replace_document`` indexes the new
chunks (ids derive from tenant and chunk id, so unchanged chunks are overwritten in place),
then deletes the document's chunks that are not in the new set, then writes the document
record last: a crash part-way leaves the old record, so the next ingest retries the document
instead of skipping it. Every query carries the tenant filter (see ``queries.scope``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from xin.adapters.opensearch import queries
from xin.adapters.opensearch.bulk import Action, BulkLimits, BulkWriter
from xin.adapters.opensearch.client import RetryPolicy, call_with_retries, status_of
from xin.adapters.opensearch.schema import (
    CHUNK,
    DOCUMENT,
    VECTOR_FIELD,
    HybridMode,
    IndexOptions,
    cosine,
    cosine_from_score,
    index_body,
    index_name,
    normalization_pipeline,
    pick_hybrid_mode,
    rrf_pipeline,
)
from xin.domain import Chunk, DocumentRecord, SearchHit
from xin.errors import ConfigurationError, EmbeddingModelMismatch, StoreUnavailable
from xin.ports import Matrix, Vector

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

_log = logging.getLogger(__name__)
_PAGE = 1000


def _doc_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def chunk_doc_id(tenant: str, chunk_id: str) -> str:
    return _doc_id(CHUNK, tenant, chunk_id)


def record_doc_id(tenant: str, document_id: str) -> str:
    return _doc_id(DOCUMENT, tenant, document_id)


class OpenSearchVectorStore:
    """Implements ``VectorStore`` and ``HybridSearch`` over an ``opensearchpy.OpenSearch``."""

    def __init__(
        self,
        client: OpenSearch,
        *,
        alias: str = "xin-chunks",
        options: IndexOptions | None = None,
        hybrid: HybridMode = "auto",
        rrf_k: int = 60,
        refresh: bool = True,
        bulk: BulkLimits | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        binding_ttl_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self.alias = alias
        self._options = options or IndexOptions()
        self._hybrid_setting: HybridMode = hybrid
        self._hybrid_mode: HybridMode | None = None
        self._rrf_k = rrf_k
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._refresh = refresh and not self._options.serverless
        self._writer = BulkWriter(
            client,
            limits=bulk or BulkLimits(),
            retry=self._retry,
            refresh=self._refresh,
            sleep=sleep,
        )
        self._bound = False
        # (when it was read, the binding): check_model reads the mapping once per TTL, not
        # once per query; an alias moved by another process is seen within binding_ttl_s.
        self._binding_ttl_s = binding_ttl_s
        self._clock = clock
        self._seen: tuple[float, dict[str, Any]] | None = None

    @property
    def pipeline(self) -> str:
        return f"{self.alias}-hybrid"

    def _call(self, what: str, fn: Callable[[], Any]) -> Any:
        return call_with_retries(what, fn, self._retry, sleep=self._sleep)

    # -- model binding and index lifecycle ---------------------------------------------
    def binding(self) -> dict[str, Any] | None:
        """The ``_meta.xin`` of the index behind the alias, or None when there is none yet."""
        try:
            mappings = self._call(
                "get mapping", lambda: self._client.indices.get_mapping(index=self.alias)
            )
        except StoreUnavailable as exc:
            if _not_found(exc):
                return None
            raise
        for index in mappings.values():
            meta = index.get("mappings", {}).get("_meta", {}).get("xin")
            if isinstance(meta, dict):
                return meta
        return {}

    def ensure_model(self, model_id: str, dimension: int) -> None:
        meta = self.binding()
        if meta is None:
            body = index_body(
                alias=self.alias, dimension=dimension, model_id=model_id, options=self._options
            )
            try:
                self._call(
                    "create index",
                    lambda: self._client.indices.create(index=index_name(self.alias, 1), body=body),
                )
            except StoreUnavailable as exc:
                if _error_type(exc) != "resource_already_exists_exception":
                    raise  # (a concurrent ensure_model that won the race is fine)
            meta = self.binding() or {}
        self._seen = (self._clock(), meta)
        self._compare(meta, model_id, dimension)
        self._bound = True

    def check_model(self, model_id: str, dimension: int) -> None:
        """Read-only ``ensure_model``; the binding read is cached for ``binding_ttl_s``."""
        seen = self._seen
        now = self._clock()
        if seen is None or now - seen[0] >= self._binding_ttl_s:
            meta = self.binding()
            if meta is None:  # no index yet: nothing to compare (and nothing to find)
                return
            seen = self._seen = (now, meta)
        self._compare(seen[1], model_id, dimension)

    def _compare(self, meta: dict[str, Any], model_id: str, dimension: int) -> None:
        bound, bound_dimension = meta.get("embedding_model"), str(meta.get("dimension"))
        if bound == model_id and bound_dimension == str(dimension):
            return
        raise EmbeddingModelMismatch(
            str(bound) if bound else "unknown",
            int(bound_dimension) if bound_dimension.isdigit() else None,
            model_id,
            dimension,
            f"rebuild alias '{self.alias}' with the configured model (ingest into a new alias) "
            "or configure the original model again",
        )

    def current_index(self) -> str | None:
        try:
            aliases = self._call(
                "get alias", lambda: self._client.indices.get_alias(name=self.alias)
            )
        except StoreUnavailable as exc:
            if _not_found(exc):
                return None
            raise
        names = sorted(aliases)
        return names[-1] if names else None

    def reindex(self) -> str:
        """Copy the current index into the next version and swap the alias atomically.

        Readers see the old index until the single ``_aliases`` call moves the alias, so a
        reindex (new analyzers, HNSW parameters, shard count) has no downtime.
        """
        current = self.current_index()
        meta = self.binding()
        if current is None or not meta:
            raise ConfigurationError(f"alias '{self.alias}' has no index to reindex")
        version = int(current.rsplit("-v", 1)[1]) + 1 if "-v" in current else 2
        target = index_name(self.alias, version)
        body = index_body(
            alias=None,
            dimension=int(meta["dimension"]),
            model_id=str(meta["embedding_model"]),
            options=self._options,
        )
        self._call("create index", lambda: self._client.indices.create(index=target, body=body))
        self._call(
            "reindex",
            lambda: self._client.reindex(
                body={"source": {"index": current}, "dest": {"index": target}},
                params={"refresh": "true", "wait_for_completion": "true"},
            ),
        )
        self.swap_alias(current, target)
        return target

    def swap_alias(self, old: str, new: str) -> None:
        self._seen = None
        actions = [
            {"remove": {"index": old, "alias": self.alias}},
            {"add": {"index": new, "alias": self.alias, "is_write_index": True}},
        ]
        self._call(
            "swap alias", lambda: self._client.indices.update_aliases(body={"actions": actions})
        )

    # -- writes -------------------------------------------------------------------------
    def replace_document(
        self, record: DocumentRecord, chunks: Sequence[Chunk], vectors: Matrix
    ) -> None:
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk is required")
        if not self._bound and self.binding() is None:
            raise ConfigurationError("call ensure_model() before writing: the index has no model")
        self._bound = True
        millis = int(record.indexed_at * 1000)
        actions: list[Action] = []
        keep: list[str] = []
        for chunk, vector in zip(chunks, vectors, strict=True):
            doc_id = chunk_doc_id(record.tenant, chunk.chunk_id)
            keep.append(doc_id)
            source = _chunk_source(record, chunk, vector, millis)
            actions.append(({"index": {"_index": self.alias, "_id": doc_id}}, source))
        self._writer.write(actions)
        self._delete_chunks(record.tenant, record.document_id, keep)
        record_source = {
            "doc_type": DOCUMENT,
            "tenant": record.tenant,
            "document_id": record.document_id,
            "source": record.source,
            "title": record.title,
            "content_hash": record.content_hash,
            "chunk_count": len(chunks),
            "indexed_at": millis,
            "metadata": dict(record.metadata),
        }
        doc_id = record_doc_id(record.tenant, record.document_id)
        self._writer.write([({"index": {"_index": self.alias, "_id": doc_id}}, record_source)])

    def delete_document(self, tenant: str, document_id: str) -> bool:
        existed = self.get_document(tenant, document_id) is not None
        removed = self._delete_chunks(tenant, document_id, [])
        if existed:
            doc_id = record_doc_id(tenant, document_id)
            self._writer.write([({"delete": {"_index": self.alias, "_id": doc_id}}, None)])
        return existed or removed > 0

    def _delete_chunks(self, tenant: str, document_id: str, keep: Sequence[str]) -> int:
        """Delete the document's chunks not in ``keep`` (search + bulk delete, which also works
        on Serverless, where delete-by-query is not offered)."""
        stale: list[str] = []
        after: list[Any] | None = None
        while True:
            body = queries.stale_chunks(tenant, document_id, keep, _PAGE)
            body["sort"] = ["chunk_id"]  # ascending; the string form is unambiguous in the spec
            if after is not None:
                body["search_after"] = after
            hits = self._search(body)
            stale.extend(hit["_id"] for hit in hits)
            if len(hits) < _PAGE:
                break
            after = hits[-1]["sort"]
        if stale:
            self._writer.write(
                [({"delete": {"_index": self.alias, "_id": i}}, None) for i in stale]
            )
        return len(stale)

    # -- reads --------------------------------------------------------------------------
    def get_document(self, tenant: str, document_id: str) -> DocumentRecord | None:
        hits = self._search(queries.document_records(tenant, 1, document_id))
        return _record(hits[0]["_source"]) if hits else None

    def list_documents(self, tenant: str) -> list[DocumentRecord]:
        records: list[DocumentRecord] = []
        after: list[Any] | None = None
        while True:
            body = queries.document_records(tenant, _PAGE)
            if after is not None:
                body["search_after"] = after
            hits = self._search(body)
            records.extend(_record(hit["_source"]) for hit in hits)
            if len(hits) < _PAGE:
                return records
            after = hits[-1]["sort"]

    def keyword_search(
        self, tenant: str, query: str, k: int, filters: Mapping[str, str] | None = None
    ) -> list[SearchHit]:
        if not query.strip():
            return []
        hits = self._search(queries.keyword_search(tenant, query, k, filters))
        return [_hit(h, float(h["_score"]), {"bm25": float(h["_score"])}) for h in hits]

    def vector_search(
        self, tenant: str, vector: Vector, k: int, filters: Mapping[str, str] | None = None
    ) -> list[SearchHit]:
        hits = self._search(queries.vector_search(tenant, _floats(vector), k, filters))
        found = []
        for h in hits:
            similarity = cosine_from_score(float(h["_score"]), self._options.space_type)
            found.append(_hit(h, similarity, {"dense": similarity}))
        return found

    def hybrid_available(self) -> bool:
        if self._hybrid_mode is None:
            self._hybrid_mode = self._prepare_hybrid()
        return self._hybrid_mode != "client"

    def hybrid_search(
        self,
        tenant: str,
        query: str,
        vector: Vector,
        k: int,
        filters: Mapping[str, str] | None = None,
    ) -> list[SearchHit]:
        floats = _floats(vector)
        body = queries.hybrid_search(tenant, query, floats, k, filters)
        hits = self._search(body, {"search_pipeline": self.pipeline})
        found = []
        for h in hits:
            stored = h["_source"].get(VECTOR_FIELD)
            scores = {"hybrid": float(h["_score"])}
            if isinstance(stored, list) and len(stored) == len(floats):
                scores["dense"] = cosine(floats, [float(x) for x in stored])
            found.append(_hit(h, float(h["_score"]), scores))
        return found

    def ping(self) -> None:
        self._call("ping", lambda: self._client.indices.exists(index=self.alias))

    # -- helpers ------------------------------------------------------------------------
    def _prepare_hybrid(self) -> HybridMode:
        version = None
        if self._hybrid_setting == "auto" and not self._options.serverless:
            try:
                info = self._call("info", self._client.info)
                version = str(info.get("version", {}).get("number", ""))
            except StoreUnavailable:  # no version, no pipeline: fuse on the client
                _log.warning("cannot read the cluster version; using client-side fusion")
        mode = pick_hybrid_mode(self._hybrid_setting, version, serverless=self._options.serverless)
        if mode == "client":
            return mode
        body = rrf_pipeline(self._rrf_k) if mode == "rrf" else normalization_pipeline()
        try:
            self._call(
                "create search pipeline",
                lambda: self._client.search_pipeline.put(id=self.pipeline, body=body),
            )
        except StoreUnavailable as exc:  # e.g. a cluster without the neural-search plugin
            _log.warning("hybrid search pipeline unavailable (%s); using client-side fusion", exc)
            return "client"
        return mode

    def _search(
        self, body: dict[str, Any], params: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        try:
            result = self._call(
                "search",
                lambda: self._client.search(index=self.alias, body=body, params=params or {}),
            )
        except StoreUnavailable as exc:
            if _not_found(exc):
                return []  # nothing was ever indexed: the alias does not exist yet
            raise
        hits: list[dict[str, Any]] = result.get("hits", {}).get("hits", [])
        return hits


def _not_found(exc: StoreUnavailable) -> bool:
    return status_of(exc.__cause__) == 404 if exc.__cause__ is not None else False


def _error_type(exc: StoreUnavailable) -> str:
    info = getattr(exc.__cause__, "info", None)
    error = info.get("error") if isinstance(info, dict) else None
    return str(error.get("type", "")) if isinstance(error, dict) else ""


def _floats(vector: Vector) -> list[float]:
    return [float(x) for x in np.asarray(vector, dtype=np.float32).ravel()]


def _chunk_source(record: DocumentRecord, chunk: Chunk, vector: Any, millis: int) -> dict[str, Any]:
    tags = [t.strip() for t in chunk.metadata.get("tags", "").split(",") if t.strip()]
    body = "\n".join(part for part in (record.title, chunk.heading, chunk.text) if part)
    return {
        "doc_type": CHUNK,
        "tenant": record.tenant,
        "document_id": record.document_id,
        "chunk_id": chunk.chunk_id,
        "ordinal": chunk.ordinal,
        "language": chunk.language,
        "source": record.source,
        "tags": tags,
        "title": record.title,
        "heading": chunk.heading,
        "location": chunk.location,
        "text": chunk.text,
        "body": body,
        "indexed_at": millis,
        "metadata": dict(chunk.metadata),
        VECTOR_FIELD: _floats(vector),
    }


def _record(source: dict[str, Any]) -> DocumentRecord:
    return DocumentRecord(
        document_id=source["document_id"],
        tenant=source["tenant"],
        source=source["source"],
        title=source["title"],
        content_hash=source["content_hash"],
        chunk_count=int(source["chunk_count"]),
        indexed_at=int(source["indexed_at"]) / 1000.0,
        metadata=dict(source.get("metadata") or {}),
    )


def _hit(hit: dict[str, Any], score: float, scores: dict[str, float]) -> SearchHit:
    src = hit["_source"]
    heading = src.get("heading", "")
    chunk = Chunk(
        chunk_id=src["chunk_id"],
        document_id=src["document_id"],
        tenant=src["tenant"],
        ordinal=int(src["ordinal"]),
        text=src.get("text", ""),
        heading_path=tuple(heading.split(" > ")) if heading else (),
        location=src.get("location", ""),
        language=src.get("language", "und"),
        metadata=dict(src.get("metadata") or {}),
    )
    return SearchHit(
        chunk=chunk,
        score=score,
        document_title=src.get("title", ""),
        source=src.get("source", ""),
        scores=scores,
    )
