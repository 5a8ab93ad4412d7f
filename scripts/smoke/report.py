"""One log per run in the artifacts directory, and the pass/fail tally."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Report:
    artifacts: Path
    mode: str
    checks: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.artifacts.mkdir(parents=True, exist_ok=True)
        self.log_path = self.artifacts / f"smoke-{self.mode}.log"
        self.log_path.write_text("", encoding="utf-8")

    def log(self, message: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {message}"
        print(line, flush=True)
        with self.log_path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    def record(self, name: str, ok: bool, detail: str, evidence: Any = None) -> bool:
        self.checks.append({"check": name, "ok": ok, "detail": detail, "evidence": evidence})
        self.log(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")
        return ok

    @property
    def failed(self) -> list[str]:
        return [c["check"] for c in self.checks if not c["ok"]]

    def finish(self) -> int:
        summary = self.artifacts / f"smoke-{self.mode}.json"
        summary.write_text(json.dumps(self.checks, indent=2, default=str), encoding="utf-8")
        passed = len(self.checks) - len(self.failed)
        self.log(f"{passed} passed, {len(self.failed)} failed")
        if not self.checks:
            self.log("no check ran")
            return 1
        return 1 if self.failed else 0
