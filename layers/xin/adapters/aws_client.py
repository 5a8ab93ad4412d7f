"""One way to hold a boto3 client: injected, or built on first use (never at import).

Adapters take ``client=None, region=None, endpoint_url=None`` and keep a ``LazyAwsClient``;
moto and botocore's Stubber reach them through the injected client or the default chain.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from typing import Any


class LazyAwsClient:
    def __init__(
        self,
        service: str,
        *,
        client: Any = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        timeouts: tuple[float, float] | None = None,
    ) -> None:
        self._service = service
        self._client = client
        self._region = region
        self._endpoint_url = endpoint_url
        self._timeouts = timeouts
        self._lock = threading.Lock()

    def get(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._build()
        return self._client

    def _build(self) -> Any:
        import boto3

        options: dict[str, Any] = {"region_name": self._region, "endpoint_url": self._endpoint_url}
        if self._timeouts is not None:
            from botocore.config import Config

            connect, read = self._timeouts
            options["config"] = Config(
                connect_timeout=connect, read_timeout=read, retries={"mode": "standard"}
            )
        return boto3.client(self._service, **options)

    def call(
        self,
        operation: str,
        unavailable: Callable[[str], Exception],
        *,
        passthrough_codes: Collection[str] = (),
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Call ``operation``; AWS errors become ``unavailable(operation)`` except the
        error codes the caller handles itself (e.g. a failed condition)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response: dict[str, Any] = getattr(self.get(), operation)(**kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in passthrough_codes:
                raise
            raise unavailable(operation) from exc
        except BotoCoreError as exc:
            raise unavailable(operation) from exc
        return response
