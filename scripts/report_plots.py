"""PNG plots of a benchmark results JSON (matplotlib, Agg backend: no display needed).

Plots whose data is absent are not drawn, and an old PNG of that name is removed, so the
report never shows a figure from an earlier run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from scripts.report_targets import COLDSTART_TARGETS_MS, coldstart_function, step_result


def _runs(results: Mapping[str, Any], step: str) -> list[Mapping[str, Any]]:
    result = step_result(results, step)
    runs = result.get("runs", [result]) if isinstance(result, Mapping) else []
    return sorted(
        (r for r in runs if isinstance(r, Mapping) and "concurrency" in r),
        key=lambda r: r["concurrency"],
    )


def _latency(ax: Any, runs: list[Mapping[str, Any]]) -> None:
    levels = [r["concurrency"] for r in runs]
    for key, label in (("p50_ms", "p50"), ("p95_ms", "p95"), ("p99_ms", "p99")):
        ax.plot(levels, [r.get(key) for r in runs], marker="o", label=label)
    ax.axhline(100, color="grey", linestyle="--", linewidth=1, label="p95 target")
    ax.set_xlabel("concurrent clients")
    ax.set_ylabel("latency (ms)")
    ax.set_yscale("log")
    ax.legend()
    twin = ax.twinx()
    twin.bar(levels, [r.get("rps") for r in runs], alpha=0.15, color="black", width=2)
    twin.set_ylabel("requests/s (bars)")


def _latency_plot(results: Mapping[str, Any], plt: Any) -> Any:
    runs = _runs(results, "chat_latency")
    if not runs:
        return None
    fig, ax = plt.subplots(figsize=(7, 4))
    _latency(ax, runs)
    ax.set_title("POST /chat, unique questions: latency vs concurrency")
    return fig


def _ingest_plot(results: Mapping[str, Any], plt: Any) -> Any:
    sizes = step_result(results, "ingest_sizes")
    rows = sizes.get("sizes", []) if isinstance(sizes, Mapping) else []
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(
        [r["doc_kb"] for r in rows], [r.get("kb_per_s") for r in rows], marker="o", label="KB/s"
    )
    ax.axhline(50, color="grey", linestyle="--", linewidth=1, label="target")
    ax.set_xscale("log")
    ax.set_xticks([r["doc_kb"] for r in rows], [str(r["doc_kb"]) for r in rows])
    ax.minorticks_off()
    ax.set_ylim(bottom=0)
    ax.set_xlabel("document size (KB)")
    ax.set_ylabel("KB/s (end to end)")
    ax.set_title("Ingestion throughput vs document size")
    ax.legend()
    return fig


def _coldstart_plot(results: Mapping[str, Any], plt: Any) -> Any:
    rows = [coldstart_function(results, f) for f in ("health", "chat", "ingest", "ingest_status")]
    found = [r for r in rows if r is not None and isinstance(r.get("median_ms"), int | float)]
    if not found:
        return None
    fig, ax = plt.subplots(figsize=(7, 4))
    names = [str(r["function"]) for r in found]
    ax.bar(names, [r["median_ms"] for r in found], label="median wall ms")
    for i, name in enumerate(names):
        goal = COLDSTART_TARGETS_MS.get(name)
        if goal is not None:
            ax.hlines(goal, i - 0.4, i + 0.4, color="red", linestyle="--")
    ax.set_ylabel("ms")
    ax.set_title("Cold start per function (dashed: target)")
    return fig


def _soak_plot(results: Mapping[str, Any], plt: Any) -> Any:
    soak = step_result(results, "soak")
    samples = soak.get("rss_samples", []) if isinstance(soak, Mapping) else []
    if not samples:
        return None
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot([s[0] for s in samples], [s[1] for s in samples])
    ax.set_xlabel("seconds")
    ax.set_ylabel("server RSS (MiB)")
    ax.set_title("Resident memory during the soak")
    return fig


PLOTS: dict[str, Callable[[Mapping[str, Any], Any], Any]] = {
    "latency": _latency_plot,
    "ingest_sizes": _ingest_plot,
    "coldstart": _coldstart_plot,
    "soak_rss": _soak_plot,
}


def make_plots(results: Mapping[str, Any], out_dir: Path) -> dict[str, Path]:
    """Draw every plot the results allow into ``out_dir``; return name -> path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, draw in PLOTS.items():
        path = out_dir / f"{name}.png"
        fig = draw(results, plt)
        if fig is None:
            path.unlink(missing_ok=True)
            continue
        fig.tight_layout()
        fig.savefig(path, dpi=110, metadata={"Software": None})
        plt.close(fig)
        written[name] = path
    return written
