"""``detect_pii``: run the enabled detectors on the folded text, resolve overlaps."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence

from xin.redaction.addresses import find_addresses
from xin.redaction.cache import detection_key, shared_cache
from xin.redaction.credentials import find_credentials
from xin.redaction.names import find_persons
from xin.redaction.phones import DEFAULT_REGIONS, find_phones
from xin.redaction.spans import (
    ALL_TYPES,
    SECRET_TYPES,
    STRUCTURED_TYPES,
    PiiSpan,
    PiiType,
    resolve_overlaps,
)
from xin.redaction.structured import (
    find_cards,
    find_emails,
    find_ibans,
    find_ips,
    find_ir_national_ids,
    find_ssns,
)
from xin.redaction.textfold import canonical, fold_same_length

Finder = Callable[[str], Iterable[PiiSpan]]

_FINDERS: tuple[tuple[frozenset[PiiType], Finder], ...] = (
    (SECRET_TYPES, find_credentials),
    (frozenset({"EMAIL"}), find_emails),
    (frozenset({"IBAN"}), find_ibans),
    (frozenset({"CARD"}), find_cards),
    (frozenset({"US_SSN"}), find_ssns),
    (frozenset({"IR_NATIONAL_ID"}), find_ir_national_ids),
    (frozenset({"IP"}), find_ips),
    (frozenset({"ADDRESS"}), find_addresses),
    (frozenset({"PERSON"}), find_persons),
)


def _raw_spans(
    folded: str, wanted: frozenset[PiiType], regions: Sequence[str]
) -> Iterator[PiiSpan]:
    for types, finder in _FINDERS:
        if types & wanted:
            yield from finder(folded)
    if "PHONE" in wanted and sum(c.isdigit() for c in folded) >= 7:
        yield from find_phones(folded, regions)


def detect_pii(
    text: str,
    types: Collection[PiiType] | None = None,
    *,
    phone_regions: Sequence[str] = DEFAULT_REGIONS,
    cached: bool = True,
) -> list[PiiSpan]:
    """PII spans in ``text`` with offsets into the ORIGINAL string, sorted by position.

    ``types`` limits the search (default: every type). Overlaps are resolved before
    filtering, so a card number inside a JWT never surfaces as a CARD. Results are reused
    from the process-wide ``SpanCache`` (keyed by a digest of the text, the detectors run and
    the phone regions) unless ``cached=False``.
    """
    wanted = frozenset(types) if types is not None else ALL_TYPES
    # Structured types can shadow a wanted one (a card inside a JWT): detect them too,
    # resolve overlaps, then keep only what was asked for. Every ``types`` that includes
    # PERSON and ADDRESS runs the same detectors, so they share one cached result.
    scanned = wanted | STRUCTURED_TYPES
    if cached:
        key = detection_key(text, scanned, phone_regions)
        spans = shared_cache().get_or_compute(key, lambda: _detect(text, scanned, phone_regions))
    else:
        spans = _detect(text, scanned, phone_regions)
    if wanted >= scanned:
        return list(spans)
    return [span for span in spans if span.type in wanted]


def _detect(
    text: str, scanned: frozenset[PiiType], phone_regions: Sequence[str]
) -> tuple[PiiSpan, ...]:
    """Every ``scanned`` type's spans after overlap resolution, with canonical keys."""
    folded = fold_same_length(text)
    out = []
    for span in resolve_overlaps(_raw_spans(folded, scanned, phone_regions)):
        value = text[span.start : span.end]
        key = canonical(span.type, value) if span.type in ("PERSON", "ADDRESS") else span.key
        out.append(PiiSpan(span.start, span.end, span.type, key or canonical(span.type, value)))
    return tuple(out)
