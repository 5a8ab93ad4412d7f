"""``HttpClient`` over httpx: timeouts, bounded retries on 429/5xx and transport errors."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from xin.channels.port import DeliveryFailed, HttpResponse

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class HttpxClient:
    def __init__(
        self,
        *,
        timeout_s: float = 10.0,
        retries: int = 2,
        backoff_s: float = 0.2,
        sleep: Callable[[float], None] = time.sleep,
        client: Any = None,
    ) -> None:
        self._timeout = timeout_s
        self._retries = retries
        self._backoff = backoff_s
        self._sleep = sleep
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import httpx

            self._client = httpx.Client(timeout=self._timeout, follow_redirects=False)
        return self._client

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
    ) -> HttpResponse:
        import httpx

        last = "no attempt"
        for attempt in range(self._retries + 1):
            if attempt:
                self._sleep(self._backoff * 2 ** (attempt - 1))
            try:
                response = self.client.request(
                    method,
                    url,
                    json=json,
                    data=dict(data) if data is not None else None,
                    headers=dict(headers or {}),
                    auth=auth,
                    params=dict(params) if params is not None else None,
                )
            except httpx.HTTPError as exc:
                last = type(exc).__name__
                continue
            if response.status_code in _RETRY_STATUSES:
                last = f"HTTP {response.status_code}"
                continue
            if response.status_code >= 400:
                raise DeliveryFailed(
                    f"{method} {_host(url)} answered HTTP {response.status_code}", retryable=False
                )
            return HttpResponse(response.status_code, response.content, dict(response.headers))
        raise DeliveryFailed(f"{method} {_host(url)} failed: {last}", retryable=True)


def _host(url: str) -> str:
    """Never log a full URL: Telegram puts the bot token in the path."""
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or "?"
