"""Synthesizes the CDK app once per test session (dev with a managed domain, prod with
OpenSearch Serverless) using the fast ``source`` layer bundle: no pip, no network, no Docker.
``make synth`` does the real bundling."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")


@dataclass(frozen=True)
class Synth:
    stack: Any  # infra.stack.XinStack
    template: dict[str, Any]
    template_path: Path

    def resources(self, kind: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.template["Resources"].items() if v["Type"] == kind}


def synth(outdir: Path, **context: str) -> Synth:
    from infra.app import build_app

    app, stack = build_app({"layerBundling": "source", **context}, str(outdir))
    assembly = app.synth()  # raises on any unacknowledged cdk-nag finding
    path = Path(assembly.directory) / f"{stack.stack_name}.template.json"
    return Synth(stack, json.loads(path.read_text(encoding="utf-8")), path)


@pytest.fixture(scope="session")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    return synth(tmp_path_factory.mktemp("cdk-dev"), env="dev")


@pytest.fixture(scope="session")
def prod_serverless(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    return synth(tmp_path_factory.mktemp("cdk-prod"), env="prod", search="serverless")
