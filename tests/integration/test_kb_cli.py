"""``xin ingest`` / ``xin ask`` / ``xin kb`` end to end, the way an operator uses them: an
edited document changes the answer and leaves no stale chunk, ``--prune`` and ``kb delete``
remove documents, and ``kb reindex`` moves the index to another embedding model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tests.integration.embedding_server import (
    EmbeddingServer,
    embed,
    running_embedding_server,
)
from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.cli.main import app

REFUNDS_V1 = "# Refunds\n\nRefunds are paid within 14 days by bank transfer.\n"
REFUNDS_V2 = "# Refunds\n\nRefunds are paid within 30 days as store credit.\n"
SHIPPING = "# Shipping\n\nParcels ship from the Tehran warehouse every Monday morning.\n"
TENANT = "default"


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A source directory with two documents and a data dir for the CLI."""
    monkeypatch.setenv("XIN_DATA_DIR", str(tmp_path / "data"))
    source = tmp_path / "kb"
    source.mkdir()
    (source / "refunds.md").write_text(REFUNDS_V1, encoding="utf-8")
    (source / "shipping.md").write_text(SHIPPING, encoding="utf-8")
    return source


def xin(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def ask(question: str) -> dict[str, Any]:
    result = xin("ask", question, "--json")
    assert result.exit_code == 0, result.output
    body: dict[str, Any] = json.loads(result.stdout)
    return body


def documents(data_dir: Path) -> dict[str, list[str]]:
    """Every indexed document's chunk texts, read through the store."""
    database = Database(data_dir / "xin.db")
    try:
        store = SqliteVectorStore(database)
        return {
            d.document_id: [c.text for c in store.document_chunks(TENANT, d.document_id)]
            for d in store.list_documents(TENANT)
        }
    finally:
        database.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_editing_a_doc_and_reingesting_changes_the_answer_with_no_stale_chunk(
    kb: Path, data_dir: Path
) -> None:
    assert xin("ingest", str(kb)).exit_code == 0
    before = ask("How long until refunds are paid?")
    assert "14 days" in before["answer"]
    assert before["citations"][0]["document_id"] == "refunds.md"

    (kb / "refunds.md").write_text(REFUNDS_V2, encoding="utf-8")
    again = xin("ingest", str(kb))
    assert again.exit_code == 0
    assert "indexed 1 · skipped 1 · failed 0" in again.output  # only the edited one

    after = ask("How long until refunds are paid?")
    assert "30 days" in after["answer"]
    assert "14 days" not in after["answer"]
    assert all("14 days" not in c["snippet"] for c in after["citations"])
    chunks = documents(data_dir)
    assert not any("14 days" in text for texts in chunks.values() for text in texts)
    assert sorted(chunks) == ["refunds.md", "shipping.md"]


def test_ingest_prune_removes_documents_whose_file_is_gone(kb: Path, data_dir: Path) -> None:
    assert xin("ingest", str(kb)).exit_code == 0
    (kb / "shipping.md").unlink()
    result = xin("ingest", str(kb), "--prune")
    assert result.exit_code == 0, result.output
    assert "pruned shipping.md" in result.output
    assert sorted(documents(data_dir)) == ["refunds.md"]
    status = json.loads(xin("kb", "status", "--json").stdout)
    assert "shipping.md" not in {row["document_id"] for row in status}
    reply = ask("When do parcels ship from the warehouse?")
    assert all(c["document_id"] != "shipping.md" for c in reply["citations"])


def test_without_prune_a_deleted_file_stays_indexed(kb: Path, data_dir: Path) -> None:
    assert xin("ingest", str(kb)).exit_code == 0
    (kb / "shipping.md").unlink()
    assert xin("ingest", str(kb)).exit_code == 0
    assert sorted(documents(data_dir)) == ["refunds.md", "shipping.md"]
    stale = json.loads(xin("kb", "status", "--json", "--stale").stdout)
    assert [(row["document_id"], row["stale"]) for row in stale] == [
        ("shipping.md", "source missing")
    ]


def test_kb_delete_removes_a_document_and_reports_unknown_ones(kb: Path, data_dir: Path) -> None:
    assert xin("ingest", str(kb)).exit_code == 0
    deleted = xin("kb", "delete", "shipping.md")
    assert deleted.exit_code == 0, deleted.output
    assert "deleted shipping.md" in deleted.output
    assert sorted(documents(data_dir)) == ["refunds.md"]
    reply = ask("When do parcels ship from the warehouse?")
    assert all(c["document_id"] != "shipping.md" for c in reply["citations"])

    missing = xin("kb", "delete", "shipping.md")
    assert missing.exit_code == 1
    assert "no such document: shipping.md" in missing.output


E5 = "'multilingual-e5-small-q4/384' (384 dimensions)"  # the default model, as errors name it
QUESTION = "How long until refunds are paid?"


@pytest.fixture
def embeddings() -> Iterator[EmbeddingServer]:
    """A second, real embedding model: the openai provider against a local server."""
    with running_embedding_server() as server:
        yield server


def use_model(
    monkeypatch: pytest.MonkeyPatch,
    server: EmbeddingServer,
    model: str,
    dimensions: int | None = None,
) -> None:
    for name, value in server.environment(model, dimensions).items():
        monkeypatch.setenv(name, value)
    # rag.min_relevance is calibrated for e5's narrow cosine band (docs/hooshpod-parity.md)
    monkeypatch.setenv("XIN_RAG__MIN_RELEVANCE", "0.3")


def one_line_error(result: Result) -> str:
    """The refusal an operator sees: exit 1, one line on stderr besides the JSON log
    records (which go to stderr too), no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # typer.Exit, not an escaped error
    assert "Traceback" not in result.output
    lines = [
        line
        for line in result.stderr.splitlines()
        if line.strip() and not line.startswith('{"level":')
    ]
    assert len(lines) == 1, lines
    return lines[0]


def stored_vectors(data_dir: Path, document_id: str) -> list[tuple[str, list[float]]]:
    database = Database(data_dir / "xin.db")
    try:
        store = SqliteVectorStore(database)
        record = store.get_document(TENANT, document_id)
        assert record is not None
        return [
            (f"{record.title}\n{chunk.heading}\n{chunk.text}".strip(), vector.tolist())
            for chunk, vector in store.document_vectors(TENANT, document_id)
        ]
    finally:
        database.close()


def test_another_embedding_model_cannot_extend_the_index_until_kb_reindex(
    kb: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, embeddings: EmbeddingServer
) -> None:
    assert xin("ingest", str(kb)).exit_code == 0  # the default model (e5-small)
    assert "14 days" in ask(QUESTION)["answer"]

    use_model(monkeypatch, embeddings, "toy-embed")  # 384 dimensions too: only the model differs
    (kb / "returns.md").write_text("# Returns\n\nReturn labels are emailed.\n", "utf-8")
    error = one_line_error(xin("ingest", str(kb)))
    assert E5 in error
    assert "'openai:toy-embed/384' (384 dimensions) is configured" in error
    assert "xin kb reindex" in error
    assert sorted(documents(data_dir)) == ["refunds.md", "shipping.md"]
    assert "xin kb reindex" in one_line_error(xin("ask", QUESTION))  # nor query it

    rebuilt = xin("kb", "reindex")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "reindexed 2 documents, 2 chunks with openai:toy-embed/384" in rebuilt.output
    extended = xin("ingest", str(kb))  # now bound to toy-embed
    assert extended.exit_code == 0, extended.output
    assert sorted(documents(data_dir)) == ["refunds.md", "returns.md", "shipping.md"]

    after = ask(QUESTION)  # answered again, from vectors of the new model
    assert "14 days" in after["answer"]
    assert after["citations"][0]["document_id"] == "refunds.md"
    for document_id in ("refunds.md", "returns.md"):
        for text, vector in stored_vectors(data_dir, document_id):
            expected = embed(text, "toy-embed", 384)
            assert vector == pytest.approx(expected.tolist(), abs=1e-6)

    monkeypatch.delenv("XIN_EMBEDDING__PROVIDER")  # back to e5: now that one is refused
    assert "'openai:toy-embed/384'" in one_line_error(xin("ask", QUESTION))


@pytest.mark.parametrize(
    ("dimensions", "configured"),
    [
        (None, "'openai:toy-embed/384' (384 dimensions)"),  # same dimension, another model
        (256, "'openai:toy-embed/256' (256 dimensions)"),
    ],
)
def test_another_embedding_model_is_refused_at_query_time(
    kb: Path,
    monkeypatch: pytest.MonkeyPatch,
    embeddings: EmbeddingServer,
    dimensions: int | None,
    configured: str,
) -> None:
    assert xin("ingest", str(kb)).exit_code == 0
    use_model(monkeypatch, embeddings, "toy-embed", dimensions)
    error = one_line_error(xin("ask", QUESTION))
    assert error == (
        f"error: the index was built with embedding model {E5}, but {configured} is "
        "configured; run 'xin kb reindex' to re-embed it with the configured model, or "
        "configure the original model again"
    )

    monkeypatch.delenv("XIN_EMBEDDING__PROVIDER")  # the index itself is untouched
    assert "14 days" in ask(QUESTION)["answer"]
