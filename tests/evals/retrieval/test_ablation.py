"""The ablation building blocks and ``scripts/retrieval_ablation.py`` on the tiny dataset."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from tests.evals.retrieval.conftest import DatasetMaker
from xin.evals.ablation import (
    IndexVariant,
    MemoEmbedder,
    RetrievalVariant,
    built_index,
    figures,
    id_half,
    merged,
    retriever_for,
)
from xin.evals.beir import load_beir
from xin.evals.retrieval_eval import TENANT, RetrievalReport, judged_queries, run_queries
from xin.ports import Matrix, Vector

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "retrieval_ablation.py"


class CountingEmbedder:
    """Bag-of-words vectors; counts the texts it was asked to embed."""

    dimension = 64
    model_id = "counting-test/64"

    def __init__(self) -> None:
        self.documents = 0
        self.queries = 0

    def _vector(self, text: str) -> Vector:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for word in text.lower().split():
            vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        return vector / (float(np.linalg.norm(vector)) or 1.0)

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        self.documents += len(texts)
        return np.vstack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> Vector:
        self.queries += 1
        return self._vector(text)


def test_memo_embeds_each_text_once_and_reloads_from_its_file(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    memo = MemoEmbedder(inner, tmp_path / "vectors.npz")
    first = memo.embed_documents(["alpha beta", "gamma", "alpha beta"])
    memo.embed_documents(["gamma", "delta"])
    memo.embed_query("alpha beta")
    memo.embed_query("alpha beta")
    assert (inner.documents, inner.queries) == (3, 1)  # alpha beta, gamma, delta; one query
    assert np.allclose(first[0], first[2])
    memo.save()

    again = CountingEmbedder()
    reloaded = MemoEmbedder(again, tmp_path / "vectors.npz")
    assert np.allclose(reloaded.embed_documents(["alpha beta"])[0], first[0])
    reloaded.embed_query("alpha beta")
    assert (again.documents, again.queries) == (0, 0)


def test_id_half_splits_by_the_number_in_the_id() -> None:
    assert [id_half(q) for q in ("en-001", "en-002", "fa-017", "q")] == [
        "odd",
        "even",
        "odd",
        "even",
    ]


def test_merged_merges_nested_settings_key_by_key() -> None:
    base = {"rag": {"chunk_size": 600, "top_k": 5}, "data_dir": "a"}
    assert merged(base, {"rag": {"top_k": 3}}) == {
        "rag": {"chunk_size": 600, "top_k": 3},
        "data_dir": "a",
    }


def test_an_index_without_headings_cannot_match_a_title_only_word(
    make_dataset: DatasetMaker,
) -> None:
    corpus = [
        {"_id": "a", "title": "Quokka care", "text": "Feed them leaves twice a day."},
        {"_id": "b", "title": "Parking", "text": "Cars park in the north lot."},
    ]
    queries = [{"_id": "q1", "text": "quokka", "lang": "en"}]
    dataset = load_beir(make_dataset("titles", corpus, queries, ["q1\ta\t2"]))
    embedder = CountingEmbedder()
    found = {}
    for headings in (True, False):
        variant = IndexVariant("v", headings=headings)
        with built_index(dataset, variant, embedder) as index:
            assert index.failed == []
            store = index.container.store
            found[headings] = [
                h.chunk.document_id for h in store.keyword_search(TENANT, "quokka", 5)
            ]
    assert found == {True: ["a"], False: []}


def test_retrieval_variants_share_one_index_and_are_scored_per_group(
    make_dataset: DatasetMaker,
) -> None:
    dataset = load_beir(make_dataset("tiny"))
    embedder = MemoEmbedder(CountingEmbedder())
    with built_index(dataset, IndexVariant("baseline"), embedder) as index:
        for variant in (RetrievalVariant("base"), RetrievalVariant("rrf", {"fusion": "rrf"})):
            results = run_queries(
                retriever_for(index, variant, None), judged_queries(dataset), dataset.qrels
            )
            groups = figures(RetrievalReport(tuple(results), 3, (), 0, index.ingest_s))
            assert set(groups) == {"all", "en", "fa", "odd", "even"}
            assert groups["all"]["queries"] == 2
    with pytest.raises(Exception, match="chunk vectors"):
        with built_index(dataset, IndexVariant("baseline"), embedder) as index:
            retriever_for(index, RetrievalVariant("mmr", {"mmr_lambda": 0.7}), None)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("retrieval_ablation", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_prints_one_json_object_with_every_chosen_variant(
    make_dataset: DatasetMaker, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = make_dataset("tiny")
    names = "baseline,mmr-0.7,no-reranker,no-stemming"
    code = _script().main(
        ["--dataset", str(dataset), "--quick", "--json", "--no-cache", "--only", names]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert sorted(row["variant"] for row in report["variants"]) == sorted(names.split(","))
    for row in report["variants"]:
        assert set(row["all"]) >= {"ndcg@10", "recall@10", "mrr@10", "p50_ms", "docs@5"}
        assert {"en", "fa", "odd", "even"} <= set(row)
    assert report["variants"][0]["all"]["ndcg@10"] > 0.5  # the tiny set is easy


def test_paired_comparison_counts_wins_and_gives_a_small_p_only_for_a_consistent_gain() -> None:
    paired = _script().paired
    queries = [f"q{i}" for i in range(20)]
    base = dict.fromkeys(queries, 0.5)
    better = {q: 0.6 for q in queries}
    mixed = {q: 0.6 if i % 2 else 0.4 for i, q in enumerate(queries)}
    per_query = {"base": base, "better": better, "mixed": mixed}
    first = {"variant": "base"}
    consistent = paired(per_query, first, {"variant": "better"})
    assert (consistent["wins"], consistent["losses"]) == (20, 0)
    assert consistent["p"] < 0.01
    noisy = paired(per_query, first, {"variant": "mixed"})
    assert (noisy["wins"], noisy["losses"]) == (10, 10)
    assert noisy["p"] > 0.5
    assert paired(per_query, first, first) == {"wins": 0, "losses": 0, "mean_diff": 0.0, "p": 1.0}
