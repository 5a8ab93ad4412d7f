"""Evaluate PII detection against gold spans: per-type precision, recall and F1.

Rows carry ``text`` and gold ``spans`` (``start``, ``end``, ``type``). Two matchings are
reported: ``exact`` (same start, end and type) and ``overlap`` (same type, at least one
character in common; each gold span matched at most once).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from xin.redaction.detect import detect_pii
from xin.redaction.spans import PiiSpan

Matching = Literal["exact", "overlap"]
Gold = tuple[int, int, str]


@dataclass
class TypeCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def as_dict(self) -> dict[str, Any]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall
            else None
        )
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": None if precision is None else round(precision, 4),
            "recall": None if recall is None else round(recall, 4),
            "f1": None if f1 is None else round(f1, 4),
        }


@dataclass
class PiiReport:
    by_matching: dict[str, dict[str, TypeCounts]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def counts(self, matching: Matching, pii_type: str) -> TypeCounts:
        return self.by_matching.setdefault(matching, {}).setdefault(pii_type, TypeCounts())

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for matching, types in self.by_matching.items():
            total = TypeCounts()
            for counts in types.values():
                total.tp += counts.tp
                total.fp += counts.fp
                total.fn += counts.fn
            out[matching] = {
                "per_type": {t: c.as_dict() for t, c in sorted(types.items())},
                "micro": total.as_dict(),
            }
        return out


def parse_gold(spans: Sequence[Mapping[str, Any]]) -> list[Gold]:
    return [(int(s["start"]), int(s["end"]), str(s["type"])) for s in spans]


def _match(
    pred: list[Gold], gold: list[Gold], matching: Matching
) -> tuple[list[Gold], list[Gold], list[Gold]]:
    """(true positives, false positives, false negatives) for one row."""
    unmatched = list(gold)
    tps: list[Gold] = []
    fps: list[Gold] = []
    for p in pred:
        hit = next(
            (
                g
                for g in unmatched
                if g[2] == p[2]
                and (
                    (g[0], g[1]) == (p[0], p[1])
                    if matching == "exact"
                    else g[0] < p[1] and p[0] < g[1]
                )
            ),
            None,
        )
        if hit is None:
            fps.append(p)
        else:
            unmatched.remove(hit)
            tps.append(p)
    return tps, fps, unmatched


def evaluate_pii(rows: Iterable[Mapping[str, Any]]) -> PiiReport:
    report = PiiReport()
    for row in rows:
        text = str(row["text"])
        gold = parse_gold(row.get("spans", []))
        found: list[PiiSpan] = detect_pii(text)
        pred: list[Gold] = [(s.start, s.end, str(s.type)) for s in found]
        for matching in ("exact", "overlap"):
            tps, fps, fns = _match(pred, gold, matching)
            for t in tps:
                report.counts(matching, t[2]).tp += 1
            for t in fps:
                report.counts(matching, t[2]).fp += 1
            for t in fns:
                report.counts(matching, t[2]).fn += 1
            if matching == "overlap" and (fps or fns):
                report.errors.append(
                    {
                        "id": row.get("id"),
                        "false_positives": [(s, e, t, text[s:e]) for s, e, t in fps],
                        "false_negatives": [(s, e, t, text[s:e]) for s, e, t in fns],
                    }
                )
    return report
