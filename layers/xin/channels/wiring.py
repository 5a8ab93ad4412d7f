"""Wires channels, idempotency, the queue, actions and the worker from ``Settings``
(``Container.channel_runtime``); every part is built on first use."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xin.channels.port import Channel, HttpClient, IdempotencyStore

if TYPE_CHECKING:
    from xin.actions.engine import ActionEngine
    from xin.actions.state import ActionState
    from xin.channels.queue import MessageQueue
    from xin.channels.webhook import WebhookService
    from xin.deps import Container
    from xin.services.channel_worker import ChannelWorker


class ChannelRuntime:
    def __init__(
        self,
        container: Container,
        *,
        clock: Callable[[], float] | None = None,
        http: HttpClient | None = None,
    ) -> None:
        self._container = container
        self._settings = container.settings
        self._clock = clock
        self._http = http

    @property
    def state_path(self) -> Path:
        return self._settings.channels.state_path or self._settings.data_dir / "channels.db"

    @cached_property
    def http(self) -> HttpClient:
        if self._http is not None:
            return self._http
        from xin.channels.http_client import HttpxClient

        config = self._settings.channels
        return HttpxClient(timeout_s=config.http_timeout_s, retries=config.http_retries)

    @cached_property
    def channels(self) -> dict[str, Channel]:
        from xin.channels.registry import build_channels

        return build_channels(self._settings, self._container.secrets, self.http, clock=self._clock)

    @cached_property
    def idempotency(self) -> IdempotencyStore:
        config = self._settings.channels
        if config.idempotency_backend == "dynamodb":
            from xin.channels.idempotency import DynamoDbIdempotencyStore

            return DynamoDbIdempotencyStore(
                config.idempotency_table,
                region=self._settings.aws.region,
                endpoint_url=self._settings.aws.endpoint_url,
            )
        from xin.channels.idempotency import SqliteIdempotencyStore

        return SqliteIdempotencyStore(self.state_path)

    @cached_property
    def action_state(self) -> ActionState:
        config = self._settings.actions
        if config.state_backend == "dynamodb":
            from xin.adapters.dynamodb_action_state import DynamoDbActionState

            return DynamoDbActionState(
                config.state_table,
                handoff_ttl_s=config.handoff_ttl_s,
                audit_retention_days=config.audit_retention_days,
                region=self._settings.aws.region,
                endpoint_url=self._settings.aws.endpoint_url,
            )
        from xin.actions.state import SqliteActionState

        return SqliteActionState(self.state_path)

    @cached_property
    def actions(self) -> ActionEngine:
        from xin.actions.engine import ActionEngine, build_registry

        extra: dict[str, Any] = {"clock": self._clock} if self._clock else {}
        registry = build_registry(self._settings.actions, self.http, self.action_state)
        if self._settings.llm.provider == "bedrock":  # the model chooses (tool use)
            from xin.adapters.bedrock.tools import tool_chooser_for

            extra["chooser"] = tool_chooser_for(self._settings)
        return ActionEngine(registry, self.action_state, self._settings.actions, **extra)

    @cached_property
    def worker(self) -> ChannelWorker:
        from xin.services.channel_worker import ChannelWorker

        config = self._settings.channels
        return ChannelWorker(
            self.channels,
            self._container.chat,
            self.actions,
            self.action_state,
            self.idempotency,
            idempotency_ttl_s=config.idempotency_ttl_s,
            max_reply_chars=config.max_reply_chars,
        )

    @cached_property
    def queue(self) -> MessageQueue:
        config = self._settings.channels
        if config.queue == "sqs":
            from xin.channels.queue import SqsQueue

            assert config.queue_url is not None  # settings validation guarantees it
            return SqsQueue(
                config.queue_url,
                region=self._settings.aws.region,
                endpoint_url=self._settings.aws.endpoint_url,
            )
        if config.queue == "inline":
            from xin.channels.queue import InlineQueue

            return InlineQueue(self.worker.handle)
        from xin.channels.queue import LocalQueue

        return LocalQueue(
            self.state_path,
            self._handle,
            max_attempts=config.max_attempts,
        )

    def _handle(self, message: Any) -> None:
        self.worker.handle(message)  # late-bound: the worker is built on the first job

    @cached_property
    def webhooks(self) -> WebhookService:
        from xin.channels.webhook import WebhookService

        config = self._settings.channels
        extra: dict[str, Any] = {"clock": self._clock} if self._clock else {}
        return WebhookService(
            self.channels,
            self.idempotency,
            self.queue,
            idempotency_ttl_s=config.idempotency_ttl_s,
            max_message_age_s=config.max_message_age_s,
            answer_inline=lambda m: self.worker.answer(m) or "",
            **extra,
        )
