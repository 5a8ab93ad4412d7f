"""The benchmark report: targets met / not met / not measured, the Markdown generated from a
results JSON (fixture), the stamp, the plots, and how bench_all records a step."""

from __future__ import annotations

import copy
import json
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from scripts import bench_all
from scripts.bench_plan import ABLATION_ONLY, BUDGET_S, Step, plan
from scripts.report_bench import render, write_report
from scripts.report_stamp import stamp
from scripts.report_targets import MET, NOT_MEASURED, NOT_MET, evaluate

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "bench_results.json"


@pytest.fixture
def results() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


def _verdicts(results: dict[str, Any]) -> dict[str, tuple[str, float | None]]:
    return {row["target"]: (row["verdict"], row["measured"]) for row in evaluate(results)}


def test_targets_are_judged_on_the_measured_figures(results: dict[str, Any]) -> None:
    verdicts = _verdicts(results)
    assert verdicts["chat p95, 50 concurrent, unique questions"] == (NOT_MET, 1493.6)
    assert verdicts["chat throughput, 50 concurrent, unique questions"] == (NOT_MET, 57.3)
    assert verdicts["chat errors, 50 concurrent, unique questions"] == (NOT_MET, 3)
    assert verdicts["ingestion throughput, end to end"] == (NOT_MET, 31.9)
    assert verdicts["guard + redaction p95 per message"] == (MET, 4.87)
    assert verdicts["cold start: chat (median)"] == (MET, 398.5)
    assert verdicts["cold start: health (median)"] == (NOT_MET, 347.0)
    assert verdicts["soak errors"] == (MET, 0)


def test_bounds_follow_the_wording_of_the_targets(results: dict[str, Any]) -> None:
    # "< 10 %" RSS growth: exactly 10 is not met; "p95 <= 100 ms": exactly 100 is met
    assert _verdicts(results)["soak RSS growth"] == (NOT_MET, 10.0)
    results["steps"]["soak"]["result"]["growth_pct"] = 9.99
    runs = results["steps"]["chat_latency"]["result"]["runs"]
    runs[-1] |= {"p95_ms": 100.0, "rps": 150.0, "errors": 0}
    verdicts = _verdicts(results)
    assert verdicts["soak RSS growth"][0] == MET
    assert verdicts["chat p95, 50 concurrent, unique questions"][0] == MET
    assert verdicts["chat throughput, 50 concurrent, unique questions"][0] == MET
    assert verdicts["chat errors, 50 concurrent, unique questions"][0] == MET


def test_failed_missing_and_absent_figures_are_not_measured(results: dict[str, Any]) -> None:
    verdicts = _verdicts(results)
    assert verdicts["chat p95, 50 concurrent, repeated questions"] == (NOT_MEASURED, None)
    assert verdicts["cold start: ingest (median)"] == (NOT_MEASURED, None)  # no such row
    results["steps"]["chat_latency"]["result"]["runs"].pop()  # no run at 50
    results["steps"]["guard"]["status"] = "timeout"
    verdicts = _verdicts(results)
    assert verdicts["chat p95, 50 concurrent, unique questions"] == (NOT_MEASURED, None)
    assert verdicts["guard + redaction p95 per message"] == (NOT_MEASURED, None)
    assert all(v == (NOT_MEASURED, None) for v in _verdicts({"steps": {}}).values())


def test_markdown_shows_the_stamp_figures_and_verdicts(results: dict[str, Any]) -> None:
    text = render(results)
    assert "`0123456789abcdef0123456789abcdef01234567` (uncommitted changes)" in text
    for stamped in ("2026-11-20T10:00:00Z", "Test CPU 9000", "7.70 GB", "Linux-test", "3.11.7"):
        assert stamped in text
    assert "1.25 / 3.50" in text  # load average before / after
    assert "Measured while other jobs shared the machine." in text
    assert (
        "| chat p95, 50 concurrent, unique questions | <= 100 ms | 1494 ms | **not met** |" in text
    )
    assert "| guard + redaction p95 per message | <= 5 ms | 4.87 ms | **met** |" in text
    assert "| chat errors, 50 concurrent, unique questions | == 0 | 3 | **not met** |" in text
    assert "| unique | 50 | 200 | 3 | 812 | 1494 | 1710 | 870 | 57.3 |" in text
    assert "| /health | 332 | 0 | 9.00 | 31.0 | 48.0 | 5.60 |" in text
    assert "| health | 150 | 347 | 344 | 419 | 462 | 5.00 | 276 | no |" in text
    assert "| cold | 118 | 9 | 140 | 3.71 | 31.9 | 20.4 |" in text
    assert "| 2 | 24 | 48 | 2.50 | 19.2 | 15.0 |" in text
    assert "| 300 | 10 | 5120 | 0 | 17.1 | 640 | 455 | 500 | 503 | 10.0 |" in text


def test_markdown_says_why_a_step_has_no_figures(results: dict[str, Any]) -> None:
    text = render(results)
    assert "_Not measured: step `chat_cached` failed: RuntimeError: xin serve exited" in text
    assert "_Not measured: step `retrieval` missing: scripts/bench_retrieval.py not found._" in text
    assert "_Not measured: step `ablation` timeout: no result within 600s._" in text
    # a message never runs on from a table (Markdown would read it as a row)
    assert re.search(r"\|\n_Not", text) is None


def test_every_figure_follows_the_json(results: dict[str, Any]) -> None:
    changed = copy.deepcopy(results)
    changed["steps"]["chat_latency"]["result"]["runs"][-1]["p95_ms"] = 87.25
    changed["steps"]["ingest"]["result"]["cold"]["kb_per_s"] = 66.6
    text = render(changed)
    assert "| chat p95, 50 concurrent, unique questions | <= 100 ms | 87.2 ms | **met** |" in text
    assert "| ingestion throughput, end to end | >= 50 KB/s | 66.6 KB/s | **met** |" in text
    assert "1494" not in text and "31.9" not in text


def test_an_empty_run_renders_without_inventing_figures() -> None:
    text = render({"steps": {}, "stamp": {}})
    targets = text.split("## Targets", 1)[1].split("## Chat latency", 1)[0]
    assert targets.count("| — | not measured |") == len(evaluate({}))
    body = text.split("## Chat latency", 1)[1].split("## Steps", 1)[0]
    assert not re.search(r"\|\s*\d", body)  # no table cell holds a number


def test_plots_are_written_for_present_data_and_stale_ones_removed(
    results: dict[str, Any], tmp_path: Path
) -> None:
    stale = tmp_path / "benchmarks" / "coldstart.png"
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    del results["steps"]["coldstart"]
    source = tmp_path / "results.json"
    source.write_text(json.dumps(results), encoding="utf-8")
    report = write_report(source, tmp_path / "benchmarks.md", tmp_path / "benchmarks")

    pngs = sorted(p.name for p in (tmp_path / "benchmarks").iterdir())
    assert pngs == ["ingest_sizes.png", "latency.png", "soak_rss.png"]
    assert all((tmp_path / "benchmarks" / p).read_bytes()[:4] == b"\x89PNG" for p in pngs)
    text = report.read_text(encoding="utf-8")
    assert "![chat latency percentiles vs concurrency](benchmarks/latency.png)" in text
    assert "coldstart.png" not in text


def test_stamp_names_the_commit_and_the_machine() -> None:
    stamped = stamp(0.5, None)
    assert re.fullmatch(r"[0-9a-f]{40}", stamped["commit"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamped["date"])
    machine = stamped["machine"]
    assert machine["cores"] == os.cpu_count()
    assert machine["cpu_model"] and machine["os"] and machine["python"].startswith("3.")
    assert machine["memory_gb"] > 0
    assert machine["load_average"]["before"] == 0.5


def _step(argv: list[str], timeout_s: float = 60, script: str = "scripts/bench_all.py") -> Any:
    return bench_all.run_step(Step("probe", script, argv, timeout_s, budget_s=10))


def test_a_step_is_recorded_as_it_went() -> None:
    ok = _step(["-c", 'print("warming up"); print(\'{"p95_ms": 4.2}\')'])
    assert (ok["status"], ok["result"], ok["exit_code"]) == ("ok", {"p95_ms": 4.2}, 0)
    missing = _step(["-c", "pass"], script="scripts/no_such_bench.py")
    assert (missing["status"], missing["result"]) == ("missing", None)
    failed = _step(["-c", "import sys; sys.exit('boom: no model')"])
    assert failed["status"] == "failed" and "boom: no model" in failed["error"]
    slow = _step(["-c", "import time; time.sleep(60)"], timeout_s=1)
    assert slow["status"] == "timeout" and slow["seconds"] < 30


def test_retrieval_scales_show_query_latency(results: dict[str, Any]) -> None:
    scale = {
        "chunks": 10000,
        "insert_kb_per_s": 812.5,
        "store_mb": 21.0,
        "peak_rss_mb": 160,
        "matrix_load_ms": 35.2,
        "query": {"p50_ms": 6.1, "p95_ms": 9.4},
        "keyword": {"p50_ms": 2.2, "p95_ms": 4.0},
        "dense": {"p50_ms": 3.3, "p95_ms": 5.5},
    }
    results["steps"]["retrieval"] = {"status": "ok", "result": {"scales": [scale], "cpus": 2}}
    text = render(results)
    assert "| 10000 | 812 | 21.0 | 160 | 35.2 | 6.10 / 9.40 | 2.20 / 4.00 | 3.30 / 5.50 |" in text


def test_cold_start_prose_follows_the_measured_figures(results: dict[str, Any]) -> None:
    text = render(results).split("## Cold start", 1)[1].split("\n## ", 1)[0]
    assert "embedding threads: 1; tracing off." in text
    assert "- `health`: 347 ms against a 150 ms target (2.3x the target)" in text
    assert "- `chat`: 398 ms against a 400 ms target (within it)" in text
    assert "the first event 276 ms, so its first event dominates." in text

    changed = copy.deepcopy(results)
    coldstart = changed["steps"]["coldstart"]["result"]
    coldstart["xray"] = True
    coldstart["results"][0] |= {"median_ms": 120.0, "import_ms": 90.0, "first_event_ms": 20.0}
    text = render(changed).split("## Cold start", 1)[1].split("\n## ", 1)[0]
    assert "X-Ray tracing on." in text
    assert "- `health`: 120 ms against a 150 ms target (within it)" in text
    assert "so importing its handler dominates." in text


def test_steps_show_their_budget_and_the_run_its_wall_time(results: dict[str, Any]) -> None:
    results["steps"]["guard"]["budget_s"] = 30
    results["run"] = {
        "setup_s": 45.0,
        "steps_s": 735.0,
        "wall_s": 780.0,
        "budget_s": 900,
        "load_1m": {"before": 0.5, "after": 1.5},
    }
    steps = render(results).split("## Steps", 1)[1]
    assert "| step | status | seconds | budget s |" in steps
    assert re.search(r"\| guard \| ok \| [^|]+ \| 30 \|", steps)
    assert (
        "The last whole run took 13.0 min (45.0 s setup, 735 s of steps), within its 15-minute"
        " budget; 1-minute load 0.500 before, 1.50 after." in steps
    )
    results["run"]["wall_s"] = 960.0
    assert "16.0 min (45.0 s setup, 735 s of steps), over its 15-minute" in render(results)


def test_make_bench_plans_every_required_figure_within_its_budget() -> None:
    steps = plan(quick=False, soak=False)
    names = {s.name for s in steps}
    assert {"chat_latency", "load", "coldstart", "ingest_sizes", "retrieval", "guard"} <= names
    assert "soak" not in names  # `make soak`
    assert all((bench_all.REPO / s.script).exists() for s in steps)
    assert all(s.timeout_s >= s.budget_s for s in steps)
    setup_allowance = 120  # venv + pinned dependencies from a fresh clone
    assert sum(s.budget_s for s in steps) + setup_allowance <= BUDGET_S
    retrieval = next(s for s in steps if s.name == "retrieval")
    assert "100000" in retrieval.argv and "10000" in retrieval.argv
    chat = next(s for s in steps if s.name == "chat_latency")
    assert chat.argv[chat.argv.index("--concurrency") + 1] == "1,10,25,50"


def test_the_ablation_step_names_variants_that_exist() -> None:
    from scripts.retrieval_ablation import variants

    index, retrieval, _ = variants(quick=True)
    names = {v.name for v in [*index, *retrieval]}
    assert set(ABLATION_ONLY.split(",")) <= names


def test_the_budget_summary_flags_a_step_over_budget() -> None:
    steps = [Step("fast", "x", [], 60, 30), Step("slow", "x", [], 60, 30)]
    entries = {"fast": {"status": "ok", "seconds": 12.0}, "slow": {"status": "ok", "seconds": 41.0}}
    run: dict[str, Any] = {"wall_s": 60.0, "steps_s": 53.0, "setup_s": 7.0, "budget_s": 900}
    run["load_1m"] = {"before": 1.0, "after": 2.0}
    lines = bench_all._budget_lines(steps, entries, run)
    assert not lines[1].endswith("over budget") and lines[2].endswith("over budget")
    assert lines[-1].startswith("total 60s (steps 53s, setup 7s) of a 900s budget")


def test_a_run_records_its_time_and_keeps_the_last_soak(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = Step("probe", "scripts/bench_all.py", ["-c", "print('{\"ok\": 1}')"], 60, 10)
    soak_step = Step("soak", "scripts/bench_all.py", ["-c", "pass"], 60, 10)
    monkeypatch.setattr(
        bench_all, "plan", lambda quick, soak: [probe, *([soak_step] if soak else [])]
    )
    results = tmp_path / "results.json"
    earlier = {"status": "ok", "result": {"duration_s": 300}, "started": "2026-11-01T00:00:00Z"}
    results.write_text(json.dumps({"steps": {"soak": earlier, "gone": earlier}, "stamp": {}}))
    report = tmp_path / "docs" / "benchmarks.md"
    report.parent.mkdir()
    started = time.time() - 5  # `make bench` began 5 s ago (its setup)
    argv = ["--results", str(results), "--report", str(report), "--started-at", str(started)]

    assert bench_all.main(argv) == 0

    written = json.loads(results.read_text())
    assert written["steps"]["probe"]["result"] == {"ok": 1}
    assert written["steps"]["probe"]["budget_s"] == 10
    assert written["steps"]["soak"]["result"] == {"duration_s": 300}  # `make soak`'s, kept
    assert "gone" not in written["steps"]  # no longer a step
    run = written["run"]
    assert run["steps"] == ["probe"] and run["budget_s"] == BUDGET_S
    assert 5 <= run["setup_s"] < 60
    assert abs(run["wall_s"] - run["setup_s"] - run["steps_s"]) <= 0.11
    assert "The last whole run took" in report.read_text()
