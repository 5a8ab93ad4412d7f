"""``xin eval retrieval``: score Xin's retrieval on a BEIR-format dataset."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from xin.errors import XinError

RUN_TAG = "xin"


def register(eval_app: typer.Typer) -> None:
    """Add the ``retrieval`` command to the ``xin eval`` group."""
    eval_app.command("retrieval")(retrieval)


def retrieval(
    dataset: Annotated[
        Path,
        typer.Option(
            "--dataset",
            help="BEIR folder: corpus.jsonl, queries.jsonl and qrels/test.tsv.",
            file_okay=False,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    run_out: Annotated[
        Path | None,
        typer.Option(
            "--run-out",
            help="Also write a TREC run file (qid Q0 docid rank score tag).",
            dir_okay=False,
        ),
    ] = None,
    top_k: Annotated[
        int, typer.Option("--top-k", min=1, max=1000, help="Documents ranked per query.")
    ] = 100,
) -> None:
    """Ingest a dataset's corpus into a temporary store and report nDCG@10, Recall@10/100,
    MRR@10 and query latency. Retrieval settings come from the usual sources, so
    XIN_RAG__CANDIDATES=80 (for example) evaluates a tuned retriever."""
    from xin.evals.beir import load_beir
    from xin.evals.retrieval_eval import evaluate_retrieval
    from xin.evals.trec import format_run

    if run_out is not None and not run_out.parent.is_dir():
        typer.secho(f"error: no such directory for --run-out: {run_out.parent}", err=True, fg="red")
        raise typer.Exit(2)
    try:
        data = load_beir(dataset)
        with _progress_bar() as progress:
            report = evaluate_retrieval(data, top_k=top_k, progress=progress)
    except XinError as exc:
        typer.secho(f"error: {exc.message}", err=True, fg="red")
        raise typer.Exit(2) from None
    if report.failed_docs:
        shown = ", ".join(report.failed_docs[:5])
        typer.secho(
            f"warning: {len(report.failed_docs)} documents failed to ingest ({shown})",
            err=True,
            fg="yellow",
        )
    if run_out is not None:
        run_out.write_text(format_run(report.run(), RUN_TAG), encoding="utf-8")
    if as_json:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
        return
    _print_table(report.to_json(), dataset)


@contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A transient progress bar per phase on stderr, so --json output stays clean."""
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(
        *columns, TimeElapsedColumn(), console=Console(stderr=True), transient=True
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done)

        yield update


_ROWS = (
    ("nDCG@10", "ndcg@10", "{:.3f}"),
    ("Recall@10", "recall@10", "{:.3f}"),
    ("Recall@100", "recall@100", "{:.3f}"),
    ("MRR@10", "mrr@10", "{:.3f}"),
    ("latency p50 (ms)", "p50_ms", "{:.1f}"),
    ("latency p95 (ms)", "p95_ms", "{:.1f}"),
    ("queries", "queries", "{}"),
)


def _print_table(figures: dict[str, Any], dataset: Path) -> None:
    console = Console()
    console.print(
        f"{dataset}: {figures['docs']} documents indexed in {figures['ingest_s']:.1f} s, "
        f"{figures['queries']} queries ({figures['skipped_queries']} without qrels skipped)"
    )
    columns: dict[str, dict[str, Any]] = {"all": figures, **figures["by_lang"]}
    table = Table("", *columns, show_edge=False)
    for label, key, template in _ROWS:
        table.add_row(label, *(template.format(column[key]) for column in columns.values()))
    console.print(table)
