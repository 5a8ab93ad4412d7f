"""``xin ingest`` tells the operator how fast it went and how many chunks kept their vectors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xin.cli.main import app

GUIDE = (
    "# Guide\n\n## Refunds\n\nRefunds are paid within 14 days by bank transfer.\n\n"
    "## Shipping\n\nParcels ship from the Tehran warehouse every Monday morning.\n"
)


def test_reingesting_an_edited_doc_reports_kept_vectors_and_a_rate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIN_DATA_DIR", str(tmp_path / "data"))
    source = tmp_path / "kb"
    source.mkdir()
    (source / "guide.md").write_text(GUIDE, encoding="utf-8")
    first = CliRunner().invoke(app, ["ingest", str(source)])
    assert first.exit_code == 0, first.output
    summary = " ".join(first.output.split())  # rich wraps long lines
    found = re.search(r"(\d+) chunks \(0 kept their vectors\)", summary)
    assert found is not None, summary
    chunks = int(found[1])
    assert chunks >= 2
    assert re.search(r"\d+\.\d KB/s", summary)

    (source / "guide.md").write_text(GUIDE.replace("14 days", "30 days"), encoding="utf-8")
    again = CliRunner().invoke(app, ["ingest", str(source)])
    assert again.exit_code == 0, again.output
    summary = " ".join(again.output.split())
    assert f"{chunks} chunks ({chunks - 1} kept their vectors)" in summary, summary
