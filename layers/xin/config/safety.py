"""Settings sections for the guardrails (``guard``) and PII redaction (``redaction``).

Kept apart from ``settings.py`` like ``security.py``; see docs/adr/0012-safety-in-the-chat-path.md.
Per-tenant overrides live under ``tenants.<name>.guard`` / ``tenants.<name>.redaction`` and use
the same models with every field optional (``TenantGuardSettings``, ``TenantRedactionSettings``).
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from xin.guard.policy import GuardPolicy
from xin.guard.verdict import REASONS
from xin.redaction.spans import ALL_TYPES, PiiType

RedactionTarget = Literal["responses", "transcripts", "logs"]
_Score = Annotated[float, Field(ge=0.0, le=1.0)]
_T = TypeVar("_T")
_ALL_TARGETS: tuple[RedactionTarget, ...] = ("responses", "transcripts", "logs")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_reasons(reasons: list[str]) -> None:
    unknown = sorted(set(reasons) - set(REASONS))
    if unknown:
        raise ValueError(f"unknown guard reason codes: {unknown}; known: {list(REASONS)}")


class TenantGuardSettings(_Section):
    """``tenants.<name>.guard``: what a tenant changes in the guard policy (None: inherit)."""

    enabled: bool | None = None
    flag_threshold: _Score | None = None
    block_threshold: _Score | None = None
    block_reasons: list[str] | None = None
    ignore_reasons: list[str] | None = None

    @model_validator(mode="after")
    def _known_reasons(self) -> TenantGuardSettings:
        _check_reasons([*(self.block_reasons or []), *(self.ignore_reasons or [])])
        return self


class GuardSettings(_Section):
    """``guard``: the input guard, ingestion scanning and the output guard (ADR 0003, 0012)."""

    enabled: bool = True
    flag_threshold: _Score = 0.45
    block_threshold: _Score = 0.75
    block_reasons: list[str] = Field(default_factory=list)
    ignore_reasons: list[str] = Field(default_factory=list)
    scan_documents: bool = True  # flag suspicious chunks at ingestion (metadata)
    output_check: bool = True  # canary / prompt overlap / secrets / PII / grounding
    # Second opinion from the retrieval embedding of the message (ADR 0003): one dot product
    # when the embedder is the model the shipped weights were trained for, else ignored.
    semantic: bool = True
    # The canary comes from this secret when set; otherwise it is generated once and kept in
    # ``<data_dir>/guard-canary`` (or per process when the data dir is read-only).
    canary_secret: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> GuardSettings:
        _check_reasons([*self.block_reasons, *self.ignore_reasons])
        if self.flag_threshold > self.block_threshold:
            raise ValueError("guard.flag_threshold must not exceed guard.block_threshold")
        return self

    def policy(self, tenant: TenantGuardSettings | None = None) -> GuardPolicy:
        """The effective ``GuardPolicy`` for a tenant (its overrides over these defaults)."""
        t = tenant or TenantGuardSettings()
        return GuardPolicy(
            flag_threshold=_pick(t.flag_threshold, self.flag_threshold),
            block_threshold=_pick(t.block_threshold, self.block_threshold),
            block_reasons=frozenset(_pick(t.block_reasons, self.block_reasons)),
            ignore_reasons=frozenset(_pick(t.ignore_reasons, self.ignore_reasons)),
        )

    def enabled_for(self, tenant: TenantGuardSettings | None) -> bool:
        return bool(_pick(tenant.enabled if tenant else None, self.enabled))


class TenantRedactionSettings(_Section):
    """``tenants.<name>.redaction``: a tenant's redaction overrides (None: inherit)."""

    enabled: bool | None = None
    types: list[PiiType] | None = None
    apply_to: list[RedactionTarget] | None = None
    keep_cited_pii_in_responses: bool | None = None


class RedactionSettings(_Section):
    """``redaction``: which PII types are masked, and where.

    * ``responses``: answers returned by the API. With ``keep_cited_pii_in_responses`` (the
      default) personal data that the cited documents themselves contain (a help desk's
      published e-mail or phone number) is shown as written; anything else is masked.
    * ``transcripts``: both turns are masked before the conversation store sees them.
    * ``logs``: a ``RedactingFilter`` on the application logger (process-wide, not per tenant).
    """

    enabled: bool = True
    types: list[PiiType] = Field(default_factory=lambda: sorted(ALL_TYPES))
    apply_to: list[RedactionTarget] = Field(default_factory=lambda: list(_ALL_TARGETS))
    keep_cited_pii_in_responses: bool = True

    def for_tenant(self, tenant: TenantRedactionSettings | None) -> RedactionSettings:
        if tenant is None:
            return self
        changes = {k: v for k, v in tenant.model_dump().items() if v is not None}
        return self.model_copy(update=changes) if changes else self

    def applies_to(self, target: RedactionTarget) -> bool:
        return self.enabled and target in self.apply_to


def _pick(override: _T | None, default: _T) -> _T:
    return default if override is None else override
