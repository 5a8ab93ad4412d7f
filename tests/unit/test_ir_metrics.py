"""nDCG@k, Recall@k and MRR@k against hand-computed values.

Every expected figure below was also produced by trec_eval (pytrec_eval 0.5.11) on the same
qrels and run, so a published BEIR number and ``xin eval retrieval`` mean the same thing.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from xin.evals.metrics import (
    is_judged,
    mean,
    mrr_at_k,
    ndcg_at_k,
    percentile,
    rank_by_score,
    recall_at_k,
    standard_metrics,
)

# a and d answer the question, b partly does, c was judged and found not relevant.
GRADED = {"a": 2, "b": 1, "c": 0, "d": 2}
RANKING = ["b", "x", "a", "c"]  # x is unjudged; d, a perfect answer, was never retrieved


def test_ndcg_uses_graded_gains_log2_discount_and_an_ideal_built_from_the_qrels() -> None:
    dcg = 1 / math.log2(2) + 0 + 2 / math.log2(4) + 0  # b, x, a, c
    ideal = 2 / math.log2(2) + 2 / math.log2(3) + 1 / math.log2(4)  # a/d, d/a, b
    assert ndcg_at_k(RANKING, GRADED, 10) == pytest.approx(dcg / ideal)
    assert ndcg_at_k(RANKING, GRADED, 10) == pytest.approx(0.5316519652587917)


def test_ndcg_cuts_off_both_the_ranking_and_the_ideal_at_k() -> None:
    assert ndcg_at_k(RANKING, GRADED, 1) == pytest.approx(1 / 2)  # b (1) against a perfect 2
    assert ndcg_at_k(RANKING, GRADED, 3) == pytest.approx(ndcg_at_k(RANKING, GRADED, 4))


def test_a_perfect_ranking_scores_one_and_order_among_equal_grades_does_not_matter() -> None:
    assert ndcg_at_k(["a", "d", "b"], GRADED, 10) == pytest.approx(1.0)
    assert ndcg_at_k(["d", "a", "b"], GRADED, 10) == pytest.approx(1.0)
    assert ndcg_at_k(["b", "a", "d"], GRADED, 10) < 1.0


def test_negative_and_zero_grades_give_no_gain_and_are_not_relevant() -> None:
    judgements = {"a": -1, "b": 1, "c": 0}
    assert ndcg_at_k(["a", "b"], judgements, 2) == pytest.approx(1 / math.log2(3))
    assert recall_at_k(["a", "c"], judgements, 2) == 0.0
    assert mrr_at_k(["a", "c", "b"], judgements, 10) == pytest.approx(1 / 3)


def test_recall_counts_relevant_documents_found_in_the_top_k() -> None:
    assert recall_at_k(RANKING, GRADED, 1) == pytest.approx(1 / 3)
    assert recall_at_k(RANKING, GRADED, 3) == pytest.approx(2 / 3)
    assert recall_at_k(["a", "b", "d"], GRADED, 100) == 1.0


def test_mrr_is_the_reciprocal_rank_of_the_first_relevant_document_within_k() -> None:
    assert mrr_at_k(RANKING, GRADED, 10) == 1.0
    assert mrr_at_k(["x", "c", "a"], GRADED, 10) == pytest.approx(1 / 3)
    assert mrr_at_k(["x", "c", "a"], GRADED, 2) == 0.0


def test_ties_are_ordered_like_trec_eval_by_descending_document_id() -> None:
    scores = {"a": 0.5, "b": 0.5, "z": 0.5, "top": 0.9}
    assert rank_by_score(scores) == ["top", "z", "b", "a"]
    ranking = rank_by_score({"a": 0.5, "b": 0.5, "z": 0.5})
    judgements = {"a": 1, "b": 2}
    assert mrr_at_k(ranking, judgements, 10) == 0.5
    assert ndcg_at_k(ranking, judgements, 1) == 0.0
    assert ndcg_at_k(ranking, judgements, 3) == pytest.approx(0.66967181649423)


def test_queries_without_a_relevant_document_are_not_judged() -> None:
    assert not is_judged({})
    assert not is_judged({"a": 0, "b": -1})
    assert is_judged({"a": 0, "b": 1})
    assert ndcg_at_k(["a"], {"a": 0}, 10) == 0.0
    assert recall_at_k(["a"], {}, 10) == 0.0


def test_standard_metrics_names_the_reported_figures() -> None:
    figures = standard_metrics(RANKING, GRADED)
    assert figures == {
        "ndcg@10": pytest.approx(0.5316519652587917),
        "recall@10": pytest.approx(2 / 3),
        "recall@100": pytest.approx(2 / 3),
        "mrr@10": 1.0,
    }


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="twice"):
        ndcg_at_k(["a", "a"], GRADED, 10)
    with pytest.raises(ValueError, match="k must"):
        recall_at_k(["a"], GRADED, 0)
    with pytest.raises(ValueError, match="pct"):
        percentile([1.0], 101)


def test_percentile_interpolates_like_numpy() -> None:
    rng = random.Random(7)
    for size in (1, 2, 5, 20, 101):
        values = [rng.uniform(0.5, 50.0) for _ in range(size)]
        for pct in (0, 50, 95, 100):
            assert percentile(values, pct) == pytest.approx(float(np.percentile(values, pct)))
    assert percentile([], 50) == 0.0
    assert mean([]) == 0.0
    assert mean([1.0, 2.0]) == 1.5


def test_matches_trec_eval_on_random_graded_runs_with_ties() -> None:
    """Cross-check with trec_eval itself when pytrec_eval is installed (not a dependency)."""
    pytrec_eval = pytest.importorskip("pytrec_eval")
    rng = random.Random(13)
    qrels: dict[str, dict[str, int]] = {}
    run: dict[str, dict[str, float]] = {}
    for n in range(200):
        docs = [f"d{i:03d}" for i in rng.sample(range(300), 40)]
        qrels[f"q{n}"] = {d: rng.choice([0, 1, 1, 2, 3]) for d in docs[:12]}
        qrels[f"q{n}"][docs[0]] = 2  # at least one relevant
        pool = docs[rng.randrange(0, 6) :]
        run[f"q{n}"] = {d: float(rng.randrange(0, 15)) for d in pool}  # many ties
    measures = {"ndcg_cut_10", "recall_10", "recall_100"}
    reference = pytrec_eval.RelevanceEvaluator(qrels, measures).evaluate(run)
    top10 = {q: {d: run[q][d] for d in rank_by_score(run[q])[:10]} for q in run}
    rr = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}).evaluate(top10)
    for q, scores in run.items():
        ours = standard_metrics(rank_by_score(scores), qrels[q])
        assert ours["ndcg@10"] == pytest.approx(reference[q]["ndcg_cut_10"], abs=1e-9)
        assert ours["recall@10"] == pytest.approx(reference[q]["recall_10"], abs=1e-9)
        assert ours["recall@100"] == pytest.approx(reference[q]["recall_100"], abs=1e-9)
        assert ours["mrr@10"] == pytest.approx(rr[q]["recip_rank"], abs=1e-9)
