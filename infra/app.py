"""Entry point: ``cdk synth -c env=prod`` (``cdk.json``) or, without the CDK CLI,
``python -m infra.app -c env=prod`` (what ``make synth`` runs).

cdk-nag's AwsSolutions pack runs as a CDK validation plugin: any finding that ``infra/nag.py``
does not acknowledge makes the synth fail.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from infra.config import from_context
from infra.layer import REPO_ROOT
from infra.stack import XinStack


def cdk_json_context() -> dict[str, Any]:
    """The ``context`` block of ``cdk.json`` (the CDK CLI passes it; plain python does not)."""
    data = json.loads((REPO_ROOT / "cdk.json").read_text(encoding="utf-8"))
    context: dict[str, Any] = data.get("context", {})
    return context


def parse_context_args(argv: Sequence[str]) -> dict[str, str]:
    """``-c key=value`` / ``--context key=value`` pairs, like the CDK CLI."""
    context: dict[str, str] = {}
    args = iter(argv)
    for arg in args:
        if arg in ("-c", "--context"):
            key, sep, value = next(args, "").partition("=")
            if not sep or not key:
                raise SystemExit(f"expected -c key=value after {arg}")
            context[key] = value
        else:
            raise SystemExit(f"unknown argument {arg!r} (use -c key=value)")
    return context


def build_app(
    context: Mapping[str, Any] | None = None, outdir: str | None = None
) -> tuple[cdk.App, XinStack]:
    app = cdk.App(
        outdir=outdir or os.environ.get("CDK_OUTDIR", "cdk.out"),
        context={**cdk_json_context(), **(context or {})},
    )
    config = from_context(app.node)
    env = cdk.Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")
    )
    stack = XinStack(
        app,
        config.stack_name,
        config=config,
        env=env,
        description=f"Xin RAG chatbot platform ({config.name})",
    )
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app, stack


def main(argv: Sequence[str] | None = None) -> None:
    app, stack = build_app(parse_context_args(sys.argv[1:] if argv is None else argv))
    assembly = app.synth()
    print(f"synthesized {stack.stack_name} -> {assembly.directory}")


if __name__ == "__main__":
    main()
