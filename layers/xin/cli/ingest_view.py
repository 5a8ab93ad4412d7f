"""Progress bar and summary for ``xin ingest``."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from xin.deps import Container
from xin.services.ingestion import IngestResult, iter_sources


def run_ingest(
    container: Container, paths: list[Path], tenant: str, exclude: Sequence[str] = ()
) -> int:
    """Ingest with a live progress bar; print a summary; return the number of failures."""
    console = Console(stderr=True)
    total = sum(1 for _ in iter_sources(paths, exclude))
    results: list[IngestResult] = []
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=total, rate="")

        def on_result(result: IngestResult) -> None:
            results.append(result)
            elapsed = max(time.perf_counter() - started, 1e-6)
            # KB/s counts the bytes actually indexed (unchanged files are skipped cheaply).
            kib = sum(r.bytes for r in results if r.status == "indexed") / 1024
            rate = f"{len(results) / elapsed:.1f} docs/s · {kib / elapsed:.1f} KB/s"
            progress.update(task, advance=1, rate=rate)

        container.ingestion.ingest_paths(paths, tenant=tenant, on_result=on_result, exclude=exclude)
    _summary(console, results, time.perf_counter() - started)
    return sum(r.status == "failed" for r in results)


def _summary(console: Console, results: list[IngestResult], seconds: float) -> None:
    counts = Counter(r.status for r in results)
    chunks = sum(r.chunks for r in results if r.status == "indexed")
    kib = sum(r.bytes for r in results if r.status == "indexed") / 1024
    reused = sum(r.reused for r in results)
    console.print(
        f"indexed {counts['indexed']} · skipped {counts['skipped']} · failed {counts['failed']}"
        f" · {chunks} chunks ({reused} kept their vectors) · {seconds:.1f}s"
        f" · {kib / max(seconds, 1e-6):.1f} KB/s"
    )
    problems = [r for r in results if r.status == "failed" or r.reason != "unchanged"]
    problems = [r for r in problems if r.status != "indexed"]
    if not problems:
        return
    table = Table("status", "document", "reason", show_edge=False)
    for r in problems:
        table.add_row(r.status, r.source, r.reason)
    console.print(table)
