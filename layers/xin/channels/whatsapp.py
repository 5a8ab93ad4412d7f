"""WhatsApp Cloud API webhooks.

Subscription: ``GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...`` is answered
with the challenge when the verify token matches. Notifications: ``X-Hub-Signature-256 =
sha256=hex(HMAC-SHA256(app_secret, raw body))``. Messages are de-duplicated by their
``wamid`` id and ignored when older than ``max_message_age_s`` (``timestamp``). Reply:
``POST {graph}/{phone-number-id}/messages``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from xin.channels.common import ChannelContext, hmac_hex, reject, same
from xin.channels.message import InboundMessage, Parsed, WebhookReply, WebhookRequest
from xin.config.channels import WhatsAppSettings


class WhatsAppChannel:
    name = "whatsapp"

    def __init__(self, settings: WhatsAppSettings, context: ChannelContext) -> None:
        self._settings = settings
        self._ctx = context

    def subscribe(self, query: dict[str, str]) -> WebhookReply:
        """The GET verification handshake Meta performs when the webhook is configured."""
        token = self._ctx.secrets.get(self._settings.verify_token_secret)
        if query.get("hub.mode") != "subscribe" or not same(
            token, query.get("hub.verify_token", "")
        ):
            raise reject(self.name, "bad_verify_token", status=403)
        return WebhookReply(200, query.get("hub.challenge", ""), "text/plain")

    def verify(self, request: WebhookRequest) -> None:
        signature = request.header("x-hub-signature-256")
        if not signature:
            raise reject(self.name, "missing_signature")
        expected = "sha256=" + hmac_hex(
            self._ctx.secrets.get(self._settings.app_secret), request.body
        )
        if not same(expected, signature):
            raise reject(self.name, "bad_signature")

    def parse(self, request: WebhookRequest) -> Parsed:
        payload: dict[str, Any] = json.loads(request.body)
        if payload.get("object") != "whatsapp_business_account":
            return Parsed()
        return Parsed(messages=tuple(self._messages(payload)))

    def _messages(self, payload: dict[str, Any]) -> Iterator[InboundMessage]:
        for entry in payload.get("entry") or []:
            for change in entry.get("changes") or []:
                value = change.get("value") or {}
                phone_number_id = str((value.get("metadata") or {}).get("phone_number_id", ""))
                for message in value.get("messages") or []:  # statuses-only: no messages
                    if message.get("type") != "text":
                        continue
                    sender = str(message.get("from", ""))
                    yield InboundMessage(
                        channel=self.name,
                        tenant=self._ctx.tenant,
                        event_id=str(message.get("id", "")),
                        conversation_id=f"{phone_number_id}:{sender}",
                        user_id=sender,
                        text=str((message.get("text") or {}).get("body", "")),
                        sent_at=float(message.get("timestamp") or 0),
                        reply_to={
                            "phone_number_id": phone_number_id,
                            "to": sender,
                            "message_id": str(message.get("id", "")),
                        },
                    )

    def send(self, message: InboundMessage, text: str) -> None:
        token = self._ctx.secrets.get(self._settings.access_token_secret)
        base = self._settings.api_base_url.rstrip("/")
        self._ctx.http.request(
            "POST",
            f"{base}/{message.reply_to['phone_number_id']}/messages",
            json={
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": message.reply_to["to"],
                "context": {"message_id": message.reply_to["message_id"]},
                "type": "text",
                "text": {"preview_url": False, "body": text},
            },
            headers={"Authorization": f"Bearer {token}"},
        )
