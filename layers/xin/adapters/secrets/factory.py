"""Builds the configured ``SecretSource``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xin.config import Settings
    from xin.ports import SecretSource


def build_secret_source(settings: Settings) -> SecretSource:
    config = settings.secrets
    development = settings.is_development
    if config.provider == "aws":
        from xin.adapters.secrets.aws import SecretsManagerSource

        return SecretsManagerSource(
            prefix=config.prefix,
            max_age_s=config.max_age_s,
            development=development,
            region=settings.aws.region,
            endpoint_url=settings.aws.endpoint_url,
        )
    if config.provider == "file":
        from xin.adapters.secrets.files import FileSecretSource

        assert config.directory is not None  # settings validation guarantees it
        return FileSecretSource(
            config.directory, development=development, max_age_s=config.max_age_s
        )
    from xin.adapters.secrets.env import EnvSecretSource

    return EnvSecretSource(development=development)
