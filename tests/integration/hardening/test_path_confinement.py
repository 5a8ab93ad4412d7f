"""Every path derived from input or settings stays inside its directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xin.config import load_settings
from xin.errors import ConfigurationError
from xin.paths import PathNotAllowed, confine, confine_setting

TRAVERSALS = [
    "../secret.txt",
    "a/../../secret.txt",
    "/etc/passwd",
    "//server/share/x",
    "C:/Windows/win.ini",
    "C:\\Windows\\win.ini",
    "..\\..\\secret.txt",
    "a\\b.txt",
    "%2e%2e/secret.txt",
    "%2e%2e%2fsecret.txt",
    "..%2fsecret.txt",
    "%252e%252e%252fsecret.txt",  # encoded twice
    "%2fetc%2fpasswd",
    "..%5csecret.txt",
    "notes.md\x00.png",
    "notes%00.md",
    "",
]


@pytest.mark.parametrize("name", TRAVERSALS)
def test_traversal_attempts_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(PathNotAllowed):
        confine(tmp_path, name)


@pytest.mark.parametrize("name", ["notes.md", "guides/setup.md", "a/./b.md", "100%.md", "x..y.md"])
def test_ordinary_names_resolve_inside(tmp_path: Path, name: str) -> None:
    resolved = confine(tmp_path, name)
    assert resolved.is_relative_to(tmp_path.resolve())


def test_a_symlink_pointing_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(PathNotAllowed, match="outside"):
        confine(root, "link/file.txt")


def test_settings_paths_absolute_is_explicit_and_relative_must_stay_inside(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert confine_setting(data, tmp_path / "elsewhere.db") == tmp_path / "elsewhere.db"
    assert confine_setting(data, data / "xin.db") == data / "xin.db"
    with pytest.raises(PathNotAllowed):
        confine_setting(data, Path(os.path.relpath(tmp_path / "elsewhere.db")))
    with pytest.raises(PathNotAllowed):
        confine_setting(data, "x\x00.db")


def test_a_relative_sqlite_path_outside_the_data_dir_fails_at_start_up(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="sqlite_path"):
        load_settings(data_dir=tmp_path / "data", store={"sqlite_path": "../xin.db"})
    inside = load_settings(
        data_dir=tmp_path / "data", store={"sqlite_path": tmp_path / "data" / "k.db"}
    )
    assert inside.sqlite_path == tmp_path / "data" / "k.db"
