"""Run every benchmark, write benchmarks/results.json, the plots and docs/benchmarks.md.

    python -m scripts.bench_all                 # make bench: every step (< 15 min on 2 cores)
    python -m scripts.bench_all --only soak     # make soak: some steps, merged into the JSON
                                                # (a whole run keeps the last soak's entry)
    python -m scripts.bench_all --soak          # every step plus the 5-minute soak
    python -m scripts.bench_all --quick         # smaller runs, to try the pipeline out

The steps, their budgets and timeouts are in ``scripts/bench_plan.py``. Each benchmark runs
as a subprocess with a timeout and must print JSON; a script that is missing, fails, prints
no JSON or runs out of time is recorded as such (and its targets as "not measured"). Steps
that need a server run under ``python -m tests.load.server``. Each step's seconds are printed
against its budget, and the whole run's wall time (with `make bench`'s setup, given
``--started-at``) against issue #10's 15 minutes; both go into the JSON and the report. The
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
from pathlib import Path
from typing import Any

from scripts.bench_plan import BUDGET_S, Step, plan
from scripts.report_stamp import commit, now, stamp

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results.json"
REPORT = REPO / "docs" / "benchmarks.md"
PY = sys.executable
SERVER = [PY, "-m", "tests.load.server", "--log", "build/bench/logs/{step}.log", "--"]


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
    server = [a.replace("{step}", step.name) for a in SERVER] if step.server else []
    shown = " ".join(a.replace(PY, "python") for a in [*server, PY])
    shown += " " + " ".join(step.argv)
    entry: dict[str, Any] = {
        "command": shown,
        "started": now(),
        "load_1m": os.getloadavg()[0],
        "budget_s": step.budget_s,
    }
    if not (REPO / step.script).exists():
        return entry | {"status": "missing", "error": f"{step.script} not found", "result": None}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="xin-bench-") as tmp:
        argv = step.argv
        if step.kb:
            from tests.load.server import prepare_kb

            kb = prepare_kb(copy_to=Path(tmp) / "kb")
            argv = [a.replace("{kb}", str(kb)) for a in argv]
        entry |= _run([*server, PY, *argv], step)
    return entry | {"seconds": round(time.perf_counter() - started, 1)}


def _run(command: list[str], step: Step) -> dict[str, Any]:
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
        error = f"no result within {step.timeout_s:.0f}s"
        return {"status": "timeout", "error": error, "result": None}
    result = parse_json(stdout)
    if result is None:
        tail = (stderr or stdout).strip().splitlines()[-3:]
        error = " / ".join(tail) or "no output"
        return {"exit_code": process.returncode, "status": "failed", "error": error, "result": None}
    return {"exit_code": process.returncode, "status": "ok", "result": result}


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


def _budget_lines(steps: list[Step], entries: dict[str, Any], run: dict[str, Any]) -> list[str]:
    """Seconds against budget per step, then the whole run against issue #10's 15 minutes."""
    lines = [f"{'step':<14}{'status':<9}{'seconds':>9}{'budget':>8}"]
    for step in steps:
        entry = entries[step.name]
        over = "  over budget" if entry.get("seconds", 0) > step.budget_s else ""
        lines.append(
            f"{step.name:<14}{entry['status']:<9}{entry.get('seconds', 0):>9.1f}"
            f"{step.budget_s:>8.0f}{over}"
        )
    setup = run.get("setup_s")
    lines.append(
        f"total {run['wall_s']:.0f}s (steps {run['steps_s']:.0f}s"
        + (f", setup {setup:.0f}s" if setup is not None else "")
        + f") of a {run['budget_s']:.0f}s budget; 1-min load {run['load_1m']['before']:.1f}"
        f" -> {run['load_1m']['after']:.1f}"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs")
    parser.add_argument("--soak", action="store_true", help="add the 5-minute soak")
    parser.add_argument("--only", default="", help="comma-separated steps, merged into --results")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--note", help="a remark stamped into the report (e.g. machine was loaded)")
    parser.add_argument(
        "--started-at",
        type=float,
        help="epoch seconds when `make bench` started (its setup time is then counted)",
    )
    args = parser.parse_args(argv)
    began, began_wall = time.perf_counter(), time.time()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    steps = [s for s in plan(args.quick, args.soak or "soak" in only) if not only or s.name in only]
    if only - {s.name for s in steps}:
        parser.error(f"unknown steps: {sorted(only - {s.name for s in steps})}")
    previous = json.loads(args.results.read_text()) if args.results.exists() else {}
    known = {s.name for s in plan(args.quick, soak=True)}
    kept = {k: v for k, v in previous.get("steps", {}).items() if k in known}
    for entry in kept.values():  # kept steps (--only, or `make soak`'s) name their own run
        entry.setdefault("commit", previous.get("stamp", {}).get("commit", "unknown"))
    load_before = os.getloadavg()[0]
    results: dict[str, Any] = {
        "schema": 1,
        "mode": "quick" if args.quick else "full",
        "steps": kept,
    }
    head = commit()
    for step in steps:
        print(
            f"[bench] {step.name} (budget {step.budget_s:.0f}s, timeout {step.timeout_s:.0f}s) ...",
            file=sys.stderr,
            flush=True,
        )
        entry = run_step(step) | {"commit": head}  # steps merged by --only keep their own
        results["steps"][step.name] = entry
        print(
            f"[bench] {step.name}: {entry['status']} in {entry.get('seconds', 0)}s"
            f" (budget {step.budget_s:.0f}s)",
            file=sys.stderr,
            flush=True,
        )
    results["stamp"] = stamp(load_before, args.note)
    setup = None if args.started_at is None else max(0.0, began_wall - args.started_at)
    steps_s = time.perf_counter() - began
    run = {
        "steps": [s.name for s in steps],
        "setup_s": None if setup is None else round(setup, 1),
        "steps_s": round(steps_s, 1),
        "wall_s": round(steps_s + (setup or 0.0), 1),
        "budget_s": BUDGET_S,
        "load_1m": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
    }
    # the run figures describe a whole `make bench`; a partial --only run keeps the last one's
    results["run"] = previous.get("run") if only else run
    from scripts.report_targets import evaluate

    results["targets"] = evaluate(results)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    from scripts.report_bench import write_report

    write_report(args.results, args.report, args.report.parent / "benchmarks")
    for line in _budget_lines(steps, results["steps"], run):
        print(f"[bench] {line}", file=sys.stderr)
    print(f"[bench] wrote {args.results}, {args.report}", file=sys.stderr)
    return 0 if all(results["steps"][s.name]["status"] == "ok" for s in steps) else 1


if __name__ == "__main__":
    sys.exit(main())
