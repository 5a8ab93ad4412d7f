"""A query-embedding cache that wraps any ``Embedder``.

Chat traffic repeats itself (the same FAQ in many words, the same words from many users).
Query vectors depend only on the model and the text, so they are cached by model id and
normalised text; document embeddings pass straight through. Whole retrieval results are
cached per tenant, query, filters and store generation (see ``RetrievalCache``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from xin.domain import SearchHit
from xin.ports import Embedder, Matrix, Vector
from xin.rag.text import normalise


class CachedQueryEmbedder:
    """Implements ``Embedder``; an LRU of query vectors in front of another embedder."""

    def __init__(self, inner: Embedder, *, max_entries: int = 4096) -> None:
        self._inner = inner
        self._max = max_entries
        self._cache: OrderedDict[str, Vector] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def model_id(self) -> str:
        return self._inner.model_id

    @property
    def dimension(self) -> int:
        return self._inner.dimension

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        return self._inner.embed_documents(texts)

    def peek(self, text: str) -> Vector | None:
        """The cached vector of ``text`` (counted as a hit), or ``None`` without computing
        it: a caller that would otherwise start a thread for ``embed_query`` asks first."""
        key = " ".join(normalise(text).split())
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                self.hits += 1
            return cached

    def embed_query(self, text: str) -> Vector:
        cached = self.peek(text)
        if cached is not None:
            return cached
        key = " ".join(normalise(text).split())
        vector = self._inner.embed_query(text)
        vector.setflags(write=False)  # shared between callers
        with self._lock:
            self.misses += 1
            self._cache[key] = vector
            if len(self._cache) > self._max:
                self._cache.popitem(last=False)
        return vector


FilterKey = tuple[tuple[str, str], ...]


class RetrievalCache:
    """An LRU of retrieval results keyed by tenant, normalised query, k, filters and the
    store generation; a write to the store bumps the generation, so nothing stale is served."""

    def __init__(self, *, max_entries: int = 1024) -> None:
        self._max = max_entries
        self._cache: OrderedDict[tuple[str, str, int, FilterKey, int], list[SearchHit]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def _key(
        tenant: str, query: str, k: int, filters: Mapping[str, str] | None, generation: int
    ) -> tuple[str, str, int, FilterKey, int]:
        folded = " ".join(normalise(query).split())
        return tenant, folded, k, tuple(sorted((filters or {}).items())), generation

    def get(
        self, tenant: str, query: str, k: int, filters: Mapping[str, str] | None, generation: int
    ) -> list[SearchHit] | None:
        key = self._key(tenant, query, k, filters, generation)
        with self._lock:
            found = self._cache.get(key)
            if found is None:
                self.misses += 1
                return None
            self._cache.move_to_end(key)
            self.hits += 1
            return list(found)

    def put(
        self,
        tenant: str,
        query: str,
        k: int,
        filters: Mapping[str, str] | None,
        generation: int,
        *,
        hits: Sequence[SearchHit],
    ) -> None:
        key = self._key(tenant, query, k, filters, generation)
        with self._lock:
            self._cache[key] = list(hits)
            self._cache.move_to_end(key)
            while len(self._cache) > self._max:
                self._cache.popitem(last=False)
