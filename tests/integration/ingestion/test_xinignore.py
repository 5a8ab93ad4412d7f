"""``xin ingest`` leaves out what a directory's ``.xinignore`` and ``--exclude`` name, and
``--prune`` removes documents that became left out; the sample knowledge base (docs/) holds no
generated benchmark report."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import DOCS_DIR
from xin.cli.main import app
from xin.config import load_settings
from xin.deps import Container
from xin.services.ingestion import iter_sources

TENANT = "default"


def xin(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def indexed(data_dir: Path) -> list[str]:
    store = Container(load_settings(data_dir=data_dir)).store
    return sorted(d.document_id for d in store.list_documents(TENANT))


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XIN_DATA_DIR", str(tmp_path / "data"))
    source = tmp_path / "kb"
    (source / "results").mkdir(parents=True)
    (source / "refunds.md").write_text("# Refunds\n\nPaid within 14 days.\n", encoding="utf-8")
    (source / "report.md").write_text("# Report\n\np95 was 412 ms.\n", encoding="utf-8")
    (source / "results" / "run.json").write_text('{"p95_ms": 412}', encoding="utf-8")
    return source


def test_ingest_leaves_out_what_xinignore_names(kb: Path, tmp_path: Path) -> None:
    (kb / ".xinignore").write_text("report.md\nresults/\n", encoding="utf-8")
    result = xin("ingest", str(kb))
    assert result.exit_code == 0, result.output
    assert "indexed 1 · skipped 0 · failed 0" in result.output
    assert indexed(tmp_path / "data") == ["refunds.md"]


def test_exclude_adds_patterns_and_prune_removes_what_became_left_out(
    kb: Path, tmp_path: Path
) -> None:
    assert xin("ingest", str(kb)).exit_code == 0
    assert indexed(tmp_path / "data") == ["refunds.md", "report.md", "results/run.json"]

    result = xin("ingest", str(kb), "--exclude", "report.md", "--exclude", "*.json", "--prune")
    assert result.exit_code == 0, result.output
    assert "pruned report.md" in result.output
    assert indexed(tmp_path / "data") == ["refunds.md"]


def test_the_sample_knowledge_base_has_no_generated_benchmark_files() -> None:
    sources = [source for _, source, _ in iter_sources([DOCS_DIR])]
    assert "quickstart.md" in sources
    assert not [s for s in sources if s.startswith("benchmarks")], sources
