#!/usr/bin/env bash
# Pre-deploy checks for one environment. Non-zero with a clear message on any failure.
#
#   scripts/preflight_check.sh ENV [--namespace NS] [--release NAME] [--skip-synth]
#
# 1. renders the Helm chart with values-ENV.yaml, lints it (strict) and validates every
#    manifest (Kubernetes 1.31 + External Secrets CRD schemas);
# 2. synthesizes the CDK app for ENV (cdk-nag must be clean) and cfn-lints the template;
# 3. when externalSecrets.enabled and a cluster is reachable (kubectl + a current context):
#    the namespace exists, the External Secrets CRDs are installed, a store the chart does not
#    create exists, and — on upgrades — the synced Secret holds every key the chart expects.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
PYTHON="${PYTHON:-$([[ -x .venv/bin/python ]] && echo .venv/bin/python || echo python3)}"
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1

env_name="${1:-}"
case "$env_name" in
  dev|staging|prod) shift ;;
  *) echo "usage: $0 dev|staging|prod [--namespace NS] [--release NAME] [--skip-synth]" >&2; exit 2 ;;
esac
namespace="xin-$env_name"; release="xin"; synth=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --namespace) namespace="$2"; shift 2 ;;
    --release) release="$2"; shift 2 ;;
    --skip-synth) synth=0; shift ;;
    *) echo "preflight: unknown option $1" >&2; exit 2 ;;
  esac
done
artifacts="${PREFLIGHT_ARTIFACTS:-artifacts/preflight}"
mkdir -p "$artifacts"
fail() { echo "PREFLIGHT FAILED ($env_name): $*" >&2; exit 1; }
step() { echo "==> $*"; }

step "Helm chart with values-$env_name.yaml: render, lint --strict, validate"
"$PYTHON" -m infra.chart "$env_name" --output "$artifacts" \
  || fail "the chart does not render/lint/validate with values-$env_name.yaml (see above)"

if [[ $synth -eq 1 ]]; then
  step "CDK synth for $env_name (cdk-nag AwsSolutions) and cfn-lint"
  outdir="$artifacts/cdk.out"
  CDK_OUTDIR="$outdir" "$PYTHON" -m infra.app -c "env=$env_name" > "$artifacts/synth.log" 2>&1 \
    || { tail -40 "$artifacts/synth.log" >&2; fail "cdk synth failed (cdk-nag findings or errors above; full log $artifacts/synth.log)"; }
  "$(dirname "$PYTHON")/cfn-lint" --ignore-checks W3005 -- "$outdir/Xin-$env_name.template.json" \
    || fail "cfn-lint found problems in Xin-$env_name.template.json"
fi

# What the chart expects from the cluster, read from the rendered values.
read -r es_enabled store_create store_kind store_name secret_name keys < <("$PYTHON" - "$env_name" "$release" <<'PY'
import sys
from infra.chart import load_values, render
env, release = sys.argv[1], sys.argv[2]
values = load_values(env)
docs = [d for ds in render(values, name=release).values() for d in ds]
es = next((d for d in docs if d["kind"] == "ExternalSecret"), None)
if es is None:
    print("false - - - - -")
else:
    store = es["spec"]["secretStoreRef"]
    created = any(d["kind"] == store["kind"] and d["metadata"]["name"] == store["name"] for d in docs)
    keys = ",".join(d["secretKey"] for d in es["spec"]["data"])
    print("true", str(created).lower(), store["kind"], store["name"], es["spec"]["target"]["name"], keys)
PY
)

if [[ "$es_enabled" != "true" ]]; then
  step "External Secrets disabled for $env_name: no cluster checks"
elif ! command -v kubectl >/dev/null 2>&1 || ! kubectl config current-context >/dev/null 2>&1; then
  step "External Secrets enabled, but no reachable cluster (kubectl/context): cluster checks skipped"
else
  ctx="$(kubectl config current-context)"
  step "cluster $ctx: namespace $namespace, External Secrets, secret $secret_name"
  kubectl get namespace "$namespace" >/dev/null 2>&1 \
    || fail "namespace $namespace does not exist in $ctx (kubectl create namespace $namespace)"
  for crd in externalsecrets.external-secrets.io secretstores.external-secrets.io clustersecretstores.external-secrets.io; do
    kubectl get crd "$crd" >/dev/null 2>&1 || fail "CRD $crd is missing: install External Secrets Operator first"
  done
  if [[ "$store_create" != "true" ]]; then
    if [[ "$store_kind" == "ClusterSecretStore" ]]; then
      kubectl get clustersecretstore "$store_name" >/dev/null 2>&1 || fail "ClusterSecretStore $store_name does not exist"
    else
      kubectl -n "$namespace" get secretstore "$store_name" >/dev/null 2>&1 || fail "SecretStore $store_name does not exist in $namespace"
    fi
  fi
  if kubectl -n "$namespace" get secret "$secret_name" >/dev/null 2>&1; then
    present="$(kubectl -n "$namespace" get secret "$secret_name" -o go-template='{{range $k, $v := .data}}{{$k}} {{end}}')"
    IFS=, read -r -a wanted <<< "$keys"
    for key in "${wanted[@]}"; do
      [[ " $present " == *" $key "* ]] || fail "secret $namespace/$secret_name lacks key '$key' (check the ExternalSecret status)"
    done
    step "secret $secret_name has every expected key: $keys"
  else
    step "secret $secret_name not synced yet (first install): External Secrets creates it"
  fi
fi
echo "PREFLIGHT OK ($env_name)"
