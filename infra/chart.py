"""Render, lint and validate the Helm chart with no helm binary and no cluster.

``python -m infra.chart dev [--output DIR]`` renders ``infra/helm/xin-platform`` with
``values-dev.yaml`` (real Helm, via helm-python-sdk), runs ``helm lint --strict`` for
Kubernetes 1.31, validates every manifest with kubernetes-validate (strict) or, for the
custom resources, with the schemas in ``infra/helm/crd-schemas``; exit 1 listing problems.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml

HELM_DIR = Path(__file__).resolve().parent / "helm"
CHART_DIR = HELM_DIR / "xin-platform"
CRD_SCHEMAS = HELM_DIR / "crd-schemas"
KUBE_VERSION = "1.31.0"
ENVIRONMENTS = ("dev", "staging", "prod")
CUSTOM_KINDS = {
    ("external-secrets.io/v1beta1", "ExternalSecret"): "externalsecret-external-secrets-v1beta1",
    ("external-secrets.io/v1beta1", "SecretStore"): "secretstore-external-secrets-v1beta1",
    ("external-secrets.io/v1beta1", "ClusterSecretStore"): (
        "clustersecretstore-external-secrets-v1beta1"
    ),
    ("monitoring.coreos.com/v1", "ServiceMonitor"): "servicemonitor-monitoring-v1",
}


def values_file(env: str | None) -> Path:
    return CHART_DIR / ("values.yaml" if env in (None, "default") else f"values-{env}.yaml")


def load_values(env: str | None) -> dict[str, Any]:
    """The overrides of one environment (``values.yaml`` itself is the chart's default)."""
    if env in (None, "default"):
        return {}
    data = yaml.safe_load(values_file(env).read_text(encoding="utf-8")) or {}
    assert isinstance(data, dict)
    return data


def render(
    values: Mapping[str, Any], *, name: str = "xin", namespace: str = "xin"
) -> dict[str, list[dict[str, Any]]]:
    """{template path: manifests} like ``helm template`` (raises on schema violations)."""
    import helm_python

    out = helm_python.Chart.load(str(CHART_DIR)).render(
        values=dict(values), name=name, namespace=namespace, is_install=True
    )
    manifests: dict[str, list[dict[str, Any]]] = {}
    for path, text in out.items():
        if not text.strip() or path.endswith("NOTES.txt") or "/tests/" in path:
            continue
        docs = [d for d in yaml.safe_load_all(text) if d]
        if docs:
            manifests[path] = docs
    return manifests


def notes(values: Mapping[str, Any], *, name: str = "xin", namespace: str = "xin") -> str:
    import helm_python

    out = helm_python.Chart.load(str(CHART_DIR)).render(
        values=dict(values), name=name, namespace=namespace, is_install=True
    )
    return next((t for p, t in out.items() if p.endswith("NOTES.txt")), "")


def lint(values: Mapping[str, Any]) -> list[str]:
    """``helm lint --strict``: errors and warnings (info messages are not problems)."""
    import helm_python

    result = helm_python.lint(
        str(CHART_DIR), dict(values), strict=True, kube_version=f"v{KUBE_VERSION}"
    )
    problems = [str(e) for e in result.get("errors") or []]
    problems += [
        f"{m.get('path')}: {m.get('error')}"
        for m in result.get("messages") or []
        if int(m.get("severity", 0)) >= 2
    ]
    return problems


@cache
def _crd_validator(schema_name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((CRD_SCHEMAS / f"{schema_name}.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def validate(manifest: Mapping[str, Any]) -> list[str]:
    """Problems with one manifest: Kubernetes' own schema (strict) or the CRD's."""
    where = f"{manifest.get('kind')}/{manifest.get('metadata', {}).get('name')}"
    custom = CUSTOM_KINDS.get((str(manifest.get("apiVersion")), str(manifest.get("kind"))))
    if custom:
        errors = sorted(_crd_validator(custom).iter_errors(manifest), key=lambda e: e.path)
        return [f"{where}: {'.'.join(map(str, e.path))}: {e.message}" for e in errors]
    try:
        kubernetes_validate.validate(dict(manifest), KUBE_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        return [f"{where}: {exc.message}"]
    except kubernetes_validate.SchemaNotFoundError:
        return [f"{where}: no schema for {manifest.get('apiVersion')} {manifest.get('kind')}"]
    return []


def check(env: str | None, output: Path | None = None) -> list[str]:
    """Everything a CI job or the preflight asks of one environment's values."""
    values = load_values(env)
    try:
        manifests = render(values)
    except Exception as exc:  # helm_python raises its own error types
        return [f"render failed: {exc}"]
    problems = lint(values)
    for docs in manifests.values():
        for doc in docs:
            problems += validate(doc)
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        target = output / f"xin-platform-{env or 'default'}.yaml"
        target.write_text(
            "".join(
                yaml.safe_dump(d, sort_keys=False) + "---\n"
                for ds in manifests.values()
                for d in ds
            ),
            encoding="utf-8",
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("envs", nargs="*", default=["default", *ENVIRONMENTS])
    parser.add_argument("--output", type=Path, help="write the rendered manifests here")
    args = parser.parse_args(argv)
    failed = False
    for env in args.envs:
        problems = check(env, args.output)
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        print(f"chart with {values_file(env).name}: {status}")
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
