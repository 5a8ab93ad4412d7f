"""Tenants with different redaction policies share one PII detection cache: what each
tenant's replies and transcripts mask must not depend on which tenant asked first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from xin.config.safety import GuardSettings, RedactionSettings, TenantRedactionSettings
from xin.config.security import TenantSettings
from xin.domain import Answer, Chunk, Citation, SearchHit
from xin.redaction.cache import SpanCache, set_shared_cache
from xin.redaction.spans import ALL_TYPES
from xin.services.safety import SafetyService

# A street that reads as a name when ADDRESS is off, a bare number whose country depends on
# the regions, an e-mail and an AWS key.
TEXT = (
    "María José Fernández lives at Calle de Alcalá 42, 28014 Madrid; call 3344910654 or "
    "write to mj.fernandez@mail.example. Key: AKIAIOSFODNN7EXAMPLE."
)
PASSAGE = "The help desk is at helpdesk@shop.example and 3344910654, Calle de Alcalá 42."
TENANTS = {
    "names_only": TenantSettings(redaction=TenantRedactionSettings(types=["PERSON"])),
    "no_address": TenantSettings(
        redaction=TenantRedactionSettings(types=sorted(ALL_TYPES - {"ADDRESS"}))
    ),
    "no_phone": TenantSettings(
        redaction=TenantRedactionSettings(types=sorted(ALL_TYPES - {"PHONE"}))
    ),
    "strict": TenantSettings(redaction=TenantRedactionSettings(keep_cited_pii_in_responses=False)),
}
ORDER = ["default", "names_only", "no_address", "no_phone", "strict"]


def _safety() -> SafetyService:
    return SafetyService(
        GuardSettings(), RedactionSettings(), TENANTS, canary="xin-canary-0123456789abcdef"
    )


def _answer() -> tuple[Answer, list[SearchHit]]:
    chunk = Chunk("c1", "d1", "t", 0, PASSAGE)
    citation = Citation(1, "d1", "Help desk", "help.md", "", "c1", PASSAGE[:60])
    answer = Answer(f"{TEXT} [1]", (citation,), "en", grounded=True)
    return answer, [SearchHit(chunk, 1.0)]


def _outputs(safety: SafetyService, tenants: list[str]) -> dict[str, tuple[str, str, str]]:
    answer, hits = _answer()
    out = {}
    for tenant in tenants:
        redactor = safety.for_session(tenant, "s1", [])
        reply = safety.redact_response(answer, hits, redactor, tenant=tenant)
        transcript = safety.transcript_text(TEXT, redactor, tenant=tenant)
        out[tenant] = (reply.text, reply.citations[0].snippet, transcript)
    return out


@pytest.fixture
def uncached() -> dict[str, tuple[str, str, str]]:
    previous = set_shared_cache(SpanCache(max_entries=0))
    try:
        return _outputs(_safety(), ORDER)
    finally:
        set_shared_cache(previous)


@pytest.fixture
def cache() -> Iterator[SpanCache]:
    fresh = SpanCache(admit_after=1)  # every result stored at once: mixing would show
    previous = set_shared_cache(fresh)
    yield fresh
    set_shared_cache(previous)


def test_the_policies_really_differ(uncached: dict[str, tuple[str, str, str]]) -> None:
    transcripts = {tenant: out[2] for tenant, out in uncached.items()}
    assert "<PHONE_1>" in transcripts["default"] and "3344910654" in transcripts["no_phone"]
    assert (
        "<ADDRESS_1>" in transcripts["default"] and "<ADDRESS_1>" not in transcripts["no_address"]
    )
    assert "Calle de Alcalá" not in transcripts["no_address"]  # masked as a PERSON instead
    assert "mj.fernandez@mail.example" in transcripts["names_only"]
    assert "<AWS_ACCESS_KEY_1>" in transcripts["default"]
    assert "3344910654" in uncached["default"][0] and "<PHONE_1>" in uncached["strict"][0]


@pytest.mark.parametrize("order", [ORDER, ORDER[::-1], ORDER[2:] + ORDER[:2]])
def test_each_tenant_gets_its_own_result_whoever_asked_first(
    cache: SpanCache, uncached: dict[str, tuple[str, str, str]], order: list[str]
) -> None:
    first = _outputs(_safety(), order)
    again = _outputs(_safety(), order[::-1])  # served from the cache
    assert first == uncached
    assert again == uncached
    assert cache.stats().hits > 0


def test_credentials_are_masked_even_for_a_tenant_that_lists_only_names(
    uncached: dict[str, tuple[str, str, str]],
) -> None:
    reply, _, transcript = uncached["names_only"]
    for text in (reply, transcript):
        assert "AKIAIOSFODNN7EXAMPLE" not in text and "<AWS_ACCESS_KEY_1>" in text
        assert "mj.fernandez@mail.example" in text  # what the tenant did not list stays
