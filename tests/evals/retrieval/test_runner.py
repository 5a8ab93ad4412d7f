"""The evaluation runner's building blocks, and its promise to leave the user's data alone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from xin.domain import Chunk, SearchHit
from xin.evals.beir import CorpusDoc, load_beir
from xin.evals.retrieval_eval import (
    documents_by_best_chunk,
    evaluate_retrieval,
    markdown_for,
    source_for,
)
from xin.evals.trec import format_run


def hit(document_id: str, chunk: int, score: float) -> SearchHit:
    return SearchHit(
        chunk=Chunk(f"{document_id}:{chunk}", document_id, "eval", chunk, "text"), score=score
    )


def test_a_document_scores_as_its_best_chunk_and_only_the_top_k_are_kept() -> None:
    hits = [hit("a", 0, 0.9), hit("b", 0, 0.8), hit("a", 1, 0.95), hit("c", 0, 0.7)]
    assert documents_by_best_chunk(hits, 2) == [("a", 0.95), ("b", 0.8)]
    assert documents_by_best_chunk(hits, 10) == [("a", 0.95), ("b", 0.8), ("c", 0.7)]
    assert documents_by_best_chunk([], 10) == []


def test_a_corpus_document_becomes_markdown_with_its_title_as_h1() -> None:
    assert markdown_for(CorpusDoc("d", "Guide —\nInstall", "Body.")) == "# Guide — Install\n\nBody."
    assert markdown_for(CorpusDoc("d", "", "Body.")) == "Body."
    assert source_for("fa/faq.md#چطور-شین?x=1") == "fa_faq.md_چطور-شین_x_1.md"


def test_run_file_lines_follow_the_trec_format() -> None:
    text = format_run([("q1", [("d1", 0.5), ("d2", 0.25)]), ("q2", [])], "xin")
    assert text == "q1 Q0 d1 1 0.5 xin\nq1 Q0 d2 2 0.25 xin\n"
    with pytest.raises(ValueError, match="one non-empty word"):
        format_run([], "two words")


def test_the_users_data_dir_and_store_are_never_touched(
    make_dataset: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_dir = tmp_path / "user-data"
    monkeypatch.setenv("XIN_DATA_DIR", str(user_dir))
    monkeypatch.setenv("XIN_STORE__SQLITE_PATH", str(user_dir / "xin.db"))
    monkeypatch.setenv("XIN_STORE__BACKEND", "opensearch")
    report = evaluate_retrieval(load_beir(make_dataset("tiny")), top_k=5)
    assert report.docs == 3
    assert not user_dir.exists()
    assert json.dumps(report.to_json())  # plain JSON types only
