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

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from xin.config.channels import ActionsSettings, ChannelsSettings
from xin.config.overlays import YamlOverlaySource, describe_validation_error
from xin.config.safety import GuardSettings, RedactionSettings
from xin.config.security import (
    TENANT_PATTERN,
    AuthSettings,
    RateLimitSettings,
    TenantSettings,
)

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
    # None: required everywhere but development. False outside development is refused.
    auth_required: bool | None = None
    trust_proxy: bool = False  # take the client IP from X-Forwarded-For (behind a proxy/ALB)
    trusted_proxy_hops: Annotated[int, Field(ge=1, le=10)] = 1
    metrics_protected: bool = False  # /metrics needs an 'admin' or 'metrics' principal


class OpenSearchSettings(_Section):
    """``store.opensearch``: a managed domain (``es``), Serverless (``aoss``) or self-hosted."""

    url: str | None = None  # e.g. https://search-xin-abc.eu-west-1.es.amazonaws.com
    auth: Literal["none", "basic", "sigv4"] = "none"
    service: Literal["es", "aoss"] = "es"  # SigV4 signing name
    username: str | None = None  # basic auth; the password comes from the secret source
    password_secret: str = "opensearch-password"  # noqa: S105 - a secret name, not a secret
    verify_certs: bool = True
    ca_certs: Path | None = None
    timeout_s: Annotated[float, Field(gt=0, le=300)] = 10.0
    alias: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,200}$")] = "xin-chunks"
    shards: Annotated[int, Field(ge=1, le=64)] = 1
    replicas: Annotated[int, Field(ge=0, le=16)] = 1
    engine: Literal["faiss", "lucene", "nmslib"] = "faiss"
    space_type: Literal["cosinesimil", "innerproduct", "l2"] = "cosinesimil"
    m: Annotated[int, Field(ge=2, le=128)] = 16
    ef_construction: Annotated[int, Field(ge=2, le=4096)] = 128
    ef_search: Annotated[int, Field(ge=2, le=4096)] = 100
    hybrid: Literal["auto", "rrf", "normalization", "client"] = "auto"
    bulk_max_docs: Annotated[int, Field(ge=1, le=10_000)] = 200
    bulk_max_bytes: Annotated[int, Field(ge=10_000, le=100_000_000)] = 5_000_000
    max_retries: Annotated[int, Field(ge=0, le=20)] = 5
    backoff_base_s: Annotated[float, Field(ge=0, le=60)] = 0.5
    backoff_max_s: Annotated[float, Field(ge=0, le=600)] = 20.0
    refresh: bool = True  # wait for writes to become searchable (ignored on Serverless)


class StoreSettings(_Section):
    backend: Literal["sqlite", "opensearch"] = "sqlite"
    sqlite_path: Path | None = None
    opensearch: OpenSearchSettings = Field(default_factory=OpenSearchSettings)

    @model_validator(mode="after")
    def _backend_is_configured(self) -> StoreSettings:
        if self.backend == "opensearch" and not self.opensearch.url:
            raise ValueError(
                "store.opensearch.url (XIN_STORE__OPENSEARCH__URL) is required "
                "when store.backend is 'opensearch'"
            )
        if self.opensearch.auth == "basic" and not self.opensearch.username:
            raise ValueError(
                "store.opensearch.username is required when store.opensearch.auth is 'basic'"
            )
        return self


EmbeddingProvider = Literal["e5-small", "minilm", "bedrock-titan", "bedrock-cohere", "openai"]


class EmbeddingSettings(_Section):
    provider: EmbeddingProvider = "e5-small"
    threads: Annotated[int, Field(ge=1, le=64)] = 2
    query_cache_size: Annotated[int, Field(ge=0, le=1_000_000)] = 4096
    model: str | None = None  # Bedrock model id or the gateway's model name (openai)
    dimensions: Annotated[int, Field(ge=1, le=8192)] | None = None
    normalize: bool = True
    batch_size: Annotated[int, Field(ge=1, le=512)] = 16

    @model_validator(mode="after")
    def _provider_is_configured(self) -> EmbeddingSettings:
        if self.provider == "bedrock-titan" and self.dimensions not in (None, 256, 512, 1024):
            raise ValueError("embedding.dimensions must be 256, 512 or 1024 for bedrock-titan")
        if self.provider == "openai" and not self.model:
            raise ValueError(
                "embedding.model (XIN_EMBEDDING__MODEL) is required when embedding.provider "
                "is 'openai'"
            )
        return self


class LlmSettings(_Section):
    provider: Literal["extractive", "bedrock", "openai"] = "extractive"
    model: str | None = None  # Bedrock model / inference-profile id, or the gateway's model
    max_tokens: Annotated[int, Field(ge=1, le=32_000)] = 800
    temperature: Annotated[float, Field(ge=0.0, le=2.0)] = 0.2

    @model_validator(mode="after")
    def _provider_is_configured(self) -> LlmSettings:
        if self.provider != "extractive" and not self.model:
            raise ValueError(
                f"llm.model (XIN_LLM__MODEL) is required when llm.provider is '{self.provider}'"
            )
        return self


class OpenAISettings(_Section):
    """An OpenAI-compatible gateway (Hooshpod, vLLM, LiteLLM, ...)."""

    base_url: str | None = None  # e.g. https://gateway.example/v1
    api_key_secret: str = "openai-api-key"  # noqa: S105 - the secret's name in the source
    timeout_s: Annotated[float, Field(gt=0, le=600)] = 30.0
    max_retries: Annotated[int, Field(ge=0, le=10)] = 3


class AwsSettings(_Section):
    region: str | None = None  # default: the SDK's chain (AWS_REGION, profile, ...)
    endpoint_url: str | None = None  # LocalStack / moto server in development


class SecretsSettings(_Section):
    provider: Literal["env", "aws", "file"] = "env"
    directory: Path | None = None  # provider 'file': one file per secret (Kubernetes)
    prefix: str = ""  # provider 'aws': prepended to every secret name, e.g. "xin/prod/"
    max_age_s: Annotated[int, Field(ge=0, le=86_400)] = 300

    @model_validator(mode="after")
    def _provider_is_configured(self) -> SecretsSettings:
        if self.provider == "file" and self.directory is None:
            raise ValueError(
                "secrets.directory (XIN_SECRETS__DIRECTORY) is required when secrets.provider "
                "is 'file'"
            )
        return self


class ConversationSettings(_Section):
    backend: Literal["sqlite", "dynamodb"] = "sqlite"
    table: str | None = None  # DynamoDB table name
    ttl_days: Annotated[int, Field(ge=1, le=3650)] = 30
    max_turns_kept: Annotated[int, Field(ge=1, le=10_000)] = 200

    @model_validator(mode="after")
    def _backend_is_configured(self) -> ConversationSettings:
        if self.backend == "dynamodb" and not self.table:
            raise ValueError(
                "conversations.table (XIN_CONVERSATIONS__TABLE) is required when "
                "conversations.backend is 'dynamodb'"
            )
        return self


class RagSettings(_Section):
    chunk_size: Annotated[int, Field(ge=200, le=8000)] = 1000
    chunk_overlap: Annotated[int, Field(ge=0)] = 150
    top_k: Annotated[int, Field(ge=1, le=50)] = 5
    candidates: Annotated[int, Field(ge=1, le=500)] = 40
    rrf_k: Annotated[int, Field(ge=1)] = 60
    # convex: dense_weight x min-max cosine + (1 - dense_weight) x min-max BM25 (ADR 0011)
    fusion: Literal["convex", "rrf"] = "convex"
    dense_weight: Annotated[float, Field(ge=0.0, le=1.0)] = 0.6
    reranker: Literal["features", "none"] = "features"
    # MMR diversity over the reranked head (ADR 0014): None = off, else the relevance weight
    mmr_lambda: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    mmr_depth: Annotated[int, Field(ge=2, le=200)] = 20
    result_cache_size: Annotated[int, Field(ge=0, le=1_000_000)] = 1024
    stale_after_days: Annotated[float, Field(gt=0)] | None = None
    min_relevance: Annotated[float, Field(ge=0.0, le=1.0)] = 0.82
    max_answer_sentences: Annotated[int, Field(ge=1, le=10)] = 3

    @model_validator(mode="after")
    def _overlap_below_half_chunk(self) -> RagSettings:
        if self.chunk_overlap * 2 >= self.chunk_size:
            raise ValueError("chunk_overlap must be less than half of chunk_size")
        return self


class ChatSettings(_Section):
    history_turns: Annotated[int, Field(ge=0, le=100)] = 6


class IngestSettings(_Section):
    """``ingest``: documents dropped into an S3 bucket (see docs/adr/0007-s3-drop-ingestion.md)."""

    max_object_bytes: Annotated[int, Field(ge=1, le=2 * 1024**3)] = 25 * 1024 * 1024
    # Extensions accepted from the bucket, e.g. [".md", ".pdf"]; empty = every supported type.
    allowed_extensions: list[str] = Field(default_factory=list)
    # Keys under "<tenant_prefix><tenant>/" belong to that tenant; others to default_tenant.
    tenant_prefix: str = "tenants/"
    status_backend: Literal["sqlite", "dynamodb"] = "sqlite"
    status_table: str = "xin-ingestion-status"  # DynamoDB table (pk: tenant, sk: document_id)
    lease_seconds: Annotated[int, Field(ge=1, le=3600)] = 900  # >= the function's timeout

    @field_validator("allowed_extensions")
    @classmethod
    def _dotted_lower(cls, value: list[str]) -> list[str]:
        return ["." + ext.lower().lstrip(".") for ext in value]


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
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    llm: LlmSettings = Field(default_factory=LlmSettings)
    openai: OpenAISettings = Field(default_factory=OpenAISettings)
    aws: AwsSettings = Field(default_factory=AwsSettings)
    secrets: SecretsSettings = Field(default_factory=SecretsSettings)
    conversations: ConversationSettings = Field(default_factory=ConversationSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    rate_limit: RateLimitSettings = Field(default_factory=RateLimitSettings)
    tenants: dict[Annotated[str, Field(pattern=TENANT_PATTERN)], TenantSettings] = Field(
        default_factory=dict
    )
    guard: GuardSettings = Field(default_factory=GuardSettings)
    redaction: RedactionSettings = Field(default_factory=RedactionSettings)
    channels: ChannelsSettings = Field(default_factory=ChannelsSettings)
    actions: ActionsSettings = Field(default_factory=ActionsSettings)

    @model_validator(mode="after")
    def _backends_are_configured(self) -> Settings:
        uses_openai = self.llm.provider == "openai" or self.embedding.provider == "openai"
        if uses_openai and not self.openai.base_url:
            raise ValueError(
                "openai.base_url (XIN_OPENAI__BASE_URL) is required when llm.provider or "
                "embedding.provider is 'openai'"
            )
        needs_secret = uses_openai or (
            self.store.backend == "opensearch" and self.store.opensearch.auth == "basic"
        )
        if needs_secret and self.secrets.provider == "env" and not self.is_development:
            raise ValueError(
                "secrets.provider 'env' is for development only; set XIN_SECRETS__PROVIDER "
                "to 'aws' or 'file'"
            )
        return self

    @model_validator(mode="after")
    def _security_policy(self) -> Settings:
        """Outside development: authentication on, no wildcard CORS; paths stay confined."""
        from xin.paths import PathNotAllowed, confine_setting

        if not self.is_development and self.api.auth_required is False:
            raise ValueError(
                f"api.auth_required cannot be false when APP_ENV is '{self.app_env.value}'"
            )
        if not self.is_development and "*" in self.api.cors_origins:
            raise ValueError(
                "api.cors_origins may be '*' only in development; list the allowed origins"
            )
        if self.store.sqlite_path is not None:
            try:
                confine_setting(self.data_dir, self.store.sqlite_path)
            except PathNotAllowed as exc:
                raise ValueError(f"store.sqlite_path: {exc.message}") from None
        return self

    @property
    def auth_required(self) -> bool:
        """Whether every protected route needs a principal (always, outside development)."""
        if self.api.auth_required is None:
            return not self.is_development
        return self.api.auth_required or not self.is_development

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
    except SettingsError as exc:  # a variable that must hold JSON does not
        from xin.config.env_errors import describe_json_error

        raise describe_json_error(
            Settings,
            os.environ,
            prefix=ENV_PREFIX,
            delimiter=ENV_NESTED_DELIMITER,
            original=exc,
        ) from None
