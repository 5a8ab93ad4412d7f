"""``k8s`` mode: wait for the rollout, then the http checks through a port-forward or a URL."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .report import Report


def rollout(report: Report, namespace: str, deployment: str, timeout_s: int) -> bool:
    cmd = [
        "kubectl",
        "-n",
        namespace,
        "rollout",
        "status",
        f"deployment/{deployment}",
        f"--timeout={timeout_s}s",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    detail = (result.stdout + result.stderr).strip().splitlines()
    return report.record("rollout", result.returncode == 0, detail[-1] if detail else "no output")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def port_forward(report: Report, namespace: str, service: str, port: int) -> Iterator[str]:
    local = _free_port()
    log = (report.artifacts / "port-forward.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        ["kubectl", "-n", namespace, "port-forward", f"svc/{service}", f"{local}:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", local)) == 0:
                    break
            time.sleep(0.3)
        yield f"http://127.0.0.1:{local}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
