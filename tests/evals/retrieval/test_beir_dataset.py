"""Loading BEIR datasets: the happy path, and a clear error for each kind of broken file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from xin.evals.beir import DatasetError, load_beir

DatasetMaker = Callable[..., Path]  # the make_dataset fixture (see conftest.py)
HEADER = "query-id\tcorpus-id\tscore\n"


def test_loads_corpus_queries_and_graded_qrels(tiny_dataset: Path) -> None:
    dataset = load_beir(tiny_dataset)
    assert list(dataset.corpus) == ["helm#rollback", "ports/8000", "fa-memory"]
    assert dataset.corpus["fa-memory"].title == "حافظهٔ گفت‌وگو"
    assert dataset.queries["q2"].lang == "fa"
    assert dataset.queries["q2"].metadata == {"lang": "fa"}
    assert dataset.qrels == {"q1": {"helm#rollback": 2}, "q2": {"fa-memory": 2, "ports/8000": 0}}


def test_title_is_optional_and_integer_ids_become_strings(make_dataset: DatasetMaker) -> None:
    dataset = load_beir(make_dataset("ints", corpus=[{"_id": 7, "text": "seven"}]))
    assert dataset.corpus["7"].title == ""


@pytest.mark.parametrize(
    ("corpus_line", "message"),
    [
        pytest.param("{not json", "corpus.jsonl: line 4: invalid JSON", id="bad-json"),
        pytest.param('["a list"]', "line 4: expected a JSON object", id="not-an-object"),
        pytest.param('{"text": "x"}', "line 4: missing or invalid '_id'", id="no-id"),
        pytest.param('{"_id": "a b", "text": "x"}', "without spaces", id="space-in-id"),
        pytest.param('{"_id": "x", "text": 3}', "line 4: missing or non-string 'text'", id="text"),
        pytest.param('{"_id": "ports/8000", "text": "x"}', "duplicate _id 'ports/8000'", id="dup"),
    ],
)
def test_malformed_corpus_lines_are_named(
    tiny_dataset: Path, corpus_line: str, message: str
) -> None:
    corpus = tiny_dataset / "corpus.jsonl"
    corpus.write_text(corpus.read_text(encoding="utf-8") + corpus_line + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        load_beir(tiny_dataset)


@pytest.mark.parametrize(
    ("qrels_text", "message"),
    [
        pytest.param("q1\thelm#rollback\t2\n", "line 1: expected the header", id="no-header"),
        pytest.param(HEADER + "q1 helm#rollback 2\n", "line 2: expected 3 tab-", id="spaces"),
        pytest.param(HEADER + "q1\thelm#rollback\thigh\n", "must be an integer", id="score"),
        pytest.param(HEADER + "q1\t\t1\n", "line 2: empty query-id or corpus-id", id="empty-id"),
        pytest.param(
            HEADER + "q1\thelm#rollback\t2\nq1\thelm#rollback\t1\n",
            "line 3: conflicting judgements for q1 / helm#rollback",
            id="conflict",
        ),
        pytest.param("", "line 1: expected the header", id="empty-file"),
    ],
)
def test_malformed_qrels_are_named(tiny_dataset: Path, qrels_text: str, message: str) -> None:
    (tiny_dataset / "qrels" / "test.tsv").write_text(qrels_text, encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        load_beir(tiny_dataset)


def test_blank_lines_a_bom_and_repeated_identical_judgements_are_accepted(
    tiny_dataset: Path,
) -> None:
    qrels = "\ufeffquery-id\tcorpus-id\tscore\nq1\thelm#rollback\t2\n\nq1\thelm#rollback\t2\n"
    (tiny_dataset / "qrels" / "test.tsv").write_text(qrels, encoding="utf-8")
    assert load_beir(tiny_dataset).qrels == {"q1": {"helm#rollback": 2}}


@pytest.mark.parametrize("missing", ["corpus.jsonl", "queries.jsonl", "qrels/test.tsv"])
def test_missing_files_are_named(tiny_dataset: Path, missing: str) -> None:
    (tiny_dataset / missing).unlink()
    with pytest.raises(DatasetError, match=f"{missing}: file not found"):
        load_beir(tiny_dataset)


def test_empty_query_text_and_empty_files_are_rejected(make_dataset: DatasetMaker) -> None:
    blank_query = [{"_id": "q1", "text": "  "}]
    with pytest.raises(DatasetError, match="queries.jsonl: line 1: empty query text"):
        load_beir(make_dataset("blank", queries=blank_query))
    with pytest.raises(DatasetError, match="corpus.jsonl: no documents"):
        load_beir(make_dataset("empty", corpus=[]))


def test_non_utf8_files_are_rejected(tiny_dataset: Path) -> None:
    (tiny_dataset / "queries.jsonl").write_bytes(b'{"_id": "q1", "text": "caf\xe9"}\n')
    with pytest.raises(DatasetError, match="queries.jsonl: not UTF-8"):
        load_beir(tiny_dataset)
