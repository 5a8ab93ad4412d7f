"""Builds the configured API key store, key service and authenticator from settings."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from xin.auth.authenticator import Authenticator
from xin.auth.keys import ApiKeyService
from xin.auth.ports import ApiKeyStore
from xin.config import Settings
from xin.errors import ConfigurationError


def build_key_store(settings: Settings, database: Callable[[], Any]) -> ApiKeyStore:
    if settings.auth.key_store == "dynamodb":
        from xin.auth.backends.dynamodb import DynamoDbApiKeyStore

        return DynamoDbApiKeyStore(
            settings.auth.dynamodb_table,
            region=settings.aws.region,
            endpoint_url=settings.aws.endpoint_url,
        )
    from xin.auth.backends.sqlite import SqliteApiKeyStore

    return SqliteApiKeyStore(database())


def pepper_for(settings: Settings) -> bytes:
    """The configured pepper; outside development there is no fallback."""
    if settings.auth.pepper is not None:
        return settings.auth.pepper.get_secret_value().encode()
    if not settings.is_development:
        raise ConfigurationError(
            "auth.pepper (XIN_AUTH__PEPPER) must be set outside development: API keys are "
            "hashed with it"
        )
    # Development only: stable per data directory, so local keys survive restarts.
    return hashlib.sha256(f"xin-development-pepper|{settings.data_dir}".encode()).digest()


def build_authenticator(settings: Settings, keys: Callable[[], ApiKeyService]) -> Authenticator:
    jwt = None
    if settings.auth.jwt.jwks_url:
        from xin.auth.jwt import JwtVerifier

        jwt = JwtVerifier(settings.auth.jwt)
    return Authenticator(keys, jwt, required=settings.auth_required)
