"""Counts the cases schemathesis runs and prints them at the end of the session."""

from __future__ import annotations

from collections import Counter
from typing import Any

CASES: Counter[str] = Counter()  # cases run, per operation ("POST /chat")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if CASES:
        terminalreporter.write_line(
            f"schemathesis: {sum(CASES.values())} cases over {len(CASES)} operations ("
            + ", ".join(f"{op}: {n}" for op, n in sorted(CASES.items()))
            + ")"
        )
