"""The Helm chart rendered with real Helm (helm-python-sdk) for every values file, linted in
strict mode and validated against Kubernetes 1.31 (strict) and the CRD schemas."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from infra.chart import ENVIRONMENTS, check, load_values, notes, render, validate

ALL_VALUES = ["default", *ENVIRONMENTS]


def _by_kind(values: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for docs in render(values).values():
        for doc in docs:
            out.setdefault(doc["kind"], []).append(doc)
    return out


def _server(kinds: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    (deployment,) = [
        d for d in kinds["Deployment"] if not d["metadata"]["name"].endswith("-worker")
    ]
    return deployment


@pytest.mark.parametrize("env", ALL_VALUES)
def test_every_values_file_renders_lints_and_validates(env: str) -> None:
    assert check(env) == []


@pytest.mark.parametrize("env", ALL_VALUES)
def test_pods_are_non_root_read_only_and_probed_on_health(env: str) -> None:
    deployment = _server(_by_kind(load_values(env)))
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    (container,) = pod["containers"]
    sc = container["securityContext"]
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["allowPrivilegeEscalation"] is False
    assert sc["capabilities"] == {"drop": ["ALL"]}
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health"
    assert container["resources"]["limits"]["memory"]
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]]
    assert "emptyDir" in volumes[mounts["/var/lib/xin"]]
    assert container["args"][:3] == ["serve", "--host", "0.0.0.0"]


@pytest.mark.parametrize("env", ALL_VALUES)
def test_configmap_overlay_is_settings_xin_accepts(
    env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xin.config import load_settings

    kinds = _by_kind(load_values(env))
    (configmap,) = kinds["ConfigMap"]
    env_vars = {
        e["name"]: e.get("value")
        for e in _server(kinds)["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    app_env = env_vars["APP_ENV"]
    assert set(configmap["data"]) == {"base.yaml", f"{app_env}.yaml"}
    for name, text in configmap["data"].items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("XIN_CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("APP_ENV", app_env)
    settings = load_settings()
    assert settings.api.host == "0.0.0.0"
    assert env_vars["XIN_CONFIG_DIR"] == "/etc/xin"


def test_dev_has_no_external_secrets_and_staging_uses_a_namespaced_store() -> None:
    dev = _by_kind(load_values("dev"))
    assert "ExternalSecret" not in dev and "SecretStore" not in dev
    staging = _by_kind(load_values("staging"))
    (external,) = staging["ExternalSecret"]
    (store,) = staging["SecretStore"]
    assert external["spec"]["secretStoreRef"] == {
        "kind": "SecretStore",
        "name": store["metadata"]["name"],
    }
    assert store["spec"]["provider"]["aws"]["service"] == "SecretsManager"
    keys = {d["secretKey"]: d["remoteRef"]["key"] for d in external["spec"]["data"]}
    assert keys["auth-pepper"] == "xin/staging/auth-pepper"
    container = _server(staging)["spec"]["template"]["spec"]["containers"][0]
    pepper = next(e for e in container["env"] if e["name"] == "XIN_AUTH__PEPPER")
    assert pepper["valueFrom"]["secretKeyRef"]["name"] == external["spec"]["target"]["name"]


def test_prod_uses_a_cluster_secret_store_with_a_service_account_namespace() -> None:
    prod = _by_kind(load_values("prod"))
    (store,) = prod["ClusterSecretStore"]
    ref = store["spec"]["provider"]["aws"]["auth"]["jwt"]["serviceAccountRef"]
    assert ref == {"name": "external-secrets", "namespace": "external-secrets"}
    assert prod["ServiceMonitor"][0]["spec"]["endpoints"][0]["port"] == "metrics"
    assert prod["PodDisruptionBudget"][0]["spec"]["minAvailable"] == 2


def test_metrics_port_is_configurable() -> None:
    (service,) = _by_kind({"metrics": {"port": 9400}})["Service"]
    ports = {p["name"]: p for p in service["spec"]["ports"]}
    assert ports["metrics"]["port"] == 9400
    assert ports["metrics"]["targetPort"] == "http"


def test_optional_worker_runs_the_given_command_with_the_same_hardening() -> None:
    kinds = _by_kind(
        {"worker": {"enabled": True, "command": ["xin", "ingest", "/var/lib/xin/inbox"]}}
    )
    (worker,) = [d for d in kinds["Deployment"] if d["metadata"]["name"].endswith("-worker")]
    container = worker["spec"]["template"]["spec"]["containers"][0]
    assert container["command"][0] == "xin"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    for doc in kinds["Deployment"]:
        assert validate(doc) == []


@pytest.mark.parametrize(
    "values",
    [
        {"replicaCount": "three"},
        {"service": {"port": "80"}},
        {"autoscaling": {"enabled": "yes"}},
        {"appEnv": "prod"},
        {"replicas": 3},
        {"image": {"digest": "latest"}},
        {"worker": {"enabled": True}},
        {"externalSecrets": {"enabled": True, "data": []}},
    ],
    ids=[
        "int-as-string",
        "port-as-string",
        "bool-as-string",
        "bad-enum",
        "unknown-key",
        "bad-digest",
        "worker-without-command",
        "external-secrets-without-data",
    ],
)
def test_schema_rejects_wrong_values(values: dict[str, Any]) -> None:
    import helm_python

    with pytest.raises(helm_python.HelmValuesError, match="meet the specifications of the schema"):
        render(values)


def test_crd_schema_catches_a_typo_in_an_external_secret() -> None:
    (external,) = _by_kind(load_values("staging"))["ExternalSecret"]
    broken = copy.deepcopy(external)
    broken["spec"]["data"][0]["remoteRef"]["propery"] = "value"
    assert any("propery" in p for p in validate(broken))
    broken = copy.deepcopy(external)
    broken["spec"]["target"]["creationPolicy"] = "Always"
    assert validate(broken)


def test_notes_tell_how_to_smoke_test() -> None:
    text = notes(load_values("prod"))
    assert "scripts/smoke_test.sh k8s" in text
    assert "External Secrets" in text


def _ingress_backend(ingress: dict[str, Any], path: str) -> str | None:
    """The service an Ingress sends ``path`` to (longest matching Prefix/Exact rule)."""
    best: tuple[int, str] | None = None
    for rule in ingress["spec"]["rules"]:
        for entry in rule["http"]["paths"]:
            prefix, kind = entry["path"], entry["pathType"]
            matches = (
                path == prefix
                if kind == "Exact"
                else path == prefix or path.startswith(prefix.rstrip("/") + "/")
            )
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), entry["backend"]["service"]["name"])
    return best[1] if best else None


@pytest.mark.parametrize(
    "env", [e for e in ALL_VALUES if load_values(e).get("ingress", {}).get("enabled")]
)
def test_ingress_sends_every_channel_webhook_to_the_server(env: str) -> None:
    """Kubernetes serves the same /webhooks/<channel> routes as the Lambda functions: the
    Ingress must route them to the server Service, whose app mounts every channel group."""
    from xin.api.app import CHANNEL_ROUTE_GROUPS, ROUTE_GROUPS

    kinds = _by_kind(load_values(env))
    (ingress,) = kinds["Ingress"]
    (service,) = [s for s in kinds["Service"] if s["metadata"]["name"] == ingress_service(kinds)]
    assert set(CHANNEL_ROUTE_GROUPS) <= set(ROUTE_GROUPS)  # `xin serve` mounts them all
    for group in CHANNEL_ROUTE_GROUPS:
        path = "/webhooks/" + group.removeprefix("webhook_")
        assert _ingress_backend(ingress, path) == service["metadata"]["name"], path


def ingress_service(kinds: dict[str, list[dict[str, Any]]]) -> str:
    name: str = _server(kinds)["metadata"]["name"]
    return name
