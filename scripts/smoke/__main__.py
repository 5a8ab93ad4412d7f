"""``python -m smoke MODE ...`` (run from scripts/): see scripts/smoke_test.sh --help."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from smoke.k8s_checks import port_forward, rollout

from .http_checks import QUESTION, run_http
from .lambda_checks import local_invoker, remote_invoker, run_lambda, stack_outputs
from .report import Report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smoke_test.sh", description="Post-deploy smoke tests.")
    parser.add_argument(
        "--artifacts", type=Path, default=Path(os.environ.get("SMOKE_ARTIFACTS", "artifacts/smoke"))
    )
    parser.add_argument(
        "--api-key",
        default=os.environ.get("XIN_SMOKE_API_KEY"),
        help="sent as X-API-Key (default: $XIN_SMOKE_API_KEY)",
    )
    modes = parser.add_subparsers(dest="mode", required=True)
    http = modes.add_parser("http", help="check a running Xin at BASE_URL")
    http.add_argument("base_url")
    _http_options(http)
    lam = modes.add_parser("lambda", help="invoke each deployed function with tests/events")
    lam.add_argument("--stack", default=os.environ.get("XIN_STACK", "Xin-dev"))
    lam.add_argument("--region", default=os.environ.get("AWS_REGION"))
    lam.add_argument("--qualifier", default="live")
    lam.add_argument("--local", action="store_true", help="call the handlers in-process")
    lam.add_argument("--only", action="append", help="function name (repeatable)")
    k8s = modes.add_parser("k8s", help="wait for the rollout, then the http checks")
    k8s.add_argument("--namespace", "-n", default="xin")
    k8s.add_argument("--release", default="xin")
    k8s.add_argument("--deployment", help="default: <release>-xin-platform")
    k8s.add_argument("--service-port", type=int, default=80)
    k8s.add_argument("--rollout-timeout", type=int, default=300)
    k8s.add_argument("--url", help="skip the port-forward and use this base URL")
    _http_options(k8s)
    return parser


def _http_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument(
        "--ingest",
        metavar="DOCUMENT_ID",
        help="also wait until GET /ingest/DOCUMENT_ID reports indexed",
    )
    parser.add_argument("--ingest-wait", type=float, default=120.0, help="seconds (default 120)")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    report = Report(args.artifacts, args.mode)
    if args.mode == "http":
        run_http(
            report,
            args.base_url,
            api_key=args.api_key,
            question=args.question,
            ingest=args.ingest,
            ingest_wait=args.ingest_wait,
        )
    elif args.mode == "lambda":
        only = set(args.only) if args.only else None
        if args.local:
            run_lambda(
                report,
                local_invoker(),
                api_key=args.api_key,
                only=only,
                available=lambda case: True,
            )
        else:
            outputs = stack_outputs(args.stack, args.region)
            report.log(f"stack {args.stack}: {len(outputs)} outputs")
            run_lambda(
                report,
                remote_invoker(outputs, args.region, args.qualifier),
                api_key=args.api_key,
                only=only,
                available=lambda case: case.output in outputs,
            )
    else:
        name = (
            f"{args.release}-xin-platform" if "xin-platform" not in args.release else args.release
        )
        deployment = args.deployment or name
        if rollout(report, args.namespace, deployment, args.rollout_timeout):
            if args.url:
                run_http(
                    report,
                    args.url,
                    api_key=args.api_key,
                    question=args.question,
                    ingest=args.ingest,
                    ingest_wait=args.ingest_wait,
                )
            else:
                with port_forward(report, args.namespace, deployment, args.service_port) as url:
                    run_http(
                        report,
                        url,
                        api_key=args.api_key,
                        question=args.question,
                        ingest=args.ingest,
                        ingest_wait=args.ingest_wait,
                    )
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
