"""Slack Events API.

Verification: ``X-Slack-Signature = v0=hex(HMAC-SHA256(signing_secret, "v0:{ts}:{body}"))``
with ``X-Slack-Request-Timestamp`` within the replay window (5 minutes). ``url_verification``
is answered with its ``challenge``. Slack retries (``X-Slack-Retry-Num``) when it does not
get a 200 within 3 s; every retry carries the same ``event_id``, which the idempotency store
de-duplicates. Reply: ``POST {api}/chat.postMessage`` in the message's thread.
"""

from __future__ import annotations

import json
from typing import Any

from xin.channels.common import ChannelContext, hmac_hex, reject, same
from xin.channels.message import InboundMessage, Parsed, WebhookReply, WebhookRequest
from xin.channels.port import DeliveryFailed
from xin.config.channels import SlackSettings

_ANSWERED = frozenset({"message", "app_mention"})


class SlackChannel:
    name = "slack"

    def __init__(self, settings: SlackSettings, context: ChannelContext) -> None:
        self._settings = settings
        self._ctx = context

    def verify(self, request: WebhookRequest) -> None:
        signature = request.header("x-slack-signature")
        timestamp = request.header("x-slack-request-timestamp")
        if not signature or not timestamp:
            raise reject(self.name, "missing_signature")
        try:
            sent = int(timestamp)
        except ValueError:
            raise reject(self.name, "bad_timestamp") from None
        if abs(self._ctx.clock() - sent) > self._settings.replay_window_s:
            raise reject(self.name, "stale")
        secret = self._ctx.secrets.get(self._settings.signing_secret)
        expected = "v0=" + hmac_hex(secret, b"v0:" + timestamp.encode() + b":" + request.body)
        if not same(expected, signature):
            raise reject(self.name, "bad_signature")

    def parse(self, request: WebhookRequest) -> Parsed:
        payload: dict[str, Any] = json.loads(request.body)
        kind = payload.get("type")
        if kind == "url_verification":
            challenge = json.dumps({"challenge": str(payload.get("challenge", ""))})
            return Parsed(reply=WebhookReply(200, challenge))
        event = payload.get("event") or {}
        if kind != "event_callback" or event.get("type") not in _ANSWERED:
            return Parsed()
        if event.get("bot_id") or event.get("subtype") or not event.get("text"):
            return Parsed()  # our own replies, edits, joins: never answer a bot
        inbound = InboundMessage(
            channel=self.name,
            tenant=self._ctx.tenant,
            event_id=str(payload.get("event_id", "")),
            conversation_id=f"{payload.get('team_id', '')}:{event.get('channel', '')}",
            user_id=str(event.get("user", "")),
            text=_strip_mentions(str(event["text"])),
            sent_at=float(payload.get("event_time") or event.get("ts") or 0),
            reply_to={
                "channel": str(event.get("channel", "")),
                "thread_ts": str(event.get("thread_ts") or event.get("ts") or ""),
            },
        )
        return Parsed(messages=(inbound,))

    def send(self, message: InboundMessage, text: str) -> None:
        token = self._ctx.secrets.get(self._settings.bot_token_secret)
        body = {"channel": message.reply_to["channel"], "text": text}
        if message.reply_to.get("thread_ts"):
            body["thread_ts"] = message.reply_to["thread_ts"]
        response = self._ctx.http.request(
            "POST",
            f"{self._settings.api_base_url.rstrip('/')}/chat.postMessage",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )
        result = response.json()
        if not (isinstance(result, dict) and result.get("ok")):
            error = result.get("error", "unknown") if isinstance(result, dict) else "unknown"
            raise DeliveryFailed(f"Slack chat.postMessage failed: {error}", retryable=False)


def _strip_mentions(text: str) -> str:
    import re

    return re.sub(r"<@[A-Z0-9]+>\s*", "", text).strip()
