"""scripts/preflight_check.sh: the chart checks, and the cluster checks with a stand-in kubectl
(no cluster here) that answers like a real one for the namespace, CRDs and Secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "preflight_check.sh"

FAKE_KUBECTL = """#!/usr/bin/env bash
# args: config current-context | get namespace NS | get crd NAME | -n NS get secret NAME [-o ...]
case "$*" in
  "config current-context") echo fake-cluster ;;
  "get namespace xin-staging") exit 0 ;;
  "get namespace "*) echo "namespaces not found" >&2; exit 1 ;;
  "get crd "*) exit 0 ;;
  *"get secret xin-xin-platform-secrets -o"*) printf '%s' "$FAKE_SECRET_KEYS" ;;
  *"get secret xin-xin-platform-secrets") [[ -n "$FAKE_SECRET_KEYS" ]] ;;
  *) echo "unexpected kubectl $*" >&2; exit 3 ;;
esac
"""


def run(
    *args: str, tmp_path: Path, kubectl: bool, secret_keys: str = ""
) -> subprocess.CompletedProcess[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    stub = bin_dir / "kubectl"
    # without a cluster: kubectl exists but has no current context
    stub.write_text(FAKE_KUBECTL if kubectl else "#!/usr/bin/env bash\nexit 1\n")
    stub.chmod(0o755)
    path = f"{bin_dir}:{os.environ['PATH']}"
    env = {
        **os.environ,
        "PATH": path,
        "PYTHON": sys.executable,
        "FAKE_SECRET_KEYS": secret_keys,
        "PREFLIGHT_ARTIFACTS": str(tmp_path / "artifacts"),
    }
    return subprocess.run(
        [str(SCRIPT), *args, "--skip-synth"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_renders_the_environment_and_skips_cluster_checks_without_a_cluster(tmp_path: Path) -> None:
    result = run("staging", tmp_path=tmp_path, kubectl=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "chart with values-staging.yaml: ok" in result.stdout
    assert "no reachable cluster" in result.stdout
    rendered = (tmp_path / "artifacts" / "xin-platform-staging.yaml").read_text()
    assert "kind: ExternalSecret" in rendered


def test_missing_namespace_fails_with_a_clear_message(tmp_path: Path) -> None:
    result = run("staging", "--namespace", "xin-missing", tmp_path=tmp_path, kubectl=True)
    assert result.returncode == 1
    assert "namespace xin-missing does not exist in fake-cluster" in result.stderr


def test_secret_missing_a_key_fails(tmp_path: Path) -> None:
    result = run("staging", tmp_path=tmp_path, kubectl=True, secret_keys="auth-pepper ")
    assert result.returncode == 1
    assert "lacks key 'openai-api-key'" in result.stderr


def test_synced_secret_with_every_key_passes(tmp_path: Path) -> None:
    result = run(
        "staging", tmp_path=tmp_path, kubectl=True, secret_keys="auth-pepper openai-api-key "
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "has every expected key" in result.stdout
    assert "PREFLIGHT OK (staging)" in result.stdout


def test_dev_without_external_secrets_needs_no_cluster(tmp_path: Path) -> None:
    result = run("dev", tmp_path=tmp_path, kubectl=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "External Secrets disabled" in result.stdout
