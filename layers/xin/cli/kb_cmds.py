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
    from xin.deps import Container
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
    stale_only: Annotated[
        bool, typer.Option("--stale", help="Only stale documents (source changed or too old).")
    ] = False,
) -> None:
    """List documents with their ingestion state, chunk count, last indexed time, reason and
    staleness (source newer than the index, gone, or older than rag.stale_after_days)."""
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
    stale = _stale_reasons(container, rows, settings.rag.stale_after_days)
    if stale_only:
        rows = [r for r in rows if stale.get((r.tenant, r.document_id))]
    if as_json:
        out = [{**r.as_json(), "stale": stale.get((r.tenant, r.document_id), "")} for r in rows]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    _print_table(rows, stale)


def _stale_reasons(
    container: Container, rows: list[DocumentStatus], stale_after_days: float | None
) -> dict[tuple[str, str], str]:
    """Why each indexed document is stale (source changed or gone, or too old), if it is."""
    from xin.services.kb_sync import stale_reason

    reasons: dict[tuple[str, str], str] = {}
    for tenant in dict.fromkeys(r.tenant for r in rows):
        for record in container.store.list_documents(tenant):
            reason = stale_reason(record, stale_after_days=stale_after_days)
            if reason:
                reasons[tenant, record.document_id] = reason
    return reasons


@kb_app.command("delete")
def delete(
    document_ids: Annotated[list[str], typer.Argument(help="Document ids (see xin kb status).")],
    tenant: Annotated[
        str | None, typer.Option("--tenant", "-t", help="Tenant (default: default_tenant).")
    ] = None,
) -> None:
    """Delete documents and all their chunks from the index (and their status records)."""
    from xin.cli.main import _settings
    from xin.deps import Container

    settings = _settings()
    container = Container(settings)
    chosen = tenant or settings.default_tenant
    missing = 0
    for document_id in document_ids:
        deleted = container.store.delete_document(chosen, document_id)
        recorded = container.ingest_status.delete(chosen, document_id)
        if deleted or recorded:
            typer.echo(f"deleted {document_id}")
        else:
            typer.secho(f"no such document: {document_id}", err=True, fg="red")
            missing += 1
    raise typer.Exit(1 if missing else 0)


@kb_app.command("reindex")
def reindex() -> None:
    """Re-embed every stored chunk with the configured embedding model (one transaction per
    document), then bind the index to that model. Use after changing embedding.provider."""
    from xin.cli.main import _settings
    from xin.deps import Container
    from xin.services.kb_sync import reindex as rebuild

    container = Container(_settings())
    store = container.store
    if not all(hasattr(store, name) for name in ("tenants", "document_chunks", "rebind_model")):
        typer.secho("error: this store backend cannot be reindexed in place", err=True, fg="red")
        raise typer.Exit(2)
    result = rebuild(
        store,
        container.embedder,
        on_document=lambda doc, n: typer.echo(f"reindexed {doc} ({n} chunks)", err=True),
    )
    typer.echo(
        f"reindexed {result.documents} documents, {result.chunks} chunks with "
        f"{container.embedder.model_id} in {result.seconds:.1f} s"
    )


def _when(timestamp: float | None) -> str:
    if not timestamp:
        return "-"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _print_table(rows: list[DocumentStatus], stale: dict[tuple[str, str], str]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not rows:
        console.print("no documents")
        return
    table = Table("tenant", "document", "state", "chunks", "last indexed (UTC)", "stale", "reason")
    colours = {"indexed": "green", "failed": "red", "pending": "yellow", "deleted": "dim"}
    for r in rows:
        colour = colours.get(r.state, "")
        table.add_row(
            r.tenant,
            r.document_id,
            f"[{colour}]{r.state}[/]" if colour else r.state,
            str(r.chunk_count),
            _when(r.indexed_at),
            f"[yellow]{stale[r.tenant, r.document_id]}[/]"
            if (r.tenant, r.document_id) in stale
            else "",
            r.reason,
        )
    console.print(table)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.state] = counts.get(r.state, 0) + 1
    console.print(" · ".join(f"{state} {n}" for state, n in sorted(counts.items())))


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.add_typer(kb_app, name="kb")
