"""Run the Locust scenarios headless and summarise Locust's CSV.

    LOAD_HOST=http://127.0.0.1:8000 LOAD_USERS=25 LOAD_DURATION=60s \
        python -m tests.load.run_load --results results/load [--json]

The configuration comes from the ``LOAD_*`` variables (``tests/load/scenarios.py``). Locust
writes ``<results>/locust_stats.csv`` (and its history and failures files); the summary is
read from that final CSV only. Locust's console summary can count a few more requests than
the CSV (requests still in flight when the CSV is written), so the two are never mixed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.load.scenarios import LoadConfig, load_config

REPO = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).resolve().with_name("locustfile.py")
PREFIX = "locust"


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:  # "N/A" when a row has no requests
        return None


def summarise(stats_csv: Path) -> dict[str, Any]:
    """Per-request-name and aggregated figures from Locust's ``*_stats.csv``."""
    rows: dict[str, dict[str, Any]] = {}
    with stats_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"] if row["Type"] else "Aggregated"
            rows[name] = {
                "method": row["Type"] or None,
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": _number(row["Median Response Time"]),
                "avg_ms": _number(row["Average Response Time"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
                "max_ms": _number(row["Max Response Time"]),
                "rps": _number(row["Requests/s"]),
            }
    total = rows.pop("Aggregated", None)
    if total is None:
        raise ValueError(f"{stats_csv} has no Aggregated row")
    return {"total": total, "requests": rows}


def run(config: LoadConfig, results: Path, *, timeout_s: float | None = None) -> dict[str, Any]:
    """Run Locust with ``config``; the summary of its CSV plus the configuration."""
    results.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        *config.locust_args(),
        "--csv",
        str(results / PREFIX),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "5",
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    env |= {"LOAD_HOST": config.host, "LOAD_PROFILE": config.profile, "LOAD_TENANT": config.tenant}
    env["LOAD_WEIGHTS"] = ",".join(f"{k}={v}" for k, v in config.weights.items())
    completed = subprocess.run(
        command, env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout_s, check=False
    )
    stats = results / f"{PREFIX}_stats.csv"
    if not stats.exists():
        raise RuntimeError(
            f"Locust wrote no CSV (exit {completed.returncode}):\n{completed.stderr}"
        )
    summary = summarise(stats)
    return {
        "tool": "locust",
        "profile": config.profile,
        "weights": config.scenario_weights(),
        "users": config.users,
        "spawn_rate": config.spawn_rate,
        "duration_s": config.duration_s,
        "csv": str(stats),
        "exit_code": completed.returncode,
        **summary,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=REPO / "results" / "load")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    config = load_config()
    summary = run(config, args.results, timeout_s=config.duration_s + 120)
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"Locust {config.profile} profile, {config.users} users, {config.duration_s}s")
        print(f"{'request':28s} {'count':>7s} {'fail':>5s} {'median':>7s} {'p95':>7s} {'rps':>7s}")
        for name, r in [*summary["requests"].items(), ("TOTAL", summary["total"])]:
            print(
                f"{name:28s} {r['requests']:7d} {r['failures']:5d} {r['median_ms'] or 0:7.0f}"
                f" {r['p95_ms'] or 0:7.0f} {r['rps'] or 0:7.1f}"
            )
        print(f"CSV: {summary['csv']}")
    return 0 if summary["total"]["failures"] == 0 and summary["total"]["requests"] else 1


if __name__ == "__main__":
    sys.exit(main())
