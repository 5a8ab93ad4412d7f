#!/usr/bin/env python3
"""Where each function's cold start goes: the same work its handler does, phase by phase.

    python scripts/coldstart_phases.py            # health, chat, ingest; 5 fresh interpreters
    python scripts/coldstart_phases.py chat -n 9

Each run is a fresh interpreter (a copy of a data dir holding docs/, one embedding thread)
that performs a function's cold start in the handler's order and times every phase; the
table shows per-phase medians of wall and CPU time. ``scripts/coldstart.py`` measures the
handlers end to end; this attributes the cost.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from coldstart_env import base_env, fake_s3, knowledge_base  # the module beside this one

CHILD = r"""
import json, os, sys, time
marks = []
def mark(name):
    marks.append((name, time.perf_counter(), time.process_time()))
mark("start")
import aws_lambda_powertools, xin.observability.lambda_runtime; mark("powertools + runtime")
function = sys.argv[1]
if function == "health":  # as xin.lambda_app._light_app with the SQLite store
    from xin.lambda_health import health_config, sqlite_ping
    config = health_config(); mark("read its settings (no pydantic)")
    from xin.observability.logging import get_logger, install_log_redaction
    install_log_redaction(config.log_redaction); get_logger().info("warm"); mark("log redaction")
    sqlite_ping(config.sqlite_path)(); mark("store + ping")
    function = ""
else:
    import xin.config; settings = xin.config.load_settings(); mark("import + load settings")
    import xin.deps; container = xin.deps.Container(settings); mark("container")
if function == "chat":
    import mangum, fastapi; mark("import fastapi + mangum")
    from xin.api.app import create_app
    create_app(settings, routes=("chat",), container=container); mark("create app (routes)")
    container.embedder.embed_query("warm up"); mark("embedding model load + 1 query")
    container.detector.detect("How do I deploy Xin to Kubernetes?"); mark("langdetect profiles")
    from xin.guard.lexicon import patterns; patterns(); mark("guard lexicons (read + key)")
    container.chat.ask("How do I deploy Xin to Kubernetes?", tenant="default"); mark("answer")
elif function == "ingest":
    import aws_lambda_powertools.utilities.batch; mark("import batch processing")
    import boto3; mark("import boto3")
    container.object_source.client; mark("S3 client")
    data = container.object_source.get("docs", "guide.md"); mark("download")
    container.detector.detect("The launch window opens on Tuesday at nine.")
    mark("langdetect profiles")
    container.embedder.embed_query("warm up"); mark("embedding model load")
    from xin.guard.lexicon import patterns; patterns(); mark("guard lexicons (read + key)")
    container.ingestion.ingest_bytes(data, "s3://docs/guide.md", tenant="default")
    mark("parse, chunk, embed, index")
out = [(b[0], (b[1] - a[1]) * 1000, (b[2] - a[2]) * 1000) for a, b in zip(marks, marks[1:])]
json.dump(out, open(os.environ["PHASES_REPORT"], "w"))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("functions", nargs="*", default=["health", "chat", "ingest"])
    parser.add_argument("-n", "--runs", type=int, default=5)
    parser.add_argument(
        "--kb", type=Path, metavar="DIR", help="keep the ingested docs/ data dir here and reuse it"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xin-phases-") as tmp, fake_s3() as s3:
        workdir = Path(tmp)
        kb = knowledge_base(workdir, args.kb)
        env = {**base_env(), "AWS_ENDPOINT_URL_S3": s3, "XIN_EMBEDDING__THREADS": "1"}
        for function in args.functions:
            runs: list[list[tuple[str, float, float]]] = []
            for run in range(args.runs):
                data = workdir / f"{function}-{run}"
                shutil.copytree(kb, data)
                report = workdir / "phases.json"
                run_env = {**env, "XIN_DATA_DIR": str(data), "PHASES_REPORT": str(report)}
                subprocess.run(
                    [sys.executable, "-c", CHILD, function],
                    env=run_env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                runs.append([tuple(x) for x in json.loads(report.read_text())])
                shutil.rmtree(data)
            print(f"\n{function} ({args.runs} runs, medians in ms)")
            print(f"  {'phase':<34}{'wall':>8}{'CPU':>8}")
            for i, (name, _, _) in enumerate(runs[0]):
                wall = statistics.median(r[i][1] for r in runs)
                cpu = statistics.median(r[i][2] for r in runs)
                print(f"  {name:<34}{wall:>8.0f}{cpu:>8.0f}")
            total_wall = statistics.median(sum(p[1] for p in r) for r in runs)
            total_cpu = statistics.median(sum(p[2] for p in r) for r in runs)
            print(f"  {'total':<34}{total_wall:>8.0f}{total_cpu:>8.0f}")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
