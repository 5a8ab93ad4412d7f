"""Per-tenant guard policy: how scores map to allow / flag / block."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from xin.guard.verdict import REASONS, Action


class GuardPolicy(BaseModel):
    """Thresholds and overrides for one tenant (defaults measured on the dev sets, ADR 0003).

    * ``score >= block_threshold`` → block; ``score >= flag_threshold`` → flag.
    * ``block_reasons``: reasons that block as soon as their own score reaches the flag
      threshold (a bank may block every ``prompt_extraction`` attempt).
    * ``ignore_reasons``: reasons dropped before scoring (a security-training tenant may
      ignore ``encoded_payload``).
    * ``max_chars``: longer texts are scanned up to this length and at least flagged
      (``oversized``): never silently scan a prefix and pass the rest.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    flag_threshold: float = Field(default=0.45, ge=0.0, le=1.0)
    block_threshold: float = Field(default=0.75, ge=0.0, le=1.0)
    block_reasons: frozenset[str] = frozenset()
    ignore_reasons: frozenset[str] = frozenset()
    max_chars: int = Field(default=20_000, ge=100)

    @model_validator(mode="after")
    def _check(self) -> GuardPolicy:
        if self.flag_threshold > self.block_threshold:
            raise ValueError("flag_threshold must not exceed block_threshold")
        unknown = (self.block_reasons | self.ignore_reasons) - set(REASONS)
        if unknown:
            raise ValueError(f"unknown reason codes: {sorted(unknown)}")
        return self

    @classmethod
    def for_documents(cls) -> GuardPolicy:
        """Defaults for ``scan_chunk``: documents get more benefit of the doubt."""
        return cls(flag_threshold=0.5, block_threshold=0.85, max_chars=200_000)

    def decide(self, score: float, signals: dict[str, float]) -> Action:
        if score >= self.block_threshold:
            return "block"
        if any(signals.get(r, 0.0) >= self.flag_threshold for r in self.block_reasons):
            return "block"
        if score >= self.flag_threshold:
            return "flag"
        return "allow"
