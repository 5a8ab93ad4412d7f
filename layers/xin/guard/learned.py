"""A learned second opinion: character n-gram logistic regression over the folded text.

The rules (``rules.py``) only fire on concepts somebody wrote down; this scorer generalises
from examples instead. Features are hashed character 1–5-grams of ``fold(text)`` (script
agnostic: Persian, Arabic and Latin alike), weighted ``log(1 + count)`` and L2-normalised;
the model is one weight per hash bucket plus a bias, trained by
``scripts/train_guard.py`` on the *dev* split of ``tests/evals/guard/dev_set.jsonl`` only
(held-out rows never), and shipped as ``guard/learned_guard.npz``. Numpy only, no model
download; a short message costs tens of microseconds.

``LearnedScorer.signal(folded)`` maps the probability to a reason score calibrated on
out-of-fold predictions: ``p_flag`` → 0.45 (flag) and ``p_block`` → 0.75 (block) with the
default policy. Long texts are scored per window (``max`` over windows), so an injection
buried in a long document is not diluted by the rest of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

MODEL_FILE = "learned_guard.npz"
MIN_N, MAX_N = 1, 5
FLAG_SCORE, BLOCK_SCORE = 0.45, 0.75
NOISE_FLOOR = FLAG_SCORE

_MULT = np.uint64(0x100000001B3)  # FNV-1a prime: the rolling hash multiplier
_MIX = np.uint64(0xFF51AFD7ED558CCD)  # murmur3 finaliser constant
_SHIFT = np.uint64(33)


def ngram_hashes(text: str) -> npt.NDArray[np.uint64]:
    """64-bit hashes of every character n-gram (``MIN_N``..``MAX_N``) of `` text ``.

    Deterministic across processes and machines (no Python ``hash``): code points are
    combined with a polynomial rolling hash, salted by ``n``, then finalised (murmur3).
    """
    padded = f" {text} "
    cps = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts: list[npt.NDArray[np.uint64]] = []
    with np.errstate(over="ignore"):
        for n in range(MIN_N, MAX_N + 1):
            count = len(cps) - n + 1
            if count <= 0:
                break
            h = np.full(count, np.uint64(n) * np.uint64(0x9E3779B97F4A7C15), dtype=np.uint64)
            for k in range(n):
                h = (h ^ cps[k : k + count]) * _MULT
            h ^= h >> _SHIFT
            h *= _MIX
            h ^= h >> _SHIFT
            parts.append(h)
    if not parts:
        return np.zeros(0, dtype=np.uint64)
    return np.concatenate(parts)


def featurize(text: str, dim: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Sparse feature vector of ``text``: (bucket indices, ``log1p(count)`` L2-normalised)."""
    buckets = (ngram_hashes(text) & np.uint64(dim - 1)).astype(np.int64)
    if buckets.size == 0:
        return buckets, np.zeros(0, dtype=np.float32)
    index, counts = np.unique(buckets, return_counts=True)
    values = np.log1p(counts).astype(np.float32)
    values /= np.float32(np.linalg.norm(values))
    return index, values


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def calibrated_signal(p: float, p_flag: float, p_block: float) -> float:
    """A probability as a reason score: linear in logit space through (``p_flag``, 0.45)
    and (``p_block``, 0.75) — the default policy's flag and block thresholds — clipped
    to 0.99; below the flag point it is 0: the learned reason only appears when the model
    alone would flag, so ordinary messages carry none."""
    lo, hi = _logit(p_flag), _logit(p_block)
    score = FLAG_SCORE + (_logit(p) - lo) * (BLOCK_SCORE - FLAG_SCORE) / (hi - lo)
    return 0.0 if score < NOISE_FLOOR else round(min(0.99, score), 4)


@dataclass(frozen=True)
class LearnedScorer:
    """Weights, bias and calibration of the shipped model (see the module docstring)."""

    weights: npt.NDArray[np.float32]
    bias: float
    p_flag: float
    p_block: float
    window: int = 600
    overlap: int = 150

    @property
    def dim(self) -> int:
        return int(self.weights.shape[0])

    def probability(self, folded: str) -> float:
        """P(attack) for one folded text (max over windows for a long text)."""
        best = 0.0
        for part in _windows(folded, self.window, self.overlap):
            index, values = featurize(part, self.dim)
            z = float(np.dot(self.weights[index].astype(np.float32), values)) + self.bias
            best = max(best, 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z)))))
        return best

    def signal(self, folded: str) -> float:
        """Reason score in [0, 1] for a folded text (``signal_from_probability``)."""
        return self.signal_from_probability(self.probability(folded))

    def signal_from_probability(self, p: float) -> float:
        return calibrated_signal(p, self.p_flag, self.p_block)


def _windows(text: str, size: int, overlap: int) -> list[str]:
    if len(text) <= size:
        return [text]
    step = size - overlap
    return [text[i : i + size] for i in range(0, len(text) - overlap, step)]


@cache
def load_scorer() -> LearnedScorer | None:
    """The shipped model, loaded once per process; ``None`` if the file is missing."""
    try:
        ref = resources.files("xin.guard").joinpath(MODEL_FILE)
        with resources.as_file(ref) as path, np.load(path) as data:
            return LearnedScorer(
                weights=data["weights"].astype(np.float32),
                bias=float(data["bias"]),
                p_flag=float(data["p_flag"]),
                p_block=float(data["p_block"]),
                window=int(data["window"]),
                overlap=int(data["overlap"]),
            )
    except FileNotFoundError:
        return None
