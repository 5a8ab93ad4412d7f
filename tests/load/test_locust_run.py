"""Locust, headless for a few seconds, against a real ``xin serve`` started by a fixture.

A small knowledge base (two fixture documents, English and Persian) keeps it under ~30 s.
The summary comes from Locust's final CSV (tests.load.run_load).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.load import run_load
from tests.load.scenarios import LoadConfig
from tests.load.server import Server, clean_env, prepare_kb, serve
from xin.config import load_settings
from xin.deps import Container

XIN = (sys.executable, "-c", "from xin.cli.main import run; run()")
DOCUMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "documents"

needs_locust = pytest.mark.skipif(
    importlib.util.find_spec("locust") is None,
    reason="install the bench extra: pip install -e '.[bench]'",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("load-kb")
    subprocess.run(
        [*XIN, "ingest", str(DOCUMENTS / "guide.md"), str(DOCUMENTS / "persian.md")],
        env=clean_env({"XIN_DATA_DIR": str(data_dir)}),
        check=True,
        capture_output=True,
    )
    with serve(data_dir) as running:
        yield running


@pytest.mark.slow
@needs_locust
def test_mixed_profile_for_a_few_seconds_without_failures(server: Server, tmp_path: Path) -> None:
    config = LoadConfig(
        host=server.url,
        users=5,
        spawn_rate=5,
        duration_s=8,
        profile="mixed",
        weights={"chat": 3, "ingest": 1, "health": 1},
    )
    summary = run_load.run(config, tmp_path, timeout_s=90)

    assert (tmp_path / "locust_stats.csv").exists()
    total = summary["total"]
    assert total["requests"] > 0, summary
    assert total["failures"] == 0, summary
    names = set(summary["requests"])
    assert "/chat" in names, summary
    assert names & {"/ingest (json)", "/ingest (upload)"}, summary
    assert names & {"/health", "/metrics"}, summary
    assert total["p95_ms"] is not None and total["p95_ms"] >= total["median_ms"]
    assert summary["exit_code"] == 0


def test_the_summary_counts_what_the_csv_holds(tmp_path: Path) -> None:
    stats = tmp_path / "locust_stats.csv"
    head = (
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
    )
    stats.write_text(
        head + "\n"
        "POST,/chat,40,2,120,150.5,30,900,512,8.0,0.4,120,130,140,150,200,400,600,800,900,900,900\n"
        "GET,/health,10,0,5,6.0,2,20,80,2.0,0,5,5,6,6,8,15,20,20,20,20,20\n"
        ",Aggregated,50,2,100,121.6,2,900,425,10.0,0.4,100,120,130,140,180,380,600,800,900,"
        "900,900\n",
        encoding="utf-8",
    )
    summary = run_load.summarise(stats)
    assert summary["total"]["requests"] == 50
    assert summary["total"]["failures"] == 2
    assert summary["total"]["p95_ms"] == 380
    assert summary["requests"]["/chat"]["p99_ms"] == 800
    assert summary["requests"]["/health"]["method"] == "GET"


@pytest.mark.slow
def test_the_sample_kb_leaves_out_what_docs_xinignore_names(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_bytes((DOCUMENTS / "guide.md").read_bytes())
    (docs / "benchmarks.md").write_text("# Benchmarks\n\np95 was 412 ms.\n", encoding="utf-8")
    seed = tmp_path / "seed"  # e.g. `make run`'s .xin, ingested before the report was ignored
    subprocess.run(
        [*XIN, "ingest", str(docs)],
        env=clean_env({"XIN_DATA_DIR": str(seed)}),
        check=True,
        capture_output=True,
    )
    (docs / ".xinignore").write_text("benchmarks.md\n", encoding="utf-8")

    kb = prepare_kb(tmp_path / "cache", seed=seed, docs=docs)

    store = Container(load_settings(data_dir=kb)).store
    assert [d.document_id for d in store.list_documents("default")] == ["guide.md"]
