"""PII types, the span every detector returns, and overlap resolution."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

PiiType = Literal[
    "EMAIL",
    "PHONE",
    "CARD",
    "IBAN",
    "IP",
    "US_SSN",
    "IR_NATIONAL_ID",
    "AWS_ACCESS_KEY",
    "AWS_SECRET_KEY",
    "JWT",
    "API_TOKEN",
    "PRIVATE_KEY",
    "PERSON",
    "ADDRESS",
]

ALL_TYPES: frozenset[PiiType] = frozenset(
    (
        "EMAIL",
        "PHONE",
        "CARD",
        "IBAN",
        "IP",
        "US_SSN",
        "IR_NATIONAL_ID",
        "AWS_ACCESS_KEY",
        "AWS_SECRET_KEY",
        "JWT",
        "API_TOKEN",
        "PRIVATE_KEY",
        "PERSON",
        "ADDRESS",
    )
)
SECRET_TYPES: frozenset[PiiType] = frozenset(
    ("AWS_ACCESS_KEY", "AWS_SECRET_KEY", "JWT", "API_TOKEN", "PRIVATE_KEY")
)
STRUCTURED_TYPES: frozenset[PiiType] = ALL_TYPES - {"PERSON", "ADDRESS"}
PERSONAL_TYPES: frozenset[PiiType] = ALL_TYPES - SECRET_TYPES

# Higher wins when two detections overlap (a card number inside a JWT is not a card).
PRIORITY: dict[PiiType, int] = {
    "PRIVATE_KEY": 100,
    "JWT": 95,
    "AWS_SECRET_KEY": 92,
    "AWS_ACCESS_KEY": 90,
    "API_TOKEN": 85,
    "EMAIL": 80,
    "IBAN": 75,
    "CARD": 70,
    "US_SSN": 65,
    "IR_NATIONAL_ID": 60,
    "PHONE": 55,
    "IP": 50,
    "ADDRESS": 40,
    "PERSON": 30,
}
# Types whose span legitimately contains other detections (a postcode inside an address).
CONTAINERS: frozenset[PiiType] = frozenset(("PRIVATE_KEY", "ADDRESS"))


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """``text[start:end]`` of the ORIGINAL input is a ``type`` value; ``key`` is its
    canonical form (same value, same key: "+98 912 123 4567" and "09121234567")."""

    start: int
    end: int
    type: PiiType
    key: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "type": self.type}


def resolve_overlaps(spans: Iterable[PiiSpan]) -> list[PiiSpan]:
    """Keep non-overlapping spans: containers keep what they contain, else priority, length."""
    candidates = sorted(spans, key=lambda s: (-PRIORITY[s.type], -(s.end - s.start), s.start))
    kept: list[PiiSpan] = []
    for span in candidates:
        clash = [k for k in kept if k.start < span.end and span.start < k.end]
        if not clash:
            kept.append(span)
            continue
        contains_all = all(span.start <= k.start and k.end <= span.end for k in clash)
        if span.type in CONTAINERS and contains_all:
            kept = [k for k in kept if k not in clash]
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end))
