"""Per-tenant guard policy: how scores map to allow / flag / block."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from xin.guard.verdict import LEARNED, REASONS, Action


class GuardPolicy(BaseModel):
    """Thresholds and overrides for one tenant (defaults measured on the dev sets, ADR 0003).

    * ``score >= block_threshold`` → block; ``score >= flag_threshold`` → flag.
    * ``block_reasons``: reasons that block as soon as their own score reaches the flag
      threshold (a bank may block every ``prompt_extraction`` attempt).
    * ``ignore_reasons``: reasons dropped before scoring (a security-training tenant may
      ignore ``encoded_payload``).
    * ``max_chars``: longer texts are scanned up to this length and at least flagged
      (``oversized``): never silently scan a prefix and pass the rest.
    * ``short_chars`` / ``learned_alone_block``: a message of at most ``short_chars``
      characters that only the learned opinion (``learned_classifier``) would block, with no
      other reason at the flag threshold, is flagged instead unless that opinion reaches
      ``learned_alone_block``. A few words ("I want to talk to a human") give the learned
      scorers little evidence beyond topic vocabulary; short attacks are nearly all caught
      by the rules (ADR 0003 has the figures). ``short_chars=0`` turns this off.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    flag_threshold: float = Field(default=0.45, ge=0.0, le=1.0)
    block_threshold: float = Field(default=0.75, ge=0.0, le=1.0)
    block_reasons: frozenset[str] = frozenset()
    ignore_reasons: frozenset[str] = frozenset()
    max_chars: int = Field(default=20_000, ge=100)
    short_chars: int = Field(default=40, ge=0)
    learned_alone_block: float = Field(default=0.9, ge=0.0, le=1.0)

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

    def decide(
        self, score: float, signals: dict[str, float], *, length: int | None = None
    ) -> Action:
        """Action for a combined ``score`` and its ``signals``; ``length``: characters of
        the message (``None``: unknown, the short-message rule does not apply)."""
        if any(signals.get(r, 0.0) >= self.flag_threshold for r in self.block_reasons):
            return "block"
        if score >= self.block_threshold and not self._short_learned_alone(signals, length):
            return "block"
        if score >= self.flag_threshold:
            return "flag"
        return "allow"

    def _short_learned_alone(self, signals: dict[str, float], length: int | None) -> bool:
        """True when a short message's block would rest on a not-so-sure learned opinion."""
        if length is None or length > self.short_chars:
            return False
        others = max((s for r, s in signals.items() if r != LEARNED), default=0.0)
        return others < self.flag_threshold and signals.get(LEARNED, 0.0) < self.learned_alone_block
