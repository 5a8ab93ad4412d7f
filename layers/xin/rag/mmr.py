"""Maximal marginal relevance (MMR): diversify the head of a ranked candidate list.

Greedy MMR (Carbonell & Goldstein, 1998) picks, one at a time, the candidate that maximises
``lam × relevance − (1 − lam) × max cosine to the candidates already picked``. Relevance is the
candidate's fused (or reranked) score, min-max scaled over the diversified head so ``lam``
weighs two quantities on comparable scales; similarity is the cosine of the chunks' stored
vectors, min-max scaled over the same head's pairs for the same reason. ``lam = 1`` keeps
the input order. Only the first ``depth`` candidates are reordered; the rest keep their
order behind them.

Each returned hit's ``score`` is its marginal value when it was picked, which never rises
from one pick to the next, so anything that sorts hits by score (for example folding chunks
into documents) keeps the MMR order. The score it came in with stays in ``scores["relevance"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol, runtime_checkable

import numpy as np

from xin.domain import SearchHit
from xin.ports import Matrix


@runtime_checkable
class ChunkVectors(Protocol):
    """A store that can hand back the stored vectors of chunks it returned."""

    def chunk_vectors(self, tenant: str, chunk_ids: Sequence[str]) -> Matrix:
        """One L2-normalised row per id, in order (a zero row for an unknown id)."""
        ...


def mmr_rerank(
    hits: Sequence[SearchHit], vectors: Matrix, *, lam: float, depth: int
) -> list[SearchHit]:
    """Reorder the first ``depth`` of ``hits`` (whose rows in ``vectors`` are aligned) by MMR."""
    if not 0.0 <= lam <= 1.0:
        raise ValueError(f"lam must be within [0, 1], got {lam}")
    head, tail = list(hits[:depth]), list(hits[depth:])
    if len(head) < 2 or lam >= 1.0:
        return head + tail
    raw = np.asarray(vectors, dtype=np.float64)[: len(head)]
    if raw.ndim != 2 or raw.shape[0] != len(head):
        raise ValueError("one vector per diversified hit is required")
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    unit = raw / np.where(norms > 0, norms, 1.0)
    similarity = _scaled_off_diagonal(unit @ unit.T)
    relevance = _scaled([hit.score for hit in head])
    chosen: list[int] = []
    values: list[float] = []
    remaining = list(range(len(head)))
    redundancy = np.full(len(head), -np.inf, dtype=np.float64)
    while remaining:
        penalty = np.where(np.isfinite(redundancy[remaining]), redundancy[remaining], 0.0)
        marginal = lam * relevance[remaining] - (1.0 - lam) * penalty
        best = int(np.argmax(marginal))  # first maximum: ties keep the input order
        picked = remaining.pop(best)
        chosen.append(picked)
        values.append(float(marginal[best]))
        redundancy = np.maximum(redundancy, similarity[picked])
    diversified = [
        replace(head[i], score=value, scores={**head[i].scores, "relevance": head[i].score})
        for i, value in zip(chosen, _non_increasing(values), strict=True)
    ]
    if tail:  # keep the untouched tail below every diversified hit
        floor = diversified[-1].score
        top = tail[0].score
        tail = [
            replace(
                h, score=floor - 1.0 - (top - h.score), scores={**h.scores, "relevance": h.score}
            )
            for h in tail
        ]
    return diversified + tail


def _scaled(scores: Sequence[float]) -> np.ndarray:
    values = np.asarray(scores, dtype=np.float64)
    low, high = float(values.min()), float(values.max())
    if high - low <= 0:
        return np.ones_like(values)
    return (values - low) / (high - low)


def _scaled_off_diagonal(similarity: np.ndarray) -> np.ndarray:
    """Pairwise cosines min-max scaled over the head (the diagonal is never used).

    Embedding models squeeze cosines into narrow bands (e5 puts most passage pairs between
    0.7 and 0.95), which would make the redundancy term almost a constant and ``lam``
    mean something different for every model; scaled, 0 is the head's least similar pair
    and 1 its most similar.
    """
    off = similarity[~np.eye(len(similarity), dtype=bool)]
    low, high = float(off.min()), float(off.max())
    if high - low <= 1e-9:
        return np.zeros_like(similarity)  # every pair alike: nothing to diversify by
    return np.asarray((similarity - low) / (high - low))


def _non_increasing(values: Sequence[float]) -> list[float]:
    """Greedy MMR values never rise in exact arithmetic; clamp float noise so they never do."""
    out: list[float] = []
    for value in values:
        out.append(min(value, out[-1]) if out else value)
    return out
