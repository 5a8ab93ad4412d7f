"""Path confinement: every file path derived from input or settings stays inside its root.

``confine(root, name)`` is for names that come from requests, uploads, object keys or other
untrusted input: it refuses ``..`` segments, absolute paths, Windows drive letters and UNC
paths, backslashes, NUL bytes, and the URL-encoded forms of all of these, then resolves the
result (symlinks included) and checks that it is still inside ``root``.

``confine_setting(root, path)`` is for paths in settings: an absolute path is the operator's
explicit choice and is kept; a relative one must resolve inside ``root`` (the data directory).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from xin.errors import InvalidRequest

_MAX_DECODE_ROUNDS = 4
_WINDOWS_ROOTED = re.compile(r"^(?:[A-Za-z]:|//)")


class PathNotAllowed(InvalidRequest):
    """A path would escape the directory it must stay in."""

    code = "path_not_allowed"


def _decoded_forms(candidate: str) -> list[str]:
    """The candidate and each successive URL-decoding of it (``%252e`` → ``%2e`` → ``.``)."""
    forms = [candidate]
    for _ in range(_MAX_DECODE_ROUNDS):
        decoded = unquote(forms[-1])
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    return forms


def _check_name(form: str) -> None:
    if "\x00" in form:
        raise PathNotAllowed("path contains a NUL byte")
    if "\\" in form:
        raise PathNotAllowed("path contains a backslash")
    if form.startswith("/") or _WINDOWS_ROOTED.match(form):
        raise PathNotAllowed("absolute paths are not allowed here")
    if ".." in PurePosixPath(form).parts:
        raise PathNotAllowed("path must not contain '..'")


def confine(root: Path | str, name: str) -> Path:
    """``root / name`` resolved, or ``PathNotAllowed`` when ``name`` is unsafe or escapes."""
    if not name:
        raise PathNotAllowed("path is empty")
    for form in _decoded_forms(name):
        _check_name(form)
    base = Path(root).resolve()
    resolved = (base / name).resolve()
    if not resolved.is_relative_to(base):
        raise PathNotAllowed("path resolves outside its directory")
    return resolved


def confine_setting(root: Path | str, path: Path | str) -> Path:
    """A configured path: absolute is kept as given; relative must lie inside ``root``.

    Relative paths keep their usual meaning (relative to the working directory), so
    ``data_dir=.xin`` with ``sqlite_path=.xin/xin.db`` is fine and ``../elsewhere.db`` is not.
    """
    text = str(path)
    if not text or "\x00" in text:
        raise PathNotAllowed("path is empty or contains a NUL byte")
    candidate = Path(text)
    if candidate.is_absolute():
        return candidate
    if not candidate.resolve().is_relative_to(Path(root).resolve()):
        raise PathNotAllowed(
            f"'{text}' is outside the data directory '{root}'; use an absolute path to "
            "place it elsewhere on purpose"
        )
    return candidate
