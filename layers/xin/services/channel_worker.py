"""The channel worker: answer a queued ``InboundMessage`` and reply through its channel.

An action (hand-off, ticket, look-up, or a pending confirmation) takes precedence over the
RAG answer; a handed-off conversation is left to the human. A reply is sent at most once per
platform event (``reply:`` idempotency key, released when delivery fails so a retry can try
again). In AWS this runs in the ``channel_worker`` Lambda behind SQS with Powertools partial
batch failures; locally in the ``LocalQueue`` thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xin.actions.base import ActionContext
from xin.actions.engine import ActionEngine
from xin.actions.state import ActionState
from xin.channels.common import REPLIES_FAILED, REPLIES_SENT, clip, count
from xin.channels.message import InboundMessage
from xin.channels.port import Channel, IdempotencyStore
from xin.domain import Answer
from xin.lambda_app import LambdaHandler
from xin.observability.logging import get_logger
from xin.services.chat import ChatService


def format_answer(answer: Answer) -> str:
    """Plain text every platform renders: the answer, then numbered sources."""
    lines = [answer.text]
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            where = f" · {c.location}" if c.location else ""
            lines.append(f"[{c.index}] {c.title or c.document_id}{where}")
    return "\n".join(lines)


class ChannelWorker:
    def __init__(
        self,
        channels: Mapping[str, Channel],
        chat: ChatService,
        actions: ActionEngine | None,
        state: ActionState,
        idempotency: IdempotencyStore,
        *,
        idempotency_ttl_s: int,
        max_reply_chars: int,
    ) -> None:
        self._channels = channels
        self._chat = chat
        self._actions = actions
        self._state = state
        self._idempotency = idempotency
        self._ttl = idempotency_ttl_s
        self._limit = max_reply_chars

    def answer(self, message: InboundMessage) -> str | None:
        """The text to send back, or ``None`` (a human has taken this conversation over)."""
        if self._state.is_handed_off(message.tenant, message.session_id):
            return None
        if self._actions is not None:
            ctx = ActionContext(
                message.tenant, message.channel, message.session_id, message.user_id, message.text
            )
            reply = self._actions.handle(ctx)
            if reply is not None:
                return reply
        result = self._chat.ask(message.text, tenant=message.tenant, session_id=message.session_id)
        return format_answer(result.answer)

    def handle(self, message: InboundMessage) -> None:
        channel = self._channels.get(message.channel)
        if channel is None:
            raise LookupError(f"channel {message.channel!r} is not enabled")
        key = "reply:" + message.idempotency_key
        if not self._idempotency.claim(key, self._ttl):
            get_logger().info("reply already sent", extra={"channel": message.channel})
            return
        try:
            text = self.answer(message)
            if text is not None:
                channel.send(message, clip(text, self._limit))
        except Exception:
            self._idempotency.release(key)
            count(REPLIES_FAILED, message.channel)
            raise
        count(REPLIES_SENT, message.channel)


class MessageNotProcessed(Exception):
    """Raised for a message whose reply failed: it becomes a batch item failure."""


def sqs_channel_handler(function: str = "channel-worker") -> LambdaHandler:
    """The ``channel_worker`` Lambda: SQS records of ``InboundMessage`` JSON, partial failures."""
    handler: LambdaHandler | None = None

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        nonlocal handler
        if handler is None:
            handler = _build(function)
        result: dict[str, Any] = handler(event, context)
        return result

    return handle


def _build(function: str) -> LambdaHandler:
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    from xin.config import load_settings
    from xin.deps import Container
    from xin.observability.lambda_runtime import instrument, start
    from xin.observability.logging import configure_logging

    runtime = start(function)
    settings = load_settings()
    configure_logging(settings.log_level)
    container = Container(settings)
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return instrument(
        runtime, sqs_batch(container.channel_runtime.worker, processor, process_partial_response)
    )


def sqs_batch(worker: ChannelWorker, processor: Any, process: Any) -> LambdaHandler:
    def record_handler(record: Any) -> None:
        try:
            worker.handle(InboundMessage.from_json(record.body))
        except Exception as exc:
            raise MessageNotProcessed(type(exc).__name__) from exc

    def serve(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return dict(
            process(
                event=event, record_handler=record_handler, processor=processor, context=context
            )
        )

    return serve
