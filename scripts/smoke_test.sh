#!/usr/bin/env bash
# Post-deploy smoke tests. Logs and a JSON summary go to $SMOKE_ARTIFACTS (artifacts/smoke).
#
#   scripts/smoke_test.sh http http://127.0.0.1:8000 [--ingest DOC_ID] [--ingest-wait 120]
#   scripts/smoke_test.sh lambda --stack Xin-dev [--region eu-west-1]     # deployed functions
#   scripts/smoke_test.sh lambda --local                                   # handlers in-process
#   scripts/smoke_test.sh k8s --namespace xin --release xin [--url https://xin.example.com]
#
# Global options go before the mode: --artifacts DIR, --api-key KEY (or $XIN_SMOKE_API_KEY).
# Exit status: 0 when every check passed, 1 otherwise (2 for usage errors).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x "$root/.venv/bin/python" ]]; then PYTHON="$root/.venv/bin/python"; else PYTHON=python3; fi
fi
if [[ $# -eq 0 ]]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
# Global options first, then the mode and its options.
global=()
while [[ $# -gt 0 && "$1" == --* ]]; do
  case "$1" in
    --artifacts|--api-key) global+=("$1" "$2"); shift 2 ;;
    -h|--help) global+=("$1"); shift ;;
    *) echo "smoke_test.sh: unknown option $1 (global options: --artifacts, --api-key)" >&2; exit 2 ;;
  esac
done
cd "$here"
exec "$PYTHON" -m smoke "${global[@]}" "$@"
