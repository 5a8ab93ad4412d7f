"""A tiny BEIR dataset and the ``xin eval`` CLI group, for tests of the evaluation command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

import pytest
import typer

from xin.cli.eval_retrieval import register

TINY_CORPUS: list[dict[str, Any]] = [
    {
        "_id": "helm#rollback",
        "title": "Rolling back",
        "text": "Run helm rollback xin to return to the previous revision of the release.",
    },
    {
        "_id": "ports/8000",
        "title": "Port in use",
        "text": "If port 8000 is busy, start the server with xin serve --port 8080.",
    },
    {
        "_id": "fa-memory",
        "title": "حافظهٔ گفت‌وگو",
        "text": "شین شش نوبت آخر هر گفت‌وگو را برای هر session_id نگه می‌دارد.",
    },
]
TINY_QUERIES: list[dict[str, Any]] = [
    {"_id": "q1", "text": "How do I undo a bad helm upgrade?", "lang": "en"},
    {"_id": "q2", "text": "شین چند نوبت از گفت‌وگو را به خاطر می‌سپارد؟", "lang": "fa"},
    {"_id": "q3", "text": "A question nobody judged", "lang": "en"},
]
TINY_QRELS = ["q1\thelm#rollback\t2", "q2\tfa-memory\t2", "q2\tports/8000\t0"]


Records = list[dict[str, Any]]


class DatasetMaker(Protocol):
    def __call__(
        self,
        name: str,
        corpus: Records | None = None,
        queries: Records | None = None,
        qrels: list[str] | None = None,
    ) -> Path: ...


def write_dataset(directory: Path, corpus: Records, queries: Records, qrels: list[str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "qrels").mkdir(exist_ok=True)
    for name, records in (("corpus.jsonl", corpus), ("queries.jsonl", queries)):
        lines = [json.dumps(record, ensure_ascii=False) + "\n" for record in records]
        (directory / name).write_text("".join(lines), encoding="utf-8")
    header = "query-id\tcorpus-id\tscore"
    (directory / "qrels" / "test.tsv").write_text("\n".join([header, *qrels]) + "\n", "utf-8")
    return directory


@pytest.fixture
def make_dataset(tmp_path: Path) -> DatasetMaker:
    """Writes a BEIR dataset under tmp_path; each part defaults to the tiny dataset's."""

    def make(
        name: str,
        corpus: Records | None = None,
        queries: Records | None = None,
        qrels: list[str] | None = None,
    ) -> Path:
        return write_dataset(
            tmp_path / name,
            TINY_CORPUS if corpus is None else corpus,
            TINY_QUERIES if queries is None else queries,
            TINY_QRELS if qrels is None else qrels,
        )

    return make


@pytest.fixture
def tiny_dataset(make_dataset: DatasetMaker) -> Path:
    return make_dataset("tiny")


@pytest.fixture
def eval_cli() -> typer.Typer:
    """A throwaway ``xin``-like app whose ``eval`` group holds only the retrieval command."""
    app = typer.Typer()
    eval_app = typer.Typer()
    register(eval_app)
    app.add_typer(eval_app, name="eval")
    return app
