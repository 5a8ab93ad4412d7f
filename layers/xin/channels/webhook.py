"""Receiving a webhook: verify, normalise, de-duplicate, enqueue — and answer at once.

Everything slow (retrieval, generation, the platform's reply API) happens in the worker, so
a webhook is acknowledged well inside Slack's 3 s (and Telegram's, Meta's, Twilio's limits).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from xin.channels.common import WEBHOOKS_ACCEPTED, WEBHOOKS_IGNORED, count, reject
from xin.channels.message import InboundMessage, WebhookReply, WebhookRequest
from xin.channels.port import Channel, IdempotencyStore
from xin.channels.queue import MessageQueue
from xin.errors import NotFound
from xin.observability.logging import get_logger


class WebhookService:
    def __init__(
        self,
        channels: Mapping[str, Channel],
        idempotency: IdempotencyStore,
        queue: MessageQueue,
        *,
        idempotency_ttl_s: int,
        max_message_age_s: int,
        clock: Callable[[], float] = time.time,
        answer_inline: Callable[[InboundMessage], str] | None = None,
    ) -> None:
        self._channels = channels
        self._idempotency = idempotency
        self._queue = queue
        self._ttl = idempotency_ttl_s
        self._max_age = max_message_age_s
        self._clock = clock
        self._answer_inline = answer_inline

    def channel(self, name: str) -> Channel:
        channel = self._channels.get(name)
        if channel is None:
            raise NotFound(f"The '{name}' channel is not enabled.")
        return channel

    def receive(self, name: str, request: WebhookRequest) -> WebhookReply:
        channel = self.channel(name)
        channel.verify(request)
        try:
            parsed = channel.parse(request)
        except (ValueError, KeyError, TypeError):
            raise reject(name, "malformed", status=400) from None
        log = get_logger()
        for message in parsed.messages:
            if message.sent_at and self._clock() - message.sent_at > self._max_age:
                count(WEBHOOKS_IGNORED, name, "stale")
                log.info("stale channel message ignored", extra={"channel": name})
                continue
            if not self._idempotency.claim(message.idempotency_key, self._ttl):
                count(WEBHOOKS_IGNORED, name, "duplicate")
                log.info(
                    "duplicate channel message ignored",
                    extra={"channel": name, "event_id": message.event_id},
                )
                continue
            if self._answer_inline is not None and getattr(channel, "inline", False):
                from xin.channels.twilio import TWIML, twiml_message

                return WebhookReply(200, twiml_message(self._answer_inline(message)), TWIML)
            try:
                self._queue.enqueue(message)
            except Exception:
                self._idempotency.release(message.idempotency_key)  # let the platform retry
                raise
            count(WEBHOOKS_ACCEPTED, name)
        return parsed.reply
