"""Calling Bedrock: client construction and one retry/translation policy for every call.

botocore's own retries are switched off (``max_attempts=1``) so there is a single, testable
policy: throttling and transient service errors are retried with exponential backoff and
full jitter; validation errors become ``InvalidRequest`` (a clean 400); missing model access
becomes a ``ConfigurationError``; whatever is left is ``BedrockUnavailableError`` (503).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from xin.adapters.bedrock import BedrockUnavailableError
from xin.errors import ConfigurationError, InvalidRequest

_log = logging.getLogger(__name__)
T = TypeVar("T")
RETRYABLE = frozenset(
    {
        "ThrottlingException",
        "TooManyRequestsException",
        "ServiceUnavailableException",
        "ModelNotReadyException",
        "InternalServerException",
        "ModelTimeoutException",
    }
)
NOT_CONFIGURED = frozenset(
    {"AccessDeniedException", "ResourceNotFoundException", "UnrecognizedClientException"}
)
INVALID = frozenset({"ValidationException", "ModelErrorException"})


@dataclass(frozen=True, slots=True)
class Backoff:
    max_retries: int = 4
    base_s: float = 0.5
    max_s: float = 10.0


def make_client(
    service: str,
    *,
    region: str | None = None,
    endpoint_url: str | None = None,
    read_timeout_s: float = 120,
) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(
        retries={"max_attempts": 1, "mode": "standard"},
        connect_timeout=5,
        read_timeout=read_timeout_s,
    )
    return boto3.client(service, region_name=region, endpoint_url=endpoint_url, config=config)


def error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def call(
    what: str,
    fn: Callable[[], T],
    backoff: Backoff,
    *,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> T:
    from botocore.exceptions import BotoCoreError, ClientError

    rng = rng or random.Random()  # noqa: S311 - jitter
    for attempt in range(backoff.max_retries + 1):
        try:
            return fn()
        except ClientError as exc:
            code = error_code(exc)
            if code in RETRYABLE and attempt < backoff.max_retries:
                pause = rng.uniform(0, min(backoff.max_s, backoff.base_s * 2**attempt))
                _log.warning("Bedrock %s: %s; retry %d in %.2fs", what, code, attempt + 1, pause)
                sleep(pause)
                continue
            raise translate(what, exc) from exc
        except BotoCoreError as exc:
            raise BedrockUnavailableError(f"Bedrock {what}: {type(exc).__name__}") from exc
    raise AssertionError("unreachable")  # pragma: no cover


def translate(what: str, exc: BaseException) -> Exception:
    code = error_code(exc) or type(exc).__name__
    if code in INVALID:
        return InvalidRequest(f"Bedrock rejected the {what} request ({code})")
    if code in NOT_CONFIGURED:
        return ConfigurationError(
            f"Bedrock {what}: {code}; check the model id, region and model access"
        )
    return BedrockUnavailableError(f"Bedrock {what} failed ({code})")
