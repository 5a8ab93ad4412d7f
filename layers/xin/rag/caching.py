"""A query-embedding cache that wraps any ``Embedder``.

Chat traffic repeats itself (the same FAQ in many words, the same words from many users).
Query vectors depend only on the model and the text, so they are cached by model id and
normalised text; document embeddings pass straight through.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

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

    def embed_query(self, text: str) -> Vector:
        key = " ".join(normalise(text).split())
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                self.hits += 1
                return cached
        vector = self._inner.embed_query(text)
        vector.setflags(write=False)  # shared between callers
        with self._lock:
            self.misses += 1
            self._cache[key] = vector
            if len(self._cache) > self._max:
                self._cache.popitem(last=False)
        return vector
