"""Business metrics reach Prometheus on a server and CloudWatch EMF in Lambda."""

from __future__ import annotations

import gc
import json
import weakref

import pytest

from xin.observability import counters, record_guard_block
from xin.observability.lambda_runtime import start
from xin.observability.metrics import HttpMetrics


def test_guard_blocks_and_documents_reach_the_prometheus_registry() -> None:
    metrics = HttpMetrics()
    counters.add_sink(metrics)
    try:
        record_guard_block("prompt_injection")
        counters.record_metric(counters.DOCUMENTS_INDEXED)
        counters.record_metric(counters.CHUNKS_INDEXED, 7)
        counters.record_metric(counters.REQUESTS)  # the middleware counts requests itself
    finally:
        counters.remove_sink(metrics)
    text = metrics.render().decode()
    assert 'xin_guard_blocks_total{category="prompt_injection"} 1.0' in text
    assert 'xin_documents_total{outcome="indexed"} 1.0' in text
    assert "xin_chunks_indexed_total 7.0" in text
    assert "xin_requests_total{" not in text


def test_guard_blocks_are_flushed_as_emf(capsys: pytest.CaptureFixture[str]) -> None:
    runtime = start("test")  # what a Lambda cold start sets up
    runtime.metrics.clear_metrics()
    record_guard_block("pii")
    record_guard_block("pii")
    runtime.metrics.flush_metrics()
    [blob] = [json.loads(x) for x in capsys.readouterr().out.splitlines() if '"_aws"' in x]
    assert blob["GuardBlocks"] == [1.0, 1.0]
    assert blob["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Xin"
    assert blob["service"] == "xin-test"


def test_a_failing_sink_never_breaks_the_caller() -> None:
    class Broken:
        def add_metric(self, name: str, value: float, unit: str, labels: dict[str, str]) -> None:
            raise RuntimeError("disk full")

    broken = Broken()
    counters.add_sink(broken, weak=False)
    try:
        record_guard_block()
    finally:
        counters.remove_sink(broken)


def test_app_sinks_go_away_with_their_app() -> None:
    metrics = HttpMetrics()
    counters.add_sink(metrics)
    alive = weakref.ref(metrics)
    del metrics
    gc.collect()
    assert alive() is None


def test_an_app_without_the_metrics_route_builds_no_prometheus_registry() -> None:
    import subprocess
    import sys

    script = (
        "import sys, tempfile\n"
        "from xin.api.app import create_app\n"
        "from xin.config import load_settings\n"
        "app = create_app(load_settings(data_dir=tempfile.mkdtemp()), routes=('health',))\n"
        "assert app.state.metrics.registry is None\n"
        "print('prometheus_client' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False"
