"""Numpy-only logistic regression, folds and threshold calibration for ``train_guard.py``.

Everything here is deterministic: full-batch Adam from zero weights, folds from a hash of
the row id, ties in the calibration broken by fixed rules.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from xin.guard.learned import calibrated_signal, featurize
from xin.guard.policy import GuardPolicy
from xin.guard.scoring import combine
from xin.guard.verdict import LEARNED

FOLDS = 5
STEPS = 400
GAPS = (1.5, 2.0, 2.5)
POLICY = GuardPolicy()

Floats = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


class Design(Protocol):
    n: int
    dim: int

    def subset(self, keep: Mask) -> Design: ...
    def dot(self, w: Floats) -> Floats: ...
    def tdot(self, g: Floats) -> Floats: ...


class Sparse:
    """Rows of hashed character n-gram features as COO arrays."""

    def __init__(self, texts: Sequence[str], dim: int) -> None:
        rows, cols, vals = [], [], []
        for i, text in enumerate(texts):
            index, values = featurize(text, dim)
            rows.append(np.full(index.size, i, dtype=np.int64))
            cols.append(index)
            vals.append(values.astype(np.float64))
        self.n, self.dim = len(texts), dim
        self.rows, self.cols = np.concatenate(rows), np.concatenate(cols)
        self.vals = np.concatenate(vals)

    def subset(self, keep: Mask) -> Sparse:
        new = object.__new__(Sparse)
        renumber = np.cumsum(keep) - 1
        mask = keep[self.rows]
        new.n, new.dim = int(keep.sum()), self.dim
        new.rows, new.cols, new.vals = renumber[self.rows[mask]], self.cols[mask], self.vals[mask]
        return new

    def dot(self, w: Floats) -> Floats:
        out = np.bincount(self.rows, weights=self.vals * w[self.cols], minlength=self.n)
        return out.astype(np.float64)

    def tdot(self, g: Floats) -> Floats:
        out = np.bincount(self.cols, weights=self.vals * g[self.rows], minlength=self.dim)
        return out.astype(np.float64)


class Dense:
    """Rows of dense vectors (sentence embeddings)."""

    def __init__(self, matrix: Floats) -> None:
        self.matrix = matrix
        self.n, self.dim = matrix.shape

    def subset(self, keep: Mask) -> Dense:
        return Dense(self.matrix[keep])

    def dot(self, w: Floats) -> Floats:
        return np.asarray(self.matrix @ w, dtype=np.float64)

    def tdot(self, g: Floats) -> Floats:
        return np.asarray(self.matrix.T @ g, dtype=np.float64)


def fit(x: Design, y: Floats, l2: float, lr: float = 0.05) -> tuple[Floats, float]:
    """L2-regularised logistic regression by full-batch Adam."""
    w, b = np.zeros(x.dim), 0.0
    m, v, mb, vb = np.zeros(x.dim), np.zeros(x.dim), 0.0, 0.0
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, STEPS + 1):
        p = 1.0 / (1.0 + np.exp(-(x.dot(w) + b)))
        g = (p - y) / x.n
        gw, gb = x.tdot(g) + l2 * w, float(g.sum())
        m, v = beta1 * m + (1 - beta1) * gw, beta2 * v + (1 - beta2) * gw * gw
        mb, vb = beta1 * mb + (1 - beta1) * gb, beta2 * vb + (1 - beta2) * gb * gb
        c1, c2 = 1 - beta1**step, 1 - beta2**step
        w -= lr * (m / c1) / (np.sqrt(v / c2) + eps)
        b -= lr * (mb / c1) / (math.sqrt(vb / c2) + eps)
    return w, b


def fold_of(row_id: str) -> int:
    return hashlib.sha256(f"fold:{row_id}".encode()).digest()[0] % FOLDS


def out_of_fold(x: Design, y: Floats, folds: npt.NDArray[np.int64], l2: float) -> Floats:
    oof = np.zeros(x.n)
    for k in range(FOLDS):
        w, b = fit(x.subset(folds != k), y[folds != k], l2)
        oof[folds == k] = 1.0 / (1.0 + np.exp(-(x.subset(folds == k).dot(w) + b)))
    return oof


def best_l2(
    x: Design, y: Floats, folds: npt.NDArray[np.int64], grid: Sequence[float]
) -> tuple[float, Floats, dict[str, float]]:
    """The L2 strength with the lowest out-of-fold log-loss, its predictions, all losses."""
    oofs = {l2: out_of_fold(x, y, folds, l2) for l2 in grid}
    losses = {l2: log_loss(oof, y) for l2, oof in oofs.items()}
    l2 = min(losses, key=lambda k: (losses[k], k))
    return l2, oofs[l2], {str(k): round(v, 4) for k, v in losses.items()}


def log_loss(p: Floats, y: Floats) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def flag_point(p_block: float, gap: float) -> float:
    """The flag calibration point: ``gap`` below ``p_block`` in logit space."""
    z = math.log(p_block / (1 - p_block)) - gap
    return 1.0 / (1.0 + math.exp(-z))


def with_learned(
    base: Sequence[dict[str, float]], oof: Floats, p_block: float, gap: float
) -> list[dict[str, float]]:
    """Each row's signals with this model's ``LEARNED`` signal merged in (max)."""
    p_flag = flag_point(p_block, gap)
    out = []
    for signals, p in zip(base, oof, strict=True):
        merged = dict(signals)
        merged[LEARNED] = max(
            merged.get(LEARNED, 0.0), calibrated_signal(float(p), p_flag, p_block)
        )
        out.append(merged)
    return out


def blocked(signals: Sequence[dict[str, float]], lengths: Sequence[int]) -> npt.NDArray[np.bool_]:
    """Which rows the default policy blocks (``lengths``: characters of each message)."""
    out = []
    for row, length in zip(signals, lengths, strict=True):
        kept = {r: s for r, s in row.items() if s > 0}
        out.append(POLICY.decide(combine(kept), kept, length=length) == "block")
    return np.array(out, dtype=bool)


def calibrate(
    base: Sequence[dict[str, float]],
    oof: Floats,
    y: Floats,
    lengths: Sequence[int],
    max_fpr: float,
) -> tuple[float, float]:
    """(p_block, gap) with the best combined out-of-fold TPR at FPR (blocks) <= max_fpr;
    ties go to the higher ``p_block``, then the smaller gap."""
    candidates = [*sorted({round(float(p), 3) for p in oof if 0.5 <= p < 0.999}), 0.999]
    best: tuple[float, float, float] = (-1.0, 0.999, GAPS[0])
    for gap in GAPS:
        for p_cut in candidates:
            hit = blocked(with_learned(base, oof, p_cut, gap), lengths)
            if float(np.mean(hit[y == 0])) <= max_fpr:
                tpr = float(np.mean(hit[y == 1]))
                if (tpr, p_cut, -gap) > (best[0], best[1], -best[2]):
                    best = (tpr, p_cut, gap)
                break
    return best[1], best[2]
