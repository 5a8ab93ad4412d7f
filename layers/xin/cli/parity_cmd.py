"""``xin parity``: compare two embedding providers on a BEIR-format dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from xin.errors import XinError

PROVIDER_HELP = (
    "e5-small | minilm | bedrock-titan[:model] | bedrock-cohere[:model] | openai:MODEL "
    "(openai uses XIN_OPENAI__BASE_URL and the openai-api-key secret, e.g. a Hooshpod endpoint)"
)


def _embedder(spec: str) -> Any:
    from xin.adapters.providers import build_embedder
    from xin.config import load_settings
    from xin.deps import Container

    provider, _, model = spec.partition(":")
    embedding: dict[str, Any] = {"provider": provider, "query_cache_size": 0}
    if model:
        embedding["model"] = model
    settings = load_settings(embedding=embedding)
    container = Container(settings)
    return build_embedder(settings, lambda: container.secrets)


def parity(
    a: Annotated[str, typer.Option("--a", help=PROVIDER_HELP)],
    b: Annotated[str, typer.Option("--b", help=PROVIDER_HELP)],
    dataset: Annotated[Path, typer.Option(help="BEIR dataset directory.", exists=True)],
    out: Annotated[Path, typer.Option(help="Where the report and plots are written.")],
    k: Annotated[int, typer.Option(help="Depth for top-k overlap and rank correlation.")] = 10,
) -> None:
    """Compare two embedders: nDCG@10 of each, top-k overlap, Spearman/Kendall, cosines."""
    from xin.parity.compare import compare, embed_all
    from xin.parity.dataset import load_dataset
    from xin.parity.report import summary, write_report

    try:
        data = load_dataset(dataset)
        run_a = embed_all(a, _embedder(a), data)
        run_b = embed_all(b, _embedder(b), data)
    except XinError as exc:
        typer.secho(f"error: {exc.message}", err=True, fg="red")
        raise typer.Exit(2) from None
    result = compare(run_a, run_b, data, k=k)
    path = write_report(result, str(dataset), out)
    for name, value in summary(result).items():
        typer.echo(f"{name:>18}: {value:.3f}")
    typer.echo(f"report: {path}")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.command(name="parity")(parity)
