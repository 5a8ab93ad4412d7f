"""``xin eval retrieval`` end to end on a tiny BEIR dataset (real model, temporary store)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner


def test_json_report_and_trec_run_file(
    eval_cli: typer.Typer, tiny_dataset: Path, tmp_path: Path
) -> None:
    run_file = tmp_path / "run.trec"
    args = ["eval", "retrieval", "--dataset", str(tiny_dataset), "--json", "--top-k", "2"]
    result = CliRunner().invoke(eval_cli, [*args, "--run-out", str(run_file)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["queries"] == 2  # q3 has no qrels
    assert report["skipped_queries"] == 1
    assert report["docs"] == 3
    assert report["failed_docs"] == 0
    assert report["ndcg@10"] == 1.0  # both questions find their only relevant document first
    assert report["mrr@10"] == 1.0
    assert set(report["by_lang"]) == {"en", "fa"}
    assert report["by_lang"]["fa"]["queries"] == 1

    lines = [line.split() for line in run_file.read_text(encoding="utf-8").splitlines()]
    assert [(q, rank) for q, _, _, rank, _, _ in lines] == [
        ("q1", "1"),
        ("q1", "2"),
        ("q2", "1"),
        ("q2", "2"),
    ]
    assert all(len(line) == 6 and line[1] == "Q0" and line[5] == "xin" for line in lines)
    assert lines[0][2] == "helm#rollback"  # corpus ids survive as document ids
    assert lines[2][2] == "fa-memory"
    q1_scores = [float(line[4]) for line in lines if line[0] == "q1"]
    assert q1_scores == sorted(q1_scores, reverse=True)


def test_plain_output_is_a_readable_table(eval_cli: typer.Typer, tiny_dataset: Path) -> None:
    result = CliRunner().invoke(eval_cli, ["eval", "retrieval", "--dataset", str(tiny_dataset)])
    assert result.exit_code == 0, result.output
    for label in ("nDCG@10", "Recall@10", "Recall@100", "MRR@10", "p50", "p95", "fa"):
        assert label in result.stdout
    assert "1 without qrels skipped" in result.stdout


def test_a_malformed_dataset_fails_fast_naming_file_and_line(
    eval_cli: typer.Typer, tiny_dataset: Path
) -> None:
    queries = tiny_dataset / "queries.jsonl"
    queries.write_text(queries.read_text(encoding="utf-8") + '{"_id": "q9"}\n', encoding="utf-8")
    result = CliRunner().invoke(eval_cli, ["eval", "retrieval", "--dataset", str(tiny_dataset)])
    assert result.exit_code == 2
    assert "queries.jsonl: line 4: missing or non-string 'text'" in result.output


def test_a_missing_dataset_is_an_error(eval_cli: typer.Typer, tmp_path: Path) -> None:
    args = ["eval", "retrieval", "--dataset", str(tmp_path / "nope"), "--json"]
    result = CliRunner().invoke(eval_cli, args)
    assert result.exit_code == 2
    assert "not a directory" in result.output
    assert result.stdout == ""


def test_an_unwritable_run_file_is_refused_before_the_slow_part(
    eval_cli: typer.Typer, tiny_dataset: Path, tmp_path: Path
) -> None:
    run_out = tmp_path / "missing-dir" / "run.trec"
    args = ["eval", "retrieval", "--dataset", str(tiny_dataset), "--run-out", str(run_out)]
    result = CliRunner().invoke(eval_cli, args)
    assert result.exit_code == 2
    assert "no such directory for --run-out" in result.output


def test_a_dataset_without_any_judged_query_is_an_error(
    eval_cli: typer.Typer, tiny_dataset: Path
) -> None:
    (tiny_dataset / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq1\thelm#rollback\t0\n", encoding="utf-8"
    )
    result = CliRunner().invoke(eval_cli, ["eval", "retrieval", "--dataset", str(tiny_dataset)])
    assert result.exit_code == 2
    assert "no query" in result.output
