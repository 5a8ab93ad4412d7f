"""Configuration: one validated ``Settings`` model loaded from layered sources.

The model (pydantic-settings, ~0.2 s to import) is imported on first use of these names, so
a module that needs only ``xin.config.files`` (the health function) never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    if name in __all__:
        from xin.config import settings

        return getattr(settings, name)
    raise AttributeError(f"module 'xin.config' has no attribute {name!r}")
