"""The redaction policy's defaults and rules, without pydantic.

``RedactionPolicy`` (``xin.redaction.policy``) is the pydantic model tenants configure; it
takes its defaults and checks from here. :class:`PlainRedactionPolicy` holds the same
values, checked by the same rules, for a path that must not import pydantic: the log filter
of the health function (ADR 0019). ``Redactor`` and ``RedactingFilter`` accept either, as a
:class:`RedactionPolicyView`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from xin.redaction.phones import DEFAULT_REGIONS
from xin.redaction.spans import ALL_TYPES, PiiType

DEFAULT_PLACEHOLDER = "<{type}_{n}>"


class RedactionPolicyView(Protocol):
    """What a redactor reads from a policy."""

    @property
    def enabled(self) -> frozenset[PiiType]: ...

    @property
    def phone_regions(self) -> tuple[str, ...]: ...

    @property
    def placeholder(self) -> str: ...


def default_policy() -> RedactionPolicyView:
    """``RedactionPolicy()``, the pydantic model, imported only when a caller gives no policy."""
    from xin.redaction.policy import RedactionPolicy

    return RedactionPolicy()


def checked_placeholder(value: str) -> str:
    if "{type}" not in value or "{n}" not in value:
        raise ValueError("placeholder must contain {type} and {n}")
    return value


def normalised_regions(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(r.upper() for r in value)


@dataclass(frozen=True, slots=True)
class PlainRedactionPolicy:
    """``RedactionPolicy``'s values and checks as a frozen dataclass (no pydantic)."""

    enabled: frozenset[PiiType] = ALL_TYPES
    phone_regions: tuple[str, ...] = DEFAULT_REGIONS
    placeholder: str = DEFAULT_PLACEHOLDER

    def __post_init__(self) -> None:
        if isinstance(self.enabled, str) or not set(self.enabled) <= ALL_TYPES:
            raise ValueError(f"enabled: unknown PII types in {self.enabled!r}")
        if isinstance(self.phone_regions, str) or not all(
            isinstance(r, str) for r in self.phone_regions
        ):
            raise ValueError("phone_regions must be a sequence of region codes")
        if not isinstance(self.placeholder, str):
            raise ValueError("placeholder must be a string")
        object.__setattr__(self, "enabled", frozenset(self.enabled))
        object.__setattr__(self, "phone_regions", normalised_regions(self.phone_regions))
        checked_placeholder(self.placeholder)
