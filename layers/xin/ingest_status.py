"""What the status table knows about each document, and the one rule for claiming work on it.

Plain data and pure functions: no I/O. Every ``IngestionStatusStore`` backend applies
:func:`decide_claim` atomically (a SQLite transaction, a DynamoDB conditional write), so a
redelivered, reordered or concurrent S3 event is handled the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

IngestState = Literal["pending", "indexed", "failed", "deleted"]
EventKind = Literal["created", "removed"]
FINAL_STATES: frozenset[str] = frozenset({"indexed", "failed", "deleted"})
SEQUENCER_WIDTH = 32


@dataclass(frozen=True, slots=True)
class IngestionRecord:
    """One document's ingestion state.

    ``version`` is the S3 version id, or the ETag on an unversioned bucket; ``sequencer``
    orders events on one key (normalised by :func:`normalise_sequencer`). ``lease_until``
    and ``claim_token`` belong to the worker holding a ``pending`` document.
    """

    tenant: str
    document_id: str
    state: IngestState
    event: EventKind = "created"
    source: str = ""
    version: str = ""
    sequencer: str = ""
    reason: str = ""
    code: str = ""
    chunk_count: int = 0
    size: int = 0
    created_at: float = 0.0
    updated_at: float = 0.0
    indexed_at: float | None = None
    lease_until: float = 0.0
    claim_token: str = ""

    def same_event(self, other: IngestionRecord) -> bool:
        """Whether ``other`` describes the very same S3 event (a redelivery)."""
        return (
            self.event == other.event
            and self.version == other.version
            and self.sequencer == other.sequencer
        )


class ClaimDecision(StrEnum):
    ACQUIRED = "acquired"  # this worker owns the document until it records the outcome
    DUPLICATE = "duplicate"  # this exact event was already processed: a no-op
    STALE = "stale"  # a newer event on the same key was already seen: a no-op
    IN_PROGRESS = "in_progress"  # another worker holds a live lease: try again later


@dataclass(frozen=True, slots=True)
class Claim:
    decision: ClaimDecision
    existing: IngestionRecord | None

    @property
    def acquired(self) -> bool:
        return self.decision is ClaimDecision.ACQUIRED


def normalise_sequencer(value: str) -> str:
    """S3 sequencers compare as hex strings once right-padded with zeros to one length."""
    cleaned = value.strip().upper()
    return cleaned.ljust(SEQUENCER_WIDTH, "0") if cleaned else ""


def decide_claim(
    existing: IngestionRecord | None, attempt: IngestionRecord, now: float
) -> ClaimDecision:
    """Whether ``attempt`` (a ``pending`` record for one S3 event) may take the document.

    Order matters: an older event never overwrites a newer one; a live lease is respected
    whatever the event; an event already carried to a final state is not processed again.
    """
    if existing is None:
        return ClaimDecision.ACQUIRED
    if attempt.sequencer and existing.sequencer and attempt.sequencer < existing.sequencer:
        return ClaimDecision.STALE
    if existing.state == "pending" and existing.lease_until > now:
        return ClaimDecision.IN_PROGRESS
    if existing.state in FINAL_STATES and existing.same_event(attempt):
        return ClaimDecision.DUPLICATE
    return ClaimDecision.ACQUIRED
