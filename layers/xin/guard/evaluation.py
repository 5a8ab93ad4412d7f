"""Evaluate the guard on a labelled set: TPR / FPR overall and per language, category, split.

Rows are mappings with ``text`` and ``label`` (1 = attack, 0 = benign; ``"malicious"`` /
``"benign"`` are accepted too) and optional ``lang``, ``category``, ``split`` and
``channel``. A row counts as detected when the guard *blocks* it; flags are reported
separately. ``mode``: ``input`` runs every row through ``InputGuard``; ``chunk`` through
``scan_chunk``; ``auto`` uses ``scan_chunk`` for rows whose ``channel`` is a document.
``embedder``: the retrieval embedder, to include the semantic signal (``semantic.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from xin.guard.chunk import scan_chunk
from xin.guard.input_guard import InputGuard
from xin.guard.policy import GuardPolicy
from xin.guard.verdict import GuardVerdict

if TYPE_CHECKING:
    from xin.ports import Embedder

Mode = Literal["input", "chunk", "auto"]
DOCUMENT_CHANNELS = frozenset({"document", "tool_output", "retrieved", "chunk"})
BREAKDOWN_FIELDS = ("lang", "category", "split", "channel")


@dataclass
class Counts:
    attacks: int = 0
    benign: int = 0
    true_positives: int = 0
    false_positives: int = 0
    flagged_attacks: int = 0
    flagged_benign: int = 0

    def add(self, label: int, verdict: GuardVerdict) -> None:
        if label:
            self.attacks += 1
            self.true_positives += verdict.blocked
            self.flagged_attacks += verdict.flagged
        else:
            self.benign += 1
            self.false_positives += verdict.blocked
            self.flagged_benign += verdict.flagged

    def as_dict(self) -> dict[str, Any]:
        tpr = self.true_positives / self.attacks if self.attacks else None
        fpr = self.false_positives / self.benign if self.benign else None
        return {
            "attacks": self.attacks,
            "benign": self.benign,
            "tpr": None if tpr is None else round(tpr, 4),
            "fpr": None if fpr is None else round(fpr, 4),
            "flagged_attacks": self.flagged_attacks,
            "flagged_benign": self.flagged_benign,
        }


@dataclass
class GuardReport:
    overall: Counts = field(default_factory=Counts)
    by: dict[str, dict[str, Counts]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "detected_means": "blocked",
            **self.overall.as_dict(),
            "breakdown": {
                name: {key: counts.as_dict() for key, counts in sorted(groups.items())}
                for name, groups in self.by.items()
            },
            "misses": self.misses,
            "false_alarms": self.false_alarms,
        }


def parse_label(value: object) -> int:
    if isinstance(value, bool | int) and int(value) in (0, 1):
        return int(value)
    if isinstance(value, str) and value.strip().lower() in {"1", "attack", "malicious"}:
        return 1
    if isinstance(value, str) and value.strip().lower() in {"0", "benign"}:
        return 0
    raise ValueError(f"label must be 1/0 (attack/benign), got {value!r}")


def evaluate_guard(
    rows: Iterable[Mapping[str, Any]],
    *,
    mode: Mode = "input",
    policy: GuardPolicy | None = None,
    embedder: Embedder | None = None,
) -> GuardReport:
    guard = InputGuard(policy, embedder=embedder)
    report = GuardReport()
    for row in rows:
        label = parse_label(row["label"])
        text = str(row["text"])
        as_chunk = mode == "chunk" or (
            mode == "auto" and str(row.get("channel", "")).lower() in DOCUMENT_CHANNELS
        )
        verdict = scan_chunk(text) if as_chunk else guard.check(text)
        report.overall.add(label, verdict)
        for name in BREAKDOWN_FIELDS:
            if row.get(name) is not None:
                group = report.by.setdefault(name, {})
                group.setdefault(str(row[name]), Counts()).add(label, verdict)
        row_id = str(row.get("id", "?"))
        if label and not verdict.blocked:
            report.misses.append(row_id)
        elif not label and verdict.blocked:
            report.false_alarms.append(row_id)
    return report
