"""Telegram Bot API webhooks.

Verification: ``setWebhook`` is called with a ``secret_token``; Telegram then sends it in
``X-Telegram-Bot-Api-Secret-Token`` on every update (compared in constant time). The update
carries no timestamp signature, so replays are caught by ``update_id`` (idempotency) and by
the message ``date`` (older than ``max_message_age_s`` is acknowledged, not answered).
Reply: ``POST {api}/bot<token>/sendMessage``.
"""

from __future__ import annotations

import json
from typing import Any

from xin.channels.common import ChannelContext, reject, same
from xin.channels.message import InboundMessage, Parsed, WebhookRequest
from xin.channels.port import DeliveryFailed
from xin.config.channels import TelegramSettings

SECRET_HEADER = "x-telegram-bot-api-secret-token"  # noqa: S105 - a header name


class TelegramChannel:
    name = "telegram"

    def __init__(self, settings: TelegramSettings, context: ChannelContext) -> None:
        self._settings = settings
        self._ctx = context

    def verify(self, request: WebhookRequest) -> None:
        given = request.header(SECRET_HEADER)
        if not given:
            raise reject(self.name, "missing_signature")
        if not same(self._ctx.secrets.get(self._settings.webhook_secret), given):
            raise reject(self.name, "bad_signature", status=403)

    def parse(self, request: WebhookRequest) -> Parsed:
        update: dict[str, Any] = json.loads(request.body)
        message = update.get("message") or update.get("edited_message")
        if not isinstance(message, dict) or not isinstance(message.get("text"), str):
            return Parsed()  # stickers, joins, callback queries...: nothing to answer
        chat = message.get("chat") or {}
        sender = message.get("from") or {}
        if sender.get("is_bot"):
            return Parsed()
        inbound = InboundMessage(
            channel=self.name,
            tenant=self._ctx.tenant,
            event_id=str(update["update_id"]),
            conversation_id=str(chat.get("id", "")),
            user_id=str(sender.get("id", "")),
            text=message["text"],
            sent_at=float(message.get("date") or 0),
            reply_to={
                "chat_id": str(chat.get("id", "")),
                "message_id": str(message.get("message_id", "")),
            },
        )
        return Parsed(messages=(inbound,))

    def send(self, message: InboundMessage, text: str) -> None:
        token = self._ctx.secrets.get(self._settings.bot_token_secret)
        body: dict[str, Any] = {"chat_id": message.reply_to["chat_id"], "text": text}
        if message.reply_to.get("message_id"):
            body["reply_parameters"] = {
                "message_id": int(message.reply_to["message_id"]),
                "allow_sending_without_reply": True,
            }
        response = self._ctx.http.request(
            "POST", f"{self._settings.api_base_url.rstrip('/')}/bot{token}/sendMessage", json=body
        )
        result = response.json()
        if not (isinstance(result, dict) and result.get("ok")):
            raise DeliveryFailed("Telegram sendMessage was not ok", retryable=False)
