"""A small JSON client for an OpenAI-compatible gateway: bearer key from the secret source,
timeouts, and retries on 429/5xx/timeouts with exponential backoff that honours Retry-After.
Error messages carry the status and the gateway's error type, never the key or the prompt."""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from typing import Any

import httpx

from xin.adapters.openai_compat import GatewayUnavailableError
from xin.errors import ConfigurationError, InvalidRequest

_log = logging.getLogger(__name__)
RETRYABLE = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER_S = 30.0


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


class GatewayClient:
    def __init__(
        self,
        base_url: str,
        api_key: Callable[[], str],
        *,
        timeout_s: float = 30.0,
        max_retries: int = 3,
        backoff_base_s: float = 0.5,
        backoff_max_s: float = 8.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._api_key = api_key
        self._retries = max_retries
        self._base_s = backoff_base_s
        self._max_s = backoff_max_s
        self._sleep = sleep
        self._rng = random.Random()  # noqa: S311 - jitter
        self._http = httpx.Client(timeout=httpx.Timeout(timeout_s), transport=transport)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        url = f"{self._base}/{path.lstrip('/')}"
        headers = {"Authorization": f"Bearer {self._api_key()}", "Accept": "application/json"}
        for attempt in range(self._retries + 1):
            last = attempt == self._retries
            try:
                response = self._http.post(url, json=body, headers=headers)
            except httpx.TimeoutException:
                if last:
                    raise GatewayUnavailableError(f"{path}: the gateway timed out") from None
                self._pause(attempt, None, "timeout")
                continue
            except httpx.TransportError as exc:
                if last:
                    raise GatewayUnavailableError(
                        f"{path}: cannot reach the gateway ({type(exc).__name__})"
                    ) from None
                self._pause(attempt, None, type(exc).__name__)
                continue
            if response.status_code < 300:
                data: dict[str, Any] = response.json()
                return data
            if response.status_code in RETRYABLE and not last:
                self._pause(attempt, retry_after(response), str(response.status_code))
                continue
            raise _error(path, response)
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, attempt: int, hinted: float | None, why: str) -> None:
        backoff = self._rng.uniform(0, min(self._max_s, self._base_s * 2**attempt))
        pause = min(MAX_RETRY_AFTER_S, hinted) if hinted is not None else backoff
        _log.warning("gateway call failed (%s); retry %d in %.2fs", why, attempt + 1, pause)
        self._sleep(pause)

    def close(self) -> None:
        self._http.close()


def _error(path: str, response: httpx.Response) -> Exception:
    status = response.status_code
    kind = ""
    try:
        error = response.json().get("error")
        if isinstance(error, dict):
            kind = str(error.get("type") or error.get("code") or "")
    except ValueError:
        pass
    detail = f"{path}: gateway answered {status}" + (f" ({kind})" if kind else "")
    if status in (401, 403):
        return ConfigurationError(f"{detail}: check the API key secret")
    if status in RETRYABLE:
        return GatewayUnavailableError(detail)
    return InvalidRequest(f"{detail}: the model rejected the request")
