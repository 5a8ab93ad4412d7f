"""A local ``xin serve`` for benchmarks and load tests, on a fresh copy of the sample KB.

    python -m tests.load.server -- python scripts/perf_bench.py --host {url} --json
    python -m tests.load.server --kb build/bench/kb -- python -m tests.load.run_load

Prepares (or refreshes) a cached data dir holding the sample knowledge base — ``docs/``,
whose ``.xinignore`` leaves out the generated benchmark report — copies it to a temporary
data dir, starts
``xin serve`` there on a free port, waits for ``/health``, runs the command with ``{url}``
and ``{pid}`` replaced (and ``LOAD_HOST``/``XIN_BENCH_SERVER_PID`` set), and stops the
server whatever happens, also when the command fails or the wrapper is terminated.

The cache is refreshed incrementally (unchanged documents are skipped), and seeded from
``.xin`` (what ``make run`` ingests) when that exists, so only the first run pays for
embedding the whole knowledge base. Rate limits are raised so they measure their cost but
do not refuse the load generator's single IP.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import httpx

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
DEFAULT_CACHE = REPO / "build" / "bench"
SERVER_ENV = {
    "APP_ENV": "development",
    "XIN_RATE_LIMIT__PER_IP__RATE": "100000",
    "XIN_RATE_LIMIT__PER_IP__BURST": "1000000",
    "XIN_RATE_LIMIT__PER_KEY__RATE": "100000",
    "XIN_RATE_LIMIT__PER_KEY__BURST": "1000000",
}


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    data_dir: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _xin() -> list[str]:
    return [sys.executable, "-c", "from xin.cli.main import run; run()"]


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without XIN_* settings, plus the benchmark server settings.

    ``XIN_BENCH_*`` variables pass through with the prefix stripped, so a run can still set
    e.g. ``XIN_BENCH_EMBEDDING__THREADS=1``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XIN_") and k != "APP_ENV"}
    passed = {
        "XIN_" + k.removeprefix("XIN_BENCH_"): v
        for k, v in os.environ.items()
        if k.startswith("XIN_BENCH_") and k != "XIN_BENCH_SERVER_PID"
    }
    return {**env, **SERVER_ENV, **passed, **(extra or {})}


def prepare_kb(
    cache: Path = DEFAULT_CACHE,
    *,
    seed: Path | None = REPO / ".xin",
    copy_to: Path | None = None,
    docs: Path = DOCS,
) -> Path:
    """The cached data dir with the sample KB, refreshed from ``docs`` (and copied to
    ``copy_to`` when given, so a server never writes to the cache); returns the path."""
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".lock").open("w") as lock:  # one refresh or copy at a time (load + bench)
        fcntl.flock(lock, fcntl.LOCK_EX)
        kb = _refresh_kb(cache, seed, docs)
        if copy_to is None:
            return kb
        shutil.copytree(kb, copy_to)
        return copy_to


def _refresh_kb(cache: Path, seed: Path | None, docs: Path) -> Path:
    kb = cache / "kb"
    if (cache / "sample-docs").exists():  # a cache built from a filtered copy of docs/
        shutil.rmtree(cache / "sample-docs")
        shutil.rmtree(kb, ignore_errors=True)
    if not (kb / "xin.db").exists() and seed is not None and (seed / "xin.db").exists():
        shutil.copytree(seed, kb, dirs_exist_ok=True)
    kb.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run(  # --prune also drops what docs/.xinignore leaves out (e.g. from the seed)
        [*_xin(), "ingest", "--prune", str(docs)],
        env=clean_env({"XIN_DATA_DIR": str(kb)}),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    print(f"sample KB ready in {time.perf_counter() - started:.1f}s: {kb}", file=sys.stderr)
    return kb


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"xin serve exited with code {process.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"xin serve did not answer /health within {timeout_s:.0f}s")


@contextmanager
def serve(
    data_dir: Path, env: Mapping[str, str] | None = None, log: Path | None = None
) -> Iterator[Server]:
    """``xin serve`` on a free port over ``data_dir`` (its output to ``log``, if given);
    stopped on exit."""
    port = free_port()
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
    with (log or Path(os.devnull)).open("w") as out:
        process = subprocess.Popen(
            [*_xin(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=clean_env({"XIN_DATA_DIR": str(data_dir), **(env or {})}),
            stdout=out,
            stderr=subprocess.STDOUT if log is not None else None,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, process)
        yield Server(url, process.pid, data_dir)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds the context managers: the server is stopped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="sample KB cache dir")
    parser.add_argument("--log", type=Path, help="write the server's log lines here")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- command to run")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    signal.signal(signal.SIGTERM, _terminate)
    with tempfile.TemporaryDirectory(prefix="xin-bench-") as tmp:
        data_dir = prepare_kb(args.cache, copy_to=Path(tmp) / "data")
        with serve(data_dir, log=args.log) as server:
            print(f"xin serve ready at {server.url} (pid {server.pid})", file=sys.stderr)
            filled = [
                a.replace("{url}", server.url).replace("{pid}", str(server.pid)) for a in command
            ]
            env = {**os.environ, "LOAD_HOST": server.url, "XIN_BENCH_SERVER_PID": str(server.pid)}
            return subprocess.run(filled, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
