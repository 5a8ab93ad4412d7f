"""``.env.example`` lists every XIN_* variable the Settings model reads."""

from __future__ import annotations

from pathlib import Path

from tests.contract.env_example import variables

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def test_every_setting_is_listed() -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    missing = [name for name, _value, _comment in variables() if f"# {name}=" not in text]
    assert not missing, (
        f"{len(missing)} setting(s) missing from .env.example (e.g. {missing[:3]}); "
        "regenerate it: python -m tests.contract.env_example > .env.example"
    )


def test_no_secret_values_are_listed() -> None:
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        assert not line.startswith("XIN_"), f"uncommented assignment in .env.example: {line}"
