"""Compare two embedders on one dataset: retrieval quality of each (nDCG@10) and how alike
their rankings and similarity scales are (top-k overlap, Spearman, Kendall, cosines).

Rankings are exact cosine over the whole corpus, so the figures describe the models, not an
index. Rank correlations (Spearman, Kendall tau-b) compare, per query, how the two models
order the whole corpus, then are averaged; top-k overlap says how much the part a user sees
agrees.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from xin.parity.dataset import Dataset
from xin.ports import Embedder


@dataclass(frozen=True, slots=True)
class ModelRun:
    name: str
    model_id: str
    dimension: int
    similarities: np.ndarray  # queries x docs, cosine
    embed_seconds: float


@dataclass
class Comparison:
    a: ModelRun
    b: ModelRun
    k: int
    query_ids: list[str]
    query_langs: list[str]
    ndcg_a: list[float] = field(default_factory=list)
    ndcg_b: list[float] = field(default_factory=list)
    overlap: list[float] = field(default_factory=list)
    spearman: list[float] = field(default_factory=list)
    kendall: list[float] = field(default_factory=list)
    relevant_a: list[float] = field(default_factory=list)
    irrelevant_a: list[float] = field(default_factory=list)
    relevant_b: list[float] = field(default_factory=list)
    irrelevant_b: list[float] = field(default_factory=list)
    score_correlation: float = 0.0


def embed_all(name: str, embedder: Embedder, data: Dataset) -> ModelRun:
    started = time.perf_counter()
    docs = np.asarray(embedder.embed_documents(data.doc_texts), dtype=np.float32)
    queries = np.vstack([embedder.embed_query(q) for q in data.query_texts]).astype(np.float32)
    seconds = time.perf_counter() - started
    docs /= np.clip(np.linalg.norm(docs, axis=1, keepdims=True), 1e-12, None)
    queries /= np.clip(np.linalg.norm(queries, axis=1, keepdims=True), 1e-12, None)
    return ModelRun(name, embedder.model_id, embedder.dimension, queries @ docs.T, seconds)


def ranking(scores: np.ndarray) -> np.ndarray:
    """Document indices, best first (ties by index, so runs are deterministic)."""
    return np.lexsort((np.arange(scores.shape[0]), -scores))


def ndcg_at_k(ranked_ids: Sequence[str], grades: dict[str, int], k: int = 10) -> float:
    """Graded, linear gain; log2 discount; ideal from the judgements (trec_eval's ndcg_cut)."""

    def dcg(values: Sequence[int]) -> float:
        return sum(g / math.log2(rank + 1) for rank, g in enumerate(values, start=1) if g > 0)

    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(d, 0) for d in ranked_ids[:k]]) / ideal if ideal else 0.0


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    if len(x) < 2:
        return 1.0
    rx, ry = _ranks(x), _ranks(y)
    return _pearson(rx, ry)


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float:
    n = len(x)
    if n < 2:
        return 1.0
    concordant = discordant = ties_x = ties_y = 0
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return (concordant - discordant) / denominator if denominator else 1.0


def _ranks(values: Sequence[float]) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    order = np.argsort(array, kind="stable")
    ranks = np.empty(len(array), dtype=np.float64)
    ranks[order] = np.arange(1, len(array) + 1)
    for value in np.unique(array):  # average ranks for ties
        tied = array == value
        ranks[tied] = ranks[tied].mean()
    return ranks


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    x = x - x.mean()
    y = y - y.mean()
    denominator = math.sqrt(float((x * x).sum() * (y * y).sum()))
    return float((x * y).sum() / denominator) if denominator else 1.0


def compare(a: ModelRun, b: ModelRun, data: Dataset, k: int = 10) -> Comparison:
    result = Comparison(a, b, k, list(data.query_ids), list(data.query_langs))
    ids = data.doc_ids
    for qi, query_id in enumerate(data.query_ids):
        grades = data.qrels.get(query_id, {})
        order_a, order_b = ranking(a.similarities[qi]), ranking(b.similarities[qi])
        result.ndcg_a.append(ndcg_at_k([ids[i] for i in order_a], grades))
        result.ndcg_b.append(ndcg_at_k([ids[i] for i in order_b], grades))
        top_a, top_b = set(order_a[:k].tolist()), set(order_b[:k].tolist())
        result.overlap.append(len(top_a & top_b) / k)
        xs = [float(v) for v in a.similarities[qi]]
        ys = [float(v) for v in b.similarities[qi]]
        result.spearman.append(spearman(xs, ys))
        result.kendall.append(kendall_tau_b(xs, ys))
        relevant = np.array([grades.get(d, 0) > 0 for d in ids])
        result.relevant_a.extend(a.similarities[qi][relevant].tolist())
        result.irrelevant_a.extend(a.similarities[qi][~relevant].tolist())
        result.relevant_b.extend(b.similarities[qi][relevant].tolist())
        result.irrelevant_b.extend(b.similarities[qi][~relevant].tolist())
    result.score_correlation = _pearson(
        a.similarities.ravel().astype(np.float64), b.similarities.ravel().astype(np.float64)
    )
    return result


def auc(relevant: Sequence[float], irrelevant: Sequence[float]) -> float:
    """P(a relevant pair scores above an irrelevant one): how well cosines separate them."""
    if not relevant or not irrelevant:
        return 0.0
    scores = np.concatenate([np.asarray(relevant), np.asarray(irrelevant)])
    ranks = _ranks(scores.tolist())
    positives = len(relevant)
    rank_sum = float(ranks[:positives].sum())
    return (rank_sum - positives * (positives + 1) / 2) / (positives * len(irrelevant))
