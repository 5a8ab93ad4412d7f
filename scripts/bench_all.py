"""Run every benchmark, write benchmarks/results.json, the plots and docs/benchmarks.md.

    python -m scripts.bench_all                 # make bench: every step (<= 15 min on 2 cores)
    python -m scripts.bench_all --soak          # plus the 5-minute soak
    python -m scripts.bench_all --only soak     # some steps, merged into the existing JSON
    python -m scripts.bench_all --quick         # smaller runs, to try the pipeline out

Each benchmark runs as a subprocess with a timeout and must print JSON; a script that is
missing, fails, prints no JSON or runs out of time is recorded as such (and its targets as
"not measured"). Steps that need a server run under ``python -m tests.load.server``. The
JSON is stamped with the commit, the machine and the date.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.report_stamp import commit, now, stamp

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results.json"
REPORT = REPO / "docs" / "benchmarks.md"
PLOTS = REPO / "docs" / "benchmarks"
PY = sys.executable
SERVER = [PY, "-m", "tests.load.server", "--"]


@dataclass(frozen=True)
class Step:
    name: str
    script: str  # must exist, relative to the repo
    argv: list[str]
    timeout_s: float
    server: bool = False  # run under tests.load.server ({url} and {pid} filled in)
    env: dict[str, str] = field(default_factory=dict)


def plan(quick: bool, soak: bool) -> list[Step]:
    """The steps and their budgets (seconds on 2 quiet cores in the comments)."""
    iters = "60" if quick else "200"
    users, duration = ("10", "20s") if quick else ("25", "60s")
    steps = [
        # ~2 min on a fresh clone (ingests the sample KB once into build/bench), then ~60 s
        Step(
            "chat_latency",
            "scripts/perf_bench.py",
            [
                "scripts/perf_bench.py",
                "--host",
                "{url}",
                "--unique",
                "--json",
                "--iters",
                iters,
                "--concurrency",
                "1,10,50" if quick else "1,10,25,50",
            ],
            600,
            server=True,
        ),
        Step(
            "chat_cached",
            "scripts/perf_bench.py",  # ~30 s
            [
                "scripts/perf_bench.py",
                "--host",
                "{url}",
                "--json",
                "--iters",
                "100" if quick else "400",
                "--concurrency",
                "50",
            ],
            240,
            server=True,
        ),
        Step(
            "load",
            "tests/load/locustfile.py",  # ~90 s
            ["-m", "tests.load.run_load", "--json", "--results", "build/bench/load"],
            300,
            server=True,
            env={
                "LOAD_USERS": users,
                "LOAD_SPAWN_RATE": "5",
                "LOAD_DURATION": duration,
                "LOAD_PROFILE": "mixed",
            },
        ),
        # ~3 min: it ingests docs/ into its own data dir first
        Step(
            "coldstart",
            "scripts/coldstart.py",
            ["scripts/coldstart.py", "--json", "-n", "1" if quick else "3"],
            600,
        ),
        Step(
            "ingest",
            "scripts/bench_ingest.py",  # ~60 s
            ["scripts/bench_ingest.py", "--json", "--limit-kb", "24" if quick else "64"],
            420,
        ),
        Step(
            "ingest_sizes",
            "scripts/bench_ingest.py",  # ~90 s
            ["-m", "scripts.bench_all", "ingest-sizes", "--total-kb", "8" if quick else "32"],
            420,
        ),
        Step(
            "retrieval",
            "scripts/bench_retrieval.py",
            ["scripts/bench_retrieval.py", "--quick", "--json"],
            420,
        ),
        Step(
            "guard",
            "scripts/bench_guard.py",  # ~30 s
            ["scripts/bench_guard.py", "--json", "--repeat", "1" if quick else "3"],
            240,
        ),
        Step(
            "ablation",
            "scripts/retrieval_ablation.py",
            ["scripts/retrieval_ablation.py", "--quick", "--json"],
            600,
        ),
    ]
    if soak:
        steps.append(
            Step(
                "soak",
                "tests/load/soak.py",
                [
                    "-m",
                    "tests.load.soak",
                    "--json",
                    "--pid",
                    "{pid}",
                    "--duration",
                    "60" if quick else "300",
                ],
                900,
                server=True,
            )
        )
    return steps


def parse_json(stdout: str) -> Any:
    """The whole output as JSON, else its last line that parses."""
    try:
        return json.loads(stdout)
    except json.JSONDecodeError:
        pass
    for line in reversed(stdout.strip().splitlines()):
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            continue
    return None


def _env(step: Step) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XIN_") and k != "APP_ENV"}
    env |= {k: v for k, v in os.environ.items() if k.startswith("XIN_BENCH_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return env | step.env


def run_step(step: Step) -> dict[str, Any]:
    command = [*(SERVER if step.server else []), PY, *step.argv]
    shown = " ".join(a.replace(PY, "python") for a in command)
    entry: dict[str, Any] = {"command": shown, "started": now(), "load_1m": os.getloadavg()[0]}
    if not (REPO / step.script).exists():
        return entry | {"status": "missing", "error": f"{step.script} not found", "result": None}
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=_env(step),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=step.timeout_s)
    except subprocess.TimeoutExpired:
        _stop_group(process)
        entry |= {
            "status": "timeout",
            "error": f"no result within {step.timeout_s:.0f}s",
            "result": None,
        }
        return entry | {"seconds": round(time.perf_counter() - started, 1)}
    entry["seconds"] = round(time.perf_counter() - started, 1)
    entry["exit_code"] = process.returncode
    result = parse_json(stdout)
    if result is None:
        tail = (stderr or stdout).strip().splitlines()[-3:]
        return entry | {
            "status": "failed",
            "error": " / ".join(tail) or "no output",
            "result": None,
        }
    return entry | {"status": "ok", "result": result}


def _stop_group(process: subprocess.Popen[str]) -> None:
    """SIGTERM the step's process group (the server wrapper stops its server), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
            process.communicate(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
        except ProcessLookupError:
            return


def ingest_sizes(total_kb: float, sizes_kb: list[int]) -> dict[str, Any]:
    """bench_ingest over the same text cut into documents of each size (``ingest-sizes``)."""
    docs = sorted(p for p in (REPO / "docs").rglob("*.md") if "benchmarks" not in p.name)
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in docs).encode("utf-8")
    rows = []
    for size in sizes_kb:
        with tempfile.TemporaryDirectory() as tmp:
            count, length = max(1, round(total_kb / size)), size * 1024
            for i in range(count):  # consecutive slices of the docs, cut on UTF-8 boundaries
                start = (i * length) % max(1, len(text) - length)
                piece = text[start : start + length].decode("utf-8", errors="ignore")
                Path(tmp, f"doc{i:03d}.md").write_text(piece, encoding="utf-8")
            done = subprocess.run(
                [
                    PY,
                    "scripts/bench_ingest.py",
                    "--json",
                    "--no-edit",
                    "--source",
                    tmp,
                    "--limit-kb",
                    str(total_kb * 2),
                ],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            )
            cold = json.loads(done.stdout.strip().splitlines()[-1])["cold"]
            rows.append({"doc_kb": size, **cold})
    return {"total_kb": total_kb, "sizes": rows}


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["ingest-sizes"]:
        sub = argparse.ArgumentParser(prog="bench_all ingest-sizes")
        sub.add_argument("--total-kb", type=float, default=32)
        sub.add_argument("--sizes", default="2,8,32")
        args = sub.parse_args(argv[1:])
        print(json.dumps(ingest_sizes(args.total_kb, [int(s) for s in args.sizes.split(",")])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs")
    parser.add_argument("--soak", action="store_true", help="add the 5-minute soak")
    parser.add_argument("--only", default="", help="comma-separated steps, merged into --results")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--note", help="a remark stamped into the report (e.g. machine was loaded)")
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    steps = [s for s in plan(args.quick, args.soak or "soak" in only) if not only or s.name in only]
    if only - {s.name for s in steps}:
        parser.error(f"unknown steps: {sorted(only - {s.name for s in steps})}")
    previous = json.loads(args.results.read_text()) if only and args.results.exists() else {}
    for entry in previous.get("steps", {}).values():  # kept steps name the run they came from
        entry.setdefault("commit", previous.get("stamp", {}).get("commit", "unknown"))
    load_before = os.getloadavg()[0]
    results: dict[str, Any] = {
        "schema": 1,
        "mode": "quick" if args.quick else "full",
        "steps": dict(previous.get("steps", {})),
    }
    head = commit()
    for step in steps:
        print(
            f"[bench] {step.name} (timeout {step.timeout_s:.0f}s) ...", file=sys.stderr, flush=True
        )
        entry = run_step(step) | {"commit": head}  # steps merged by --only keep their own
        results["steps"][step.name] = entry
        print(
            f"[bench] {step.name}: {entry['status']} in {entry.get('seconds', 0)}s",
            file=sys.stderr,
            flush=True,
        )
    results["stamp"] = stamp(load_before, args.note)
    from scripts.report_targets import evaluate

    results["targets"] = evaluate(results)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    from scripts.report_bench import write_report

    write_report(args.results, args.report, args.report.parent / "benchmarks")
    print(f"[bench] wrote {args.results}, {args.report}", file=sys.stderr)
    return 0 if all(results["steps"][s.name]["status"] == "ok" for s in steps) else 1


if __name__ == "__main__":
    sys.exit(main())
