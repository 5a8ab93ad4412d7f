"""Per-tenant redaction policy."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from xin.redaction.phones import DEFAULT_REGIONS
from xin.redaction.policy_rules import DEFAULT_PLACEHOLDER, checked_placeholder, normalised_regions
from xin.redaction.spans import ALL_TYPES, PiiType


class RedactionPolicy(BaseModel):
    """Which PII types a tenant masks, and how placeholders look.

    ``phone_regions`` (ISO 3166 codes) are tried, in order, for numbers written without
    a country code; ``placeholder`` must contain ``{type}`` and ``{n}``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: frozenset[PiiType] = ALL_TYPES
    phone_regions: tuple[str, ...] = DEFAULT_REGIONS
    placeholder: str = Field(default=DEFAULT_PLACEHOLDER)

    @field_validator("placeholder")
    @classmethod
    def _placeholder(cls, value: str) -> str:
        return checked_placeholder(value)

    @field_validator("phone_regions")
    @classmethod
    def _regions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return normalised_regions(value)
