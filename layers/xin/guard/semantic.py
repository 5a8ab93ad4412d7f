"""Semantic second opinion: logistic regression on the query embedding chat already computes.

Lexicons and character n-grams only see surface forms; a multilingual sentence embedding
(multilingual-e5-small, the default local retrieval model) places "forget your rules",
"فراموش کن قوانینت را" and "Glöm dina regler" close together, so attacks in phrasings
and languages nobody wrote down still land near known attack intents.

The guard never loads a model for this. The caller passes the embedder it already uses
for retrieval (``InputGuard(embedder=...)``, typically the ``CachedQueryEmbedder``, so
retrieval of the same text is then a cache hit) or a precomputed vector
(``check(text, embedding=...)``). The weights (``guard/semantic_guard.npz``: 384 floats, a
bias, a calibrated threshold and the embedding model id) are trained by
``scripts/train_guard.py --semantic`` on the dev split only, and are ignored when the
embedder's ``model_id`` differs from the one they were trained for. Scoring is one dot
product.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from xin.guard.learned import calibrated_signal

MODEL_FILE = "semantic_guard.npz"


@dataclass(frozen=True)
class SemanticScorer:
    """Weights over one embedding model's vectors, with their calibration points."""

    weights: npt.NDArray[np.float32]
    bias: float
    p_flag: float
    p_block: float
    model_id: str

    def probability(self, vector: npt.ArrayLike) -> float:
        v = np.asarray(vector, dtype=np.float32).reshape(-1)
        if v.shape != self.weights.shape:
            raise ValueError(f"embedding has {v.size} dimensions, expected {self.weights.size}")
        z = float(np.dot(self.weights, v)) + self.bias
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def signal(self, vector: npt.ArrayLike) -> float:
        """Reason score (``learned.calibrated_signal``) for one embedding."""
        return calibrated_signal(self.probability(vector), self.p_flag, self.p_block)


@cache
def load_semantic() -> SemanticScorer | None:
    """The shipped weights, loaded once per process; ``None`` if the file is missing."""
    try:
        ref = resources.files("xin.guard").joinpath(MODEL_FILE)
        with resources.as_file(ref) as path, np.load(path) as data:
            return SemanticScorer(
                weights=data["weights"].astype(np.float32),
                bias=float(data["bias"]),
                p_flag=float(data["p_flag"]),
                p_block=float(data["p_block"]),
                model_id=str(data["model_id"]),
            )
    except FileNotFoundError:
        return None
