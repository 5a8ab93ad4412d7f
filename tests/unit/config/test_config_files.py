"""The overlay reader (libyaml's parser when available) reads what ``yaml.safe_load`` reads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from xin.config.files import default_config_dir, overlay_files, read_overlay
from xin.errors import ConfigurationError

TRICKY = """\
log_level: "WARNING"
api:
  cors_origins: [https://a.example, 'https://b.example']
  port: 0o17
  docs_enabled: yes
rag: {top_k: 7, rrf_k: 6.0e1}
redaction:
  types:
    - EMAIL
    - PHONE
empty:
when: 2026-12-07
"""


def test_bundled_overlays_are_found_and_read_like_safe_load() -> None:
    config_dir = default_config_dir()
    assert (config_dir / "base.yaml").is_file()
    files = overlay_files(config_dir, "production")
    assert [f.name for f in files] == ["base.yaml", "production.yaml"]
    for path in config_dir.glob("*.yaml"):
        assert read_overlay(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_yaml_1_1_scalars_as_safe_load(tmp_path: Path) -> None:
    path = tmp_path / "base.yaml"
    path.write_text(TRICKY, encoding="utf-8")
    assert read_overlay(path) == yaml.safe_load(TRICKY)
    assert read_overlay(path)["api"]["docs_enabled"] is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("api: [unclosed", "invalid YAML in"),
        ("- a list\n- at the top\n", "the top level must be a mapping"),
        ("!!python/object:os.system {}\n", "invalid YAML in"),
    ],
)
def test_refuses_bad_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "base.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=message):
        read_overlay(path)
