"""The ``Channel`` port, the outbound ``HttpClient`` port, and the errors webhooks raise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from xin.channels.message import InboundMessage, Parsed, WebhookRequest
from xin.errors import XinError


class WebhookRejected(XinError):
    """A webhook failed verification: forged, unsigned, stale or for another app.

    ``reason`` is a short label for the metric (``missing_signature``, ``bad_signature``,
    ``stale``...). The message never includes a secret or the expected signature.
    """

    code = "webhook_rejected"
    http_status = 401

    def __init__(self, reason: str, *, status: int = 401) -> None:
        super().__init__("The request could not be verified.")
        self.reason = reason
        self.http_status = status


class DeliveryFailed(XinError):
    """A reply could not be delivered; ``retryable`` says whether trying again may help."""

    code = "delivery_failed"
    http_status = 502

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    body: bytes
    headers: Mapping[str, str]

    def json(self) -> Any:
        import json

        return json.loads(self.body or b"null")


@runtime_checkable
class HttpClient(Protocol):
    """Outbound HTTP with a timeout; retries 429/5xx; raises ``DeliveryFailed``."""

    def request(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> HttpResponse: ...


@runtime_checkable
class Channel(Protocol):
    """One messaging platform."""

    name: str

    def verify(self, request: WebhookRequest) -> None:
        """Raise ``WebhookRejected`` unless the request provably comes from the platform."""
        ...

    def parse(self, request: WebhookRequest) -> Parsed:
        """The messages in a verified request and what to answer the platform now."""
        ...

    def send(self, message: InboundMessage, text: str) -> None:
        """Reply to ``message`` through the platform's API; raise ``DeliveryFailed``."""
        ...


@runtime_checkable
class IdempotencyStore(Protocol):
    """Remembers keys for a while: ``claim`` is true only for the first caller."""

    def claim(self, key: str, ttl_s: int) -> bool: ...

    def release(self, key: str) -> None: ...
