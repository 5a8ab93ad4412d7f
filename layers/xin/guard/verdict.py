"""The verdict every guard returns, and the stable reason codes it can carry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Action = Literal["allow", "flag", "block"]

INSTRUCTION_OVERRIDE = "instruction_override"
ROLEPLAY_JAILBREAK = "roleplay_jailbreak"
PROMPT_EXTRACTION = "prompt_extraction"
EXFILTRATION = "exfiltration"
ENCODED_PAYLOAD = "encoded_payload"
INDIRECT_INSTRUCTION = "indirect_instruction"
FAKE_DELIMITER = "fake_delimiter"
HIDDEN_TEXT = "hidden_text"
OVERSIZED = "oversized"
LEARNED = "learned_classifier"

REASONS: tuple[str, ...] = (
    INSTRUCTION_OVERRIDE,
    ROLEPLAY_JAILBREAK,
    PROMPT_EXTRACTION,
    EXFILTRATION,
    ENCODED_PAYLOAD,
    INDIRECT_INSTRUCTION,
    FAKE_DELIMITER,
    HIDDEN_TEXT,
    OVERSIZED,
    LEARNED,
)


@dataclass(frozen=True, slots=True)
class GuardVerdict:
    """What a guard decided about one text.

    ``score`` is the combined risk in [0, 1]; ``reasons`` are the reason codes that
    contributed, strongest first; ``signals`` pairs each reason with its own score;
    ``language`` is a cheap guess (ISO 639-1, ``"und"`` if unknown) for the refusal.
    """

    action: Action
    score: float
    reasons: tuple[str, ...] = ()
    signals: tuple[tuple[str, float], ...] = ()
    language: str = "und"

    @property
    def blocked(self) -> bool:
        return self.action == "block"

    @property
    def flagged(self) -> bool:
        return self.action == "flag"
