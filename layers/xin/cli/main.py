"""``xin``: serve the API, ingest documents, ask questions — no cloud needed."""

from __future__ import annotations

import json
import sys
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated

import typer

from xin.cli import eval_retrieval
from xin.config import Settings, load_settings
from xin.errors import XinError

app = typer.Typer(
    name="xin",
    help="Xin: grounded answers with citations from your documents.",
    no_args_is_help=True,
    add_completion=False,
)
eval_app = typer.Typer(help="Evaluate retrieval, guardrails and redaction.", no_args_is_help=True)

TenantOption = Annotated[
    str | None, typer.Option("--tenant", "-t", help="Tenant (default: settings.default_tenant).")
]


@app.callback()
def _cli(ctx: typer.Context) -> None:
    """Log lines go to standard error for every command but ``serve``: standard output is
    the command's result (JSON, JSON Lines, an answer) and must parse as such."""
    if ctx.invoked_subcommand != "serve":
        from xin.observability.logging import get_logger, log_to_stderr

        log_to_stderr()
        ctx.call_on_close(lambda: log_to_stderr(False))  # scoped to this command
        get_logger()  # JSON lines from the first record on (child loggers included)


def _settings(**overrides: object) -> Settings:
    try:
        return load_settings(**{k: v for k, v in overrides.items() if v is not None})
    except XinError as exc:
        typer.secho(f"error: {exc.message}", err=True, fg="red")
        raise typer.Exit(2) from None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default: api.host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: api.port).")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the HTTP API and the web chat page."""
    import uvicorn

    from xin.api.app import create_app

    settings = _settings()
    bind_host, bind_port = host or settings.api.host, port or settings.api.port
    if workers > 1:  # each worker process builds its own app from the same settings sources
        limits = settings.rate_limit
        if limits.enabled and limits.backend == "memory":
            typer.secho(
                f"warning: rate_limit.backend is 'memory': each of the {workers} workers keeps "
                "its own buckets, so callers get up to that many times the configured limits "
                "(use the redis backend to share them)",
                err=True,
                fg="yellow",
            )
        uvicorn.run(
            "xin.api.app:create_app",
            factory=True,
            workers=workers,
            log_level="warning",
            access_log=False,
            host=bind_host,
            port=bind_port,
        )
        return
    uvicorn.run(
        create_app(settings), host=bind_host, port=bind_port, log_level="warning", access_log=False
    )


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to ingest.")],
    tenant: TenantOption = None,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="Delete documents ingested from these directories whose file is gone"
            " or is now left out.",
        ),
    ] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            metavar="GLOB",
            help="Leave out files matching this gitignore-style pattern, relative to each"
            " directory (repeatable; added to the directory's .xinignore).",
        ),
    ] = None,
) -> None:
    """Ingest documents. Unchanged documents are skipped; a bad file never stops the rest."""
    from xin.cli.ingest_view import run_ingest
    from xin.deps import Container

    settings = _settings()
    missing = [p for p in paths if not p.exists()]
    if missing:
        typer.secho(f"error: no such file or directory: {missing[0]}", err=True, fg="red")
        raise typer.Exit(2)
    container = Container(settings)
    chosen_tenant = tenant or settings.default_tenant
    try:  # a bad file is counted in ``failed``; this is what stops the whole run
        failed = run_ingest(container, paths, chosen_tenant, exclude or ())
        if prune:
            from xin.services.kb_sync import prune as prune_missing

            removed = prune_missing(container.store, chosen_tenant, paths, exclude or ())
            for document_id in removed:
                typer.echo(f"pruned {document_id}", err=True)
            typer.echo(
                f"pruned {len(removed)} documents whose source is gone or left out", err=True
            )
    except XinError as exc:  # e.g. the index was built with another embedding model
        typer.secho(f"error: {exc.message}", err=True, fg="red")
        raise typer.Exit(1) from None
    raise typer.Exit(1 if failed else 0)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question to ask.")],
    tenant: TenantOption = None,
    session: Annotated[str | None, typer.Option(help="Continue a conversation.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Ask a question and print the answer with its citations."""
    from xin.deps import Container

    settings = _settings()
    container = Container(settings)
    try:
        reply = container.chat.ask(
            question, tenant=tenant or settings.default_tenant, session_id=session
        )
    except XinError as exc:
        typer.secho(f"error: {exc.message}", err=True, fg="red")
        raise typer.Exit(1) from None
    citations = [
        {
            "index": c.index,
            "document_id": c.document_id,
            "title": c.title,
            "source": c.source,
            "location": c.location,
            "snippet": c.snippet,
        }
        for c in reply.answer.citations
    ]
    if as_json:
        out = {
            "answer": reply.answer.text,
            "citations": citations,
            "language": reply.answer.language,
            "grounded": reply.answer.grounded,
            "blocked": reply.blocked,
            "session_id": reply.session_id,
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    typer.echo(reply.answer.text)
    for c in citations:
        where = f" · {c['location']}" if c["location"] else ""
        typer.echo(f"  [{c['index']}] {c['title']} — {c['source']}{where}")


def _register_optional_commands() -> None:
    for module_name in (
        "xin.cli.guard_cmds",
        "xin.cli.keys_cmd",
        "xin.cli.kb_cmds",
        "xin.cli.invoke_cmd",
        "xin.cli.parity_cmd",
    ):
        if find_spec(module_name) is not None:
            import_module(module_name).register(app, eval_app)


_register_optional_commands()
eval_retrieval.register(eval_app)
app.add_typer(eval_app, name="eval")


def run() -> None:
    """Console-script entry point."""
    app()
