"""The common inbound message every channel normalises to, and what a webhook answers."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One user message from any channel.

    ``event_id`` is the platform's own id for this delivery (Slack ``event_id``, Telegram
    ``update_id``, WhatsApp ``wamid``, Twilio ``MessageSid``, Teams activity ``id``): the
    idempotency key. ``reply_to`` holds what the channel needs to answer (chat id, thread,
    phone number id, serviceUrl...), as plain strings.
    """

    channel: str
    tenant: str
    event_id: str
    conversation_id: str
    user_id: str
    text: str
    sent_at: float
    reply_to: dict[str, str] = field(default_factory=dict)

    @property
    def idempotency_key(self) -> str:
        return f"{self.channel}:{self.event_id}"

    @property
    def session_id(self) -> str:
        """One conversation per channel chat (history, pending confirmations, hand-off)."""
        return f"{self.channel}:{self.conversation_id}"[:200]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> InboundMessage:
        data: dict[str, Any] = json.loads(text)
        data["reply_to"] = {str(k): str(v) for k, v in (data.get("reply_to") or {}).items()}
        return cls(**data)


@dataclass(frozen=True, slots=True)
class WebhookRequest:
    """The raw HTTP request a platform sent: the body bytes exactly as received (signatures
    are computed over them), lower-cased header names, the query string and the URL."""

    method: str
    url: str
    headers: dict[str, str]
    query: dict[str, str]
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass(frozen=True, slots=True)
class WebhookReply:
    """What the route answers the platform right away."""

    status: int = 200
    body: str = ""
    media_type: str = "application/json"


@dataclass(frozen=True, slots=True)
class Parsed:
    """Messages to answer, plus an immediate reply (a challenge, TwiML, or an empty ack)."""

    messages: tuple[InboundMessage, ...] = ()
    reply: WebhookReply = field(default_factory=WebhookReply)
