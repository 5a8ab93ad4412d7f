"""Formatting shared by the report sections: figures, tables, and why a step has none."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


def fmt(value: Any) -> str:
    """A figure for a table: ``—`` when absent, fewer decimals as numbers grow."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and math.isfinite(value):
        digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2 if abs(value) >= 1 else 3
        return f"{value:.{digits}f}"
    if value is None or isinstance(value, float):  # absent, NaN or infinite
        return "—"
    return str(value)


def table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(fmt(cell) for cell in row) + " |" for row in rows]
    return lines


def unavailable(results: Mapping[str, Any], step: str) -> list[str]:
    """Why a step has no figures (empty when it has)."""
    entry = results.get("steps", {}).get(step)
    if entry is None:
        return ["", f"_Not run in this report (step `{step}`)._"]
    if entry.get("status") == "ok" and entry.get("result") is not None:
        return []
    why = str(entry.get("error") or "").strip().splitlines()
    reason = f": {why[-1][:200]}" if why else ""
    return ["", f"_Not measured: step `{step}` {entry.get('status', '?')}{reason}._"]


def plot_link(plots: Mapping[str, str], name: str, alt: str) -> list[str]:
    return ["", f"![{alt}]({plots[name]})"] if name in plots else []


def runs_of(result: Any) -> list[Mapping[str, Any]]:
    if not isinstance(result, Mapping):
        return []
    runs = result.get("runs", [result])
    return [r for r in runs if isinstance(r, Mapping)] if isinstance(runs, list) else []
