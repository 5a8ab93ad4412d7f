"""Helpers the channel modules share: constant-time checks, metrics, secrets, text limits."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass

from xin.channels.port import HttpClient, WebhookRejected
from xin.observability import counters
from xin.ports import SecretSource

WEBHOOKS_REJECTED = "ChannelWebhooksRejected"
WEBHOOKS_IGNORED = "ChannelWebhooksIgnored"  # duplicates and stale replays
WEBHOOKS_ACCEPTED = "ChannelMessagesAccepted"
REPLIES_SENT = "ChannelRepliesSent"
REPLIES_FAILED = "ChannelRepliesFailed"


@dataclass(frozen=True, slots=True)
class ChannelContext:
    """What every channel adapter is built with."""

    secrets: SecretSource
    http: HttpClient
    tenant: str
    clock: Callable[[], float] = time.time
    max_message_age_s: int = 3600
    public_base_url: str | None = None


def same(expected: str, given: str) -> bool:
    """Constant-time comparison of two strings (False for an empty ``given``)."""
    return bool(given) and hmac.compare_digest(expected.encode(), given.encode())


def hmac_hex(key: str, message: bytes, digest: str = "sha256") -> str:
    return hmac.new(key.encode(), message, getattr(hashlib, digest)).hexdigest()


def reject(channel: str, reason: str, *, status: int = 401) -> WebhookRejected:
    counters.record_metric(WEBHOOKS_REJECTED, 1, "Count", {"channel": channel, "reason": reason})
    return WebhookRejected(reason, status=status)


def count(name: str, channel: str, reason: str = "") -> None:
    labels = {"channel": channel, **({"reason": reason} if reason else {})}
    counters.record_metric(name, 1, "Count", labels)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
