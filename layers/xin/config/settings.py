"""The one ``Settings`` model and how it is loaded.

Sources, lowest to highest priority:
built-in defaults → YAML overlays (``base.yaml`` then ``<APP_ENV>.yaml`` from the config
directory) → environment variables (``XIN_`` prefix, ``__`` between nested keys) → explicit
arguments. Nested sections merge key by key; lists replace.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from xin.config.overlays import YamlOverlaySource, describe_validation_error

ENV_PREFIX = "XIN_"
ENV_NESTED_DELIMITER = "__"
APP_ENV_VARIABLE = "APP_ENV"
CONFIG_DIR_VARIABLE = "XIN_CONFIG_DIR"


class AppEnv(StrEnum):
    DEVELOPMENT = "development"
    STAGING = "staging"
    PRODUCTION = "production"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApiSettings(_Section):
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    max_message_chars: Annotated[int, Field(ge=1, le=200_000)] = 4000
    max_body_bytes: Annotated[int, Field(ge=1024)] = 10 * 1024 * 1024
    cors_origins: list[str] = Field(default_factory=list)
    docs_enabled: bool = True


class StoreSettings(_Section):
    backend: Literal["sqlite"] = "sqlite"
    sqlite_path: Path | None = None


class EmbeddingSettings(_Section):
    provider: Literal["e5-small"] = "e5-small"
    threads: Annotated[int, Field(ge=1, le=64)] = 2
    query_cache_size: Annotated[int, Field(ge=0, le=1_000_000)] = 4096


class RagSettings(_Section):
    chunk_size: Annotated[int, Field(ge=200, le=8000)] = 1000
    chunk_overlap: Annotated[int, Field(ge=0)] = 150
    top_k: Annotated[int, Field(ge=1, le=50)] = 5
    candidates: Annotated[int, Field(ge=1, le=500)] = 40
    rrf_k: Annotated[int, Field(ge=1)] = 60
    min_relevance: Annotated[float, Field(ge=0.0, le=1.0)] = 0.82
    max_answer_sentences: Annotated[int, Field(ge=1, le=10)] = 3

    @model_validator(mode="after")
    def _overlap_below_half_chunk(self) -> RagSettings:
        if self.chunk_overlap * 2 >= self.chunk_size:
            raise ValueError("chunk_overlap must be less than half of chunk_size")
        return self


class ChatSettings(_Section):
    history_turns: Annotated[int, Field(ge=0, le=100)] = 6


LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Every setting Xin reads. Build it with :func:`load_settings`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=ENV_NESTED_DELIMITER,
        extra="forbid",
        frozen=True,
        validate_default=True,
    )

    app_env: AppEnv = Field(
        default=AppEnv.DEVELOPMENT,
        validation_alias=AliasChoices("app_env", APP_ENV_VARIABLE, f"{ENV_PREFIX}APP_ENV"),
    )
    config_dir: Path | None = Field(
        default=None, validation_alias=AliasChoices("config_dir", CONFIG_DIR_VARIABLE)
    )
    data_dir: Path = Path(".xin")
    log_level: LogLevel = "INFO"
    default_tenant: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")] = "default"
    api: ApiSettings = Field(default_factory=ApiSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    rag: RagSettings = Field(default_factory=RagSettings)
    chat: ChatSettings = Field(default_factory=ChatSettings)

    @property
    def sqlite_path(self) -> Path:
        return self.store.sqlite_path or self.data_dir / "xin.db"

    @property
    def is_development(self) -> bool:
        return self.app_env is AppEnv.DEVELOPMENT

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        explicit: dict[str, Any] = getattr(init_settings, "init_kwargs", {})
        overlays = YamlOverlaySource(
            settings_cls, app_env=_pick_app_env(explicit), explicit=explicit
        )
        return (init_settings, env_settings, overlays)


def _pick_app_env(explicit: dict[str, Any]) -> str:
    value = explicit.get("app_env") or os.environ.get(APP_ENV_VARIABLE)
    value = value or os.environ.get(f"{ENV_PREFIX}APP_ENV") or AppEnv.DEVELOPMENT.value
    return str(value)


def load_settings(**overrides: Any) -> Settings:
    """Build and validate settings; raise ``ConfigurationError`` naming the key and its source."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise describe_validation_error(exc, overrides, app_env=_pick_app_env(overrides)) from None
