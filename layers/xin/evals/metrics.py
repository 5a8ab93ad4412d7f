"""Ranking metrics with trec_eval's conventions, so figures compare with published BEIR ones.

* A document is relevant when its judgement is above 0; unjudged documents count as 0.
* nDCG@k uses the judgement itself as the gain (graded, linear, as ``trec_eval``'s
  ``ndcg_cut`` and BEIR do) and the log2(rank + 1) discount. The ideal ranking is built from
  the qrels, so relevant documents that were never retrieved still lower the score.
* Recall@k is the share of the query's relevant documents found in the top k.
* MRR@k is 1 / the rank of the first relevant document in the top k, or 0.
* :func:`rank_by_score` orders equal scores as ``trec_eval`` does (document id, descending),
  so a run file written from a ranking scores the same here and in ``trec_eval``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def rank_by_score(scores: Mapping[str, float]) -> list[str]:
    """Document ids by descending score; ties by descending document id."""
    return sorted(scores, key=lambda doc_id: (scores[doc_id], doc_id), reverse=True)


def is_judged(judgements: Mapping[str, int]) -> bool:
    """Whether a query has at least one relevant document (otherwise no metric is defined)."""
    return any(grade > 0 for grade in judgements.values())


def _gain(grade: int) -> float:
    return float(grade) if grade > 0 else 0.0


def _dcg(grades: Sequence[int]) -> float:
    return sum(_gain(grade) / math.log2(rank + 1) for rank, grade in enumerate(grades, start=1))


def _check(ranking: Sequence[str], k: int) -> None:
    if k < 1:
        raise ValueError("k must be at least 1")
    if len(set(ranking)) != len(ranking):
        raise ValueError("a ranking must not list a document twice")


def ndcg_at_k(ranking: Sequence[str], judgements: Mapping[str, int], k: int) -> float:
    _check(ranking, k)
    ideal = _dcg(sorted(judgements.values(), reverse=True)[:k])
    if ideal == 0.0:
        return 0.0
    return _dcg([judgements.get(doc_id, 0) for doc_id in ranking[:k]]) / ideal


def recall_at_k(ranking: Sequence[str], judgements: Mapping[str, int], k: int) -> float:
    _check(ranking, k)
    relevant = {doc_id for doc_id, grade in judgements.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def mrr_at_k(ranking: Sequence[str], judgements: Mapping[str, int], k: int) -> float:
    _check(ranking, k)
    for rank, doc_id in enumerate(ranking[:k], start=1):
        if judgements.get(doc_id, 0) > 0:
            return 1.0 / rank
    return 0.0


def standard_metrics(ranking: Sequence[str], judgements: Mapping[str, int]) -> dict[str, float]:
    """The figures ``xin eval retrieval`` reports for one query."""
    return {
        "ndcg@10": ndcg_at_k(ranking, judgements, 10),
        "recall@10": recall_at_k(ranking, judgements, 10),
        "recall@100": recall_at_k(ranking, judgements, 100),
        "mrr@10": mrr_at_k(ranking, judgements, 10),
    }


def mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values) if values else 0.0


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (numpy's default), 0 for no values."""
    if not values:
        return 0.0
    if not 0.0 <= pct <= 100.0:
        raise ValueError("pct must be between 0 and 100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * pct / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
