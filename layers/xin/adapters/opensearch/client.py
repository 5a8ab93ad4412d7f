"""Building an ``OpenSearch`` client (auth, TLS) and calling it with backoff.

Auth: SigV4 for Amazon OpenSearch Service (``es``) and Serverless (``aoss``) with the
default AWS credential chain, HTTP basic auth (password from the secret source) or none for a
self-hosted cluster on a private network. TLS certificates are verified unless switched off.
The transport's own retries are disabled: :func:`call_with_retries` retries 429, 5xx and
connection errors with exponential backoff and full jitter, and raises ``StoreUnavailable``.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from xin.errors import ConfigurationError, StoreUnavailable

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

    from xin.config.settings import OpenSearchSettings
    from xin.ports import SecretSource

_log = logging.getLogger(__name__)
T = TypeVar("T")
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 5
    base_s: float = 0.5
    max_s: float = 20.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Full jitter: uniform(0, min(max, base * 2**attempt))."""
        return rng.uniform(0.0, min(self.max_s, self.base_s * (2**attempt)))


def status_of(exc: BaseException) -> int | None:
    """The HTTP status of an opensearch-py error (``N/A`` for connection errors -> None)."""
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def is_retryable(exc: BaseException) -> bool:
    from opensearchpy.exceptions import ConnectionError as OsConnectionError
    from opensearchpy.exceptions import TransportError

    if isinstance(exc, OsConnectionError):  # includes timeouts
        return True
    return isinstance(exc, TransportError) and status_of(exc) in RETRYABLE_STATUS


def call_with_retries(
    what: str,
    fn: Callable[[], T],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> T:
    """Run ``fn``; retry throttling and server errors; map what is left to domain errors."""
    from opensearchpy.exceptions import TransportError

    rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
    for attempt in range(policy.max_retries + 1):
        try:
            return fn()
        except TransportError as exc:
            if not is_retryable(exc) or attempt == policy.max_retries:
                raise StoreUnavailable(f"OpenSearch {what} failed: {describe(exc)}") from exc
            pause = policy.delay(attempt, rng)
            _log.warning(
                "OpenSearch %s failed (%s); retry %d in %.2fs",
                what,
                status_of(exc) or "connection error",
                attempt + 1,
                pause,
            )
            sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover


def describe(exc: BaseException) -> str:
    """A short reason from an opensearch-py error: status and error type, never a body echo."""
    status = status_of(exc)
    error = getattr(exc, "error", "")
    info = getattr(exc, "info", None)
    reason = ""
    if isinstance(info, dict):
        detail = info.get("error")
        if isinstance(detail, dict):
            reason = str(detail.get("type", ""))
    parts = [str(p) for p in (status or "connection error", error, reason) if p]
    return " ".join(dict.fromkeys(parts))


def build_client(
    settings: OpenSearchSettings,
    *,
    secrets: SecretSource | None = None,
    region: str | None = None,
    **extra: Any,
) -> OpenSearch:
    """An ``OpenSearch`` client for the configured endpoint and auth (no request is sent)."""
    from opensearchpy import OpenSearch, Urllib3HttpConnection

    if not settings.url:
        raise ConfigurationError("store.opensearch.url is not set")
    parts = urlsplit(settings.url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigurationError("store.opensearch.url must look like https://host[:port]")
    use_ssl = parts.scheme == "https"
    options: dict[str, Any] = {
        "hosts": [
            {
                "host": parts.hostname,
                "port": parts.port or (443 if use_ssl else 80),
                "url_prefix": parts.path.rstrip("/"),
            }
        ],
        "use_ssl": use_ssl,
        "verify_certs": settings.verify_certs,
        "ssl_show_warn": settings.verify_certs,
        "timeout": settings.timeout_s,
        "max_retries": 0,  # call_with_retries owns the retry policy
        "retry_on_timeout": False,
        "connection_class": Urllib3HttpConnection,
    }
    if settings.ca_certs is not None:
        options["ca_certs"] = str(settings.ca_certs)
    if settings.auth == "sigv4":
        options["http_auth"] = _sigv4(settings.service, region)
    elif settings.auth == "basic":
        if secrets is None or not settings.username:
            raise ConfigurationError("basic auth needs store.opensearch.username and a secret")
        options["http_auth"] = (settings.username, secrets.get(settings.password_secret))
    options.update(extra)
    return OpenSearch(**options)


def _sigv4(service: str, region: str | None) -> Any:
    import boto3
    from opensearchpy import Urllib3AWSV4SignerAuth

    session = boto3.Session(region_name=region) if region else boto3.Session()
    credentials = session.get_credentials()
    if credentials is None:
        raise ConfigurationError("SigV4 auth is configured but no AWS credentials were found")
    if not session.region_name:
        raise ConfigurationError("SigV4 auth needs a region: set aws.region or AWS_REGION")
    return Urllib3AWSV4SignerAuth(credentials, session.region_name, service)
