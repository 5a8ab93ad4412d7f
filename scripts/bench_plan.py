"""The steps of `make bench` (scripts/bench_all.py): what each runs, its budget and timeout.

Budgets are what a step should take on 2 quiet cores from a fresh clone; together with the
setup (creating the venv, installing the pinned dependencies) they stay under issue #10's
15 minutes. Sizes are chosen so each figure stays meaningful: four concurrency levels of
unique questions, a 30-second Locust run, three cold starts per function, ingestion of 32 KB
(cold, then one paragraph edited per file) and of 16 KB cut into 2, 8 and 16 KB documents,
retrieval over 10k and 100k chunks of synthetic vectors, and the retrieval-quality variants
that share the baseline's chunks. The 5-minute soak is `make soak`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ABLATION_ONLY = "baseline,rrf-60,convex-0.5,convex-0.7,no-reranker,mmr-0.7,no-stemming"
BUDGET_S = 15 * 60  # issue #10: `make bench` on a fresh clone, 2 cores, setup included


@dataclass(frozen=True)
class Step:
    name: str
    script: str  # must exist, relative to the repo
    argv: list[str]
    timeout_s: float  # a safety net: the step is stopped and recorded as timed out
    budget_s: float  # what it should take on 2 quiet cores from a fresh clone (printed)
    server: bool = False  # run under tests.load.server ({url} and {pid} filled in)
    kb: bool = False  # {kb}: a fresh copy of the cached sample KB (tests.load.server)
    env: dict[str, str] = field(default_factory=dict)


def _server_steps(quick: bool) -> list[Step]:
    iters = "60" if quick else "150"
    users, duration = ("10", "15s") if quick else ("25", "30s")
    return [
        # the first server step embeds the sample KB (docs/, ~180 KB) on a fresh clone: ~90 s
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
            900,
            180,
            server=True,
        ),
        Step(
            "chat_cached",
            "scripts/perf_bench.py",
            [
                "scripts/perf_bench.py",
                "--host",
                "{url}",
                "--json",
                "--iters",
                "100" if quick else "300",
                "--concurrency",
                "50",
            ],
            240,
            35,
            server=True,
        ),
        Step(
            "load",
            "tests/load/locustfile.py",
            ["-m", "tests.load.run_load", "--json", "--results", "build/bench/load"],
            300,
            60,
            server=True,
            env={
                "LOAD_USERS": users,
                "LOAD_SPAWN_RATE": "5",
                "LOAD_DURATION": duration,
                "LOAD_PROFILE": "mixed",
            },
        ),
    ]


def _offline_steps(quick: bool) -> list[Step]:
    return [
        Step(
            "coldstart",  # every function, fresh interpreters on copies of the sample KB
            "scripts/coldstart.py",
            ["scripts/coldstart.py", "--json", "-n", "1" if quick else "3", "--kb", "{kb}"],
            600,
            90,
            kb=True,
        ),
        Step(
            "ingest",
            "scripts/bench_ingest.py",
            ["scripts/bench_ingest.py", "--json", "--limit-kb", "16" if quick else "32"],
            420,
            45,
        ),
        Step(
            "ingest_sizes",
            "scripts/bench_ingest.py",
            [
                "scripts/bench_ingest.py",
                "--json",
                "--sizes",
                "2,8" if quick else "2,8,16",
                "--total-kb",
                "8" if quick else "16",
            ],
            420,
            50,
        ),
        Step(
            "retrieval",  # synthetic vectors; end-to-end ingestion is the ingest step's
            "scripts/bench_retrieval.py",
            [
                "scripts/bench_retrieval.py",
                "--json",
                "--chunks",
                *(["10000"] if quick else ["10000", "100000"]),
                "--queries",
                "100",
                "--ingest-kb",
                "0",
            ],
            600,
            75,
        ),
        Step(
            "guard",
            "scripts/bench_guard.py",
            ["scripts/bench_guard.py", "--json", "--repeat", "1" if quick else "2"],
            240,
            30,
        ),
        Step(
            # the variants that share the baseline's chunks: a fresh clone embeds the golden
            # corpus once (then cached in .xin/); chunking variants re-embed it each, so they
            # stay in `scripts/retrieval_ablation.py --quick` (ADR 0014)
            "ablation",
            "scripts/retrieval_ablation.py",
            ["scripts/retrieval_ablation.py", "--quick", "--json", "--only", ABLATION_ONLY],
            600,
            90,
        ),
    ]


def plan(quick: bool, soak: bool) -> list[Step]:
    """The steps, their safety timeouts and their budgets (2 quiet cores, fresh clone)."""
    steps = _server_steps(quick) + _offline_steps(quick)
    if soak:  # `make soak`: not part of `make bench`
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
                360 if not quick else 90,
                server=True,
            )
        )
    return steps
