"""A variable that must hold JSON but does not is reported by name, as a ConfigurationError,
without its value."""

from __future__ import annotations

import pytest

from xin.config import load_settings
from xin.errors import ConfigurationError


def test_a_list_setting_that_is_not_json_names_its_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XIN_API__CORS_ORIGINS", "https://private-origin.example")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    message = str(caught.value)
    assert "XIN_API__CORS_ORIGINS" in message
    assert "must hold JSON" in message
    assert "private-origin" not in message  # values are never echoed


def test_a_section_given_as_broken_json_names_its_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("xin_api", "{not json")
    with pytest.raises(ConfigurationError, match="xin_api must hold JSON"):
        load_settings()


def test_the_same_list_as_json_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIN_API__CORS_ORIGINS", '["https://app.example"]')
    assert load_settings().api.cors_origins == ["https://app.example"]
