"""Configuration: one validated ``Settings`` model loaded from layered sources."""

from xin.config.settings import (
    ApiSettings,
    AppEnv,
    ChatSettings,
    EmbeddingSettings,
    RagSettings,
    Settings,
    StoreSettings,
    load_settings,
)

__all__ = [
    "ApiSettings",
    "AppEnv",
    "ChatSettings",
    "EmbeddingSettings",
    "RagSettings",
    "Settings",
    "StoreSettings",
    "load_settings",
]
