"""Secrets from AWS Secrets Manager through Powertools' parameters utility, which caches each
value for ``max_age_s`` (a warm Lambda does not call Secrets Manager per request)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from xin.adapters.secrets import SecretUnavailableError, check_name, check_value
from xin.errors import ConfigurationError

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

_MISSING = {"ResourceNotFoundException", "AccessDeniedException", "DecryptionFailure"}


class _DropResponseBodies(logging.Filter):
    """botocore logs whole response bodies at DEBUG, GetSecretValue's included: drop them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Response body")


def _guard_wire_logging() -> None:
    parsers = logging.getLogger("botocore.parsers")
    if not any(isinstance(f, _DropResponseBodies) for f in parsers.filters):
        parsers.addFilter(_DropResponseBodies())


class SecretsManagerSource:
    """Implements ``SecretSource``. ``boto3_client`` is built lazily when not given."""

    def __init__(
        self,
        *,
        prefix: str = "",
        max_age_s: int = 300,
        development: bool = False,
        boto3_client: Any = None,
        region: str | None = None,
        endpoint_url: str | None = None,
    ) -> None:
        self._prefix = prefix
        self._max_age = max_age_s
        self._development = development
        self._client = boto3_client
        self._region = region
        self._endpoint = endpoint_url
        self._provider: SecretsProvider | None = None

    def _secrets(self) -> SecretsProvider:
        if self._provider is None:
            from aws_lambda_powertools.utilities.parameters import SecretsProvider

            _guard_wire_logging()
            client = self._client
            if client is None:
                import boto3

                client = boto3.client(
                    "secretsmanager", region_name=self._region, endpoint_url=self._endpoint
                )
            self._provider = SecretsProvider(boto3_client=client)
        return self._provider

    def get(self, name: str) -> str:
        from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError
        from botocore.exceptions import BotoCoreError, ClientError

        secret_id = self._prefix + check_name(name)
        try:
            value = self._secrets().get(secret_id, max_age=self._max_age)
        except GetParameterError as exc:
            cause = exc.__cause__ or exc.__context__
            code = cause.response["Error"]["Code"] if isinstance(cause, ClientError) else ""
            if code in _MISSING:
                raise ConfigurationError(
                    f"secret '{secret_id}' cannot be read from Secrets Manager ({code})"
                ) from None
            raise SecretUnavailableError(
                f"Secrets Manager is unavailable for secret '{secret_id}' ({code or 'error'})"
            ) from None
        except (ClientError, BotoCoreError):
            raise SecretUnavailableError(
                f"Secrets Manager is unavailable for secret '{secret_id}'"
            ) from None
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        return check_value(
            name, str(value), source=f"Secrets Manager '{secret_id}'", development=self._development
        )
