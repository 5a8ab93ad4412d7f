"""``xin kb``: the knowledge base, document by document.

``kb_app`` is the sub-application; further commands (delete, reindex, ...) are added to it
with ``@kb_app.command()`` in this module or one registered beside it.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from xin.services.kb_status import DocumentStatus

kb_app = typer.Typer(help="Inspect and manage the knowledge base.", no_args_is_help=True)

StateFilter = Annotated[
    list[str] | None,
    typer.Option("--state", "-s", help="Only documents in this state (repeatable)."),
]


@kb_app.command("status")
def status(
    tenant: Annotated[
        str | None, typer.Option("--tenant", "-t", help="Tenant (default: default_tenant).")
    ] = None,
    all_tenants: Annotated[
        bool, typer.Option("--all-tenants", help="Every tenant with recorded documents.")
    ] = False,
    state: StateFilter = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List documents with their ingestion state, chunk count, last indexed time and reason."""
    from xin.cli.main import _settings
    from xin.deps import Container
    from xin.errors import XinError
    from xin.services.kb_status import document_statuses

    settings = _settings()
    container = Container(settings)
    try:
        tenants = [tenant or settings.default_tenant]
        if all_tenants:
            tenants += sorted({r.tenant for r in container.ingest_status.list()})
        rows = document_statuses(container.store, container.ingest_status, tenants)
    except XinError as exc:
        typer.secho(f"error: {exc.message}", err=True, fg="red")
        raise typer.Exit(1) from None
    if state:
        rows = [r for r in rows if r.state in state]
    if as_json:
        out = [r.as_json() for r in rows]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    _print_table(rows)


def _when(timestamp: float | None) -> str:
    if not timestamp:
        return "-"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _print_table(rows: list[DocumentStatus]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not rows:
        console.print("no documents")
        return
    table = Table("tenant", "document", "state", "chunks", "last indexed (UTC)", "reason")
    colours = {"indexed": "green", "failed": "red", "pending": "yellow", "deleted": "dim"}
    for r in rows:
        colour = colours.get(r.state, "")
        table.add_row(
            r.tenant,
            r.document_id,
            f"[{colour}]{r.state}[/]" if colour else r.state,
            str(r.chunk_count),
            _when(r.indexed_at),
            r.reason,
        )
    console.print(table)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.state] = counts.get(r.state, 0) + 1
    console.print(" · ".join(f"{state} {n}" for state, n in sorted(counts.items())))


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.add_typer(kb_app, name="kb")
