#!/usr/bin/env python3
"""Cold-start budget of each Lambda function, measured the way Lambda pays it.

    python scripts/coldstart.py                 # every function, 7 runs each
    python scripts/coldstart.py -n 11 --json    # machine-readable
    python scripts/coldstart.py --xray          # as in Lambda with X-Ray tracing on
    python scripts/coldstart.py --importtime chat   # top imports of one cold start

For each function: the median wall time of a fresh interpreter that imports
functions/<name>/handler.py and serves its first event from tests/events, minus the median
of a bare interpreter (``python -c "import os; os._exit(0)"``). Both leave with ``os._exit``
after their work: a Lambda environment is frozen after its first event, never torn down
while a caller waits, so the interpreter's teardown (0.15-0.2 s for chat; figures before
2026-12-07 included it) is not counted. Each run gets a fresh copy of a data dir holding
the sample knowledge base (docs/), so nothing is warm. The ingest function's event names an
object that a local stand-in for S3 (an HTTP server on 127.0.0.1) serves, so its first event
really downloads, parses, embeds and indexes a document. CPU time (user+sys) is shown too: it
is far less sensitive than wall time to other load on the machine.

The embedder runs with one thread (``XIN_EMBEDDING__THREADS=1``, what a Lambda function of
up to 1769 MB, i.e. at most one vCPU, should use): with two OpenMP threads on a busy or
fractional CPU one query embedding took 1.7 s instead of 50 ms here. ``--threads`` changes it.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from coldstart_env import CURRENT, REPO, Tree, base_env, fake_s3, knowledge_base


@dataclass(frozen=True)
class Function:
    name: str
    event: str
    target_ms: float | None


FUNCTIONS = (
    Function("health", "apigw_v2_health.json", 150),
    Function("chat", "apigw_v2_chat.json", 400),
    Function("ingest", "sqs_s3_object_created.json", 600),
    Function("ingest_status", "apigw_v2_ingest_status.json", None),
)

BARE = "import os; os._exit(0)"  # start and leave, as the child does (no teardown)

# Runs inside the fresh interpreter: import the handler, serve one event, report timings.
CHILD = """
import importlib.util, json, os, sys, time
t0 = time.perf_counter()
spec = importlib.util.spec_from_file_location("handler", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
t1 = time.perf_counter()

class Context:
    function_name = "xin-coldstart"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:xin-coldstart"
    memory_limit_in_mb = 1024
    aws_request_id = "6f1d3c6e-2f3b-4c3e-9d27-8a8f7d9b2f10"
    log_group_name = "/aws/lambda/xin-coldstart"
    log_stream_name = "coldstart"
    def get_remaining_time_in_millis(self):
        return 30000

with open(sys.argv[2], encoding="utf-8") as f:
    event = json.load(f)
response = module.handler(event, Context())
t2 = time.perf_counter()
ok = response.get("statusCode", 200) < 500 and not response.get("batchItemFailures")
with open(os.environ["COLDSTART_REPORT"], "w") as f:
    json.dump({"import_ms": (t1 - t0) * 1000, "event_ms": (t2 - t1) * 1000, "ok": ok}, f)
# A Lambda execution environment is frozen, not torn down, after its first event: leave
# without the interpreter's teardown (module and garbage clean-up, 0.15-0.2 s for chat),
# which Lambda never makes a caller wait for. The bare interpreter leaves the same way.
sys.stdout.flush()
sys.stderr.flush()
os._exit(0)
"""


@dataclass
class Result:
    function: str
    target_ms: float | None
    median_ms: float
    min_ms: float
    max_ms: float
    cpu_ms: float
    import_ms: float
    first_event_ms: float
    runs: int
    ok: bool
    tree: str = CURRENT.label

    @property
    def within_target(self) -> bool | None:
        return None if self.target_ms is None else self.median_ms <= self.target_ms


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


@dataclass
class _Samples:
    walls: list[float]
    cpus: list[float]
    imports: list[float]
    events: list[float]
    ok: bool = True


def measure(
    function: Function,
    runs: int,
    kb: Path,
    workdir: Path,
    *,
    env: dict[str, str],
    bare: float,
    trees: tuple[Tree, ...] = (CURRENT,),
) -> list[Result]:
    """One result per tree; with several trees their runs alternate, so both see the same
    load on a shared machine."""
    event = REPO / "tests" / "events" / function.event
    samples = {tree: _Samples([], [], [], []) for tree in trees}
    for run in range(runs):
        for tree in trees:
            data = workdir / f"{function.name}-{run}"
            shutil.copytree(kb, data)
            report = workdir / f"{function.name}-{run}.json"
            run_env = tree.env(env) | {"XIN_DATA_DIR": str(data), "COLDSTART_REPORT": str(report)}
            cmd = [sys.executable, "-c", CHILD, str(tree.handler(function.name)), str(event)]
            wall, cpu = timed(cmd, run_env)
            child = json.loads(report.read_text())
            got = samples[tree]
            got.walls.append(wall)
            got.cpus.append(cpu)
            got.imports.append(child["import_ms"])
            got.events.append(child["event_ms"])
            got.ok = got.ok and child["ok"]
            shutil.rmtree(data)
    return [
        Result(
            function=function.name,
            target_ms=function.target_ms,
            median_ms=round(statistics.median(got.walls) - bare, 1),
            min_ms=round(min(got.walls) - bare, 1),
            max_ms=round(max(got.walls) - bare, 1),
            cpu_ms=round(statistics.median(got.cpus), 1),
            import_ms=round(statistics.median(got.imports), 1),
            first_event_ms=round(statistics.median(got.events), 1),
            runs=runs,
            ok=got.ok,
            tree=tree.label,
        )
        for tree, got in samples.items()
    ]


def bare_interpreter(runs: int, env: dict[str, str]) -> tuple[float, float]:
    samples = [timed([sys.executable, "-c", BARE], env) for _ in range(runs)]
    return statistics.median(w for w, _ in samples), statistics.median(c for _, c in samples)


def importtime(
    function: Function, kb: Path, workdir: Path, env: dict[str, str], *, top: int, tree: Tree
) -> None:
    data = workdir / "importtime"
    shutil.copytree(kb, data)
    event = REPO / "tests" / "events" / function.event
    run_env = tree.env(env) | {"XIN_DATA_DIR": str(data), "COLDSTART_REPORT": str(workdir / "it")}
    handler = tree.handler(function.name)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", CHILD, str(handler), str(event)],
        env=run_env,
        check=True,
        capture_output=True,
        text=True,
    )
    rows: list[tuple[int, str]] = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, total, module = line.split("|")
            rows.append((int(total.strip()), module.rstrip()))
    print(f"top {top} imports by cumulative time for {function.name} (microseconds):")
    for micros, module in sorted(rows, reverse=True)[:top]:
        print(f"{micros:>10}  {module}")


def print_table(
    results: list[Result], bare: tuple[float, float], runs: int, snapstart: bool = False
) -> None:
    print(f"cold start: median of {runs} fresh interpreters minus a bare one ", end="")
    print(f"(bare: {bare[0]:.0f} ms wall, {bare[1]:.0f} ms CPU)")
    header = (
        f"{'function':<14}{'tree':<10}{'target':>7}{'median':>9}{'min':>8}{'max':>8}"
        f"{'CPU':>8}{'import':>9}{'1st event':>11}  verdict"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        target = f"{r.target_ms:.0f}" if r.target_ms else "-"
        verdict = {True: "ok", False: "OVER", None: "-"}[r.within_target]
        if not r.ok:
            verdict += " (handler reported a failure)"
        print(
            f"{r.function:<14}{r.tree:<10}{target:>7}{r.median_ms:>9.0f}{r.min_ms:>8.0f}"
            f"{r.max_ms:>8.0f}{r.cpu_ms:>8.0f}{r.import_ms:>9.0f}{r.first_event_ms:>11.0f}"
            f"  {verdict}"
        )
    print("all figures in ms; CPU is user+sys of the whole process (the bare one not removed)")
    if snapstart:
        print(
            "SnapStart: 'import' is the init a snapshot holds; a restored environment pays "
            "the restore and then '1st event'"
        )
    for current, baseline in _pairs(results):
        print(
            f"{current.function}: {baseline.median_ms:.0f} -> {current.median_ms:.0f} ms "
            f"({current.median_ms / baseline.median_ms:.2f}x wall), CPU "
            f"{baseline.cpu_ms:.0f} -> {current.cpu_ms:.0f} ms"
        )


def _pairs(results: list[Result]) -> list[tuple[Result, Result]]:
    by_function: dict[str, dict[str, Result]] = {}
    for r in results:
        by_function.setdefault(r.function, {})[r.tree] = r
    return [
        (rows[CURRENT.label], rows["baseline"])
        for rows in by_function.values()
        if "baseline" in rows and CURRENT.label in rows
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("functions", nargs="*", help="default: all")
    parser.add_argument("-n", "--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--xray", action="store_true", help="as in Lambda with X-Ray tracing")
    parser.add_argument(
        "--snapstart",
        action="store_true",
        help="init as under SnapStart (imports and warm-ups at import); the '1st event' column "
        "is then what a restored environment pays, besides the restore itself",
    )
    parser.add_argument(
        "--importtime", metavar="FUNCTION", help="profile one cold start (of --baseline if given)"
    )
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--threads", default="1", help="XIN_EMBEDDING__THREADS (default 1)")
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="TREE",
        help="also measure this checkout (e.g. a git worktree of the commit before a change), "
        "its runs alternating with the current tree's",
    )
    parser.add_argument(
        "--kb", type=Path, metavar="DIR", help="keep the ingested docs/ data dir here and reuse it"
    )
    args = parser.parse_args()
    chosen = [f for f in FUNCTIONS if not args.functions or f.name in args.functions]
    trees = (CURRENT,) if args.baseline is None else (Tree("baseline", args.baseline), CURRENT)
    with tempfile.TemporaryDirectory(prefix="xin-coldstart-") as tmp, fake_s3() as s3:
        workdir = Path(tmp)
        env = {**base_env(), "AWS_ENDPOINT_URL_S3": s3, "POWERTOOLS_TRACE_DISABLED": "true"}
        env["XIN_EMBEDDING__THREADS"] = args.threads
        if args.xray:
            env.pop("POWERTOOLS_TRACE_DISABLED")
            env |= {"AWS_LAMBDA_FUNCTION_NAME": "xin-coldstart", "LAMBDA_TASK_ROOT": str(REPO)}
            env |= {"AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR"}
        if args.snapstart:
            env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "snap-start"
        kb = knowledge_base(workdir, args.kb)
        if args.importtime:
            function = next(f for f in FUNCTIONS if f.name == args.importtime)
            importtime(function, kb, workdir, env, top=args.top, tree=trees[0])
            return 0
        bare = bare_interpreter(args.runs, env)
        results = [
            r
            for f in chosen
            for r in measure(f, args.runs, kb, workdir, env=env, bare=bare[0], trees=trees)
        ]
    if args.json:
        payload = {
            "runs": args.runs,
            "xray": args.xray,
            "snapstart": args.snapstart,
            "embedding_threads": args.threads,
            "bare_ms": round(bare[0], 1),
            "results": [asdict(r) | {"within_target": r.within_target} for r in results],
        }
        print(json.dumps(payload, indent=2))
    else:
        print_table(results, bare, args.runs, args.snapstart)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
