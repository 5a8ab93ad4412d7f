"""The Dockerfile, parsed (no Docker engine here): pinned base, non-root, lock-installed,
health-checked, nothing fetched from URLs, and a .dockerignore that keeps secrets out."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _instructions() -> list[tuple[str, str]]:
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n\s*", " ", text)  # join continuation lines
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def _args() -> dict[str, str]:
    return dict(rest.split("=", 1) for kw, rest in _instructions() if kw == "ARG" and "=" in rest)


def test_multi_stage_from_a_pinned_slim_base() -> None:
    froms = [rest for kw, rest in _instructions() if kw == "FROM"]
    assert len(froms) >= 2
    base = _args()["PYTHON_IMAGE"]
    assert re.fullmatch(r"python:3\.12\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", base), base
    assert all(f.split()[0] == "${PYTHON_IMAGE}" for f in froms)
    assert "latest" not in base


def test_runs_as_a_non_root_numeric_user() -> None:
    users = [rest for kw, rest in _instructions() if kw == "USER"]
    assert users, "no USER instruction: the container would run as root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) >= 1000


def test_installs_from_the_lock_and_never_fetches_urls() -> None:
    runs = " ".join(rest for kw, rest in _instructions() if kw == "RUN")
    assert "-c requirements.lock" in runs
    assert "curl " not in runs and "wget " not in runs
    for kw, rest in _instructions():
        assert kw != "ADD" or not re.search(r"https?://", rest), rest


def test_serves_on_all_interfaces_with_a_healthcheck() -> None:
    ins = _instructions()
    assert any(kw == "HEALTHCHECK" and "/health" in rest for kw, rest in ins)
    (cmd,) = [rest for kw, rest in ins if kw == "CMD"]
    (entry,) = [rest for kw, rest in ins if kw == "ENTRYPOINT"]
    assert entry == '["xin"]'
    assert '"serve", "--host", "0.0.0.0"' in cmd
    env = " ".join(rest for kw, rest in ins if kw == "ENV")
    assert "XIN_DATA_DIR=/var/lib/xin" in env  # writable volume; root filesystem stays read-only


def test_dockerignore_allows_only_the_build_inputs() -> None:
    lines = [ln.strip() for ln in (REPO / ".dockerignore").read_text().splitlines()]
    rules = [ln for ln in lines if ln and not ln.startswith("#")]
    assert rules[0] == "*"
    allowed = {r[1:].rstrip("/") for r in rules if r.startswith("!")}
    assert allowed == {"pyproject.toml", "requirements.lock", "README.md", "layers"}
    copies = [
        rest.split()[:-1] for kw, rest in _instructions() if kw == "COPY" and "--from" not in rest
    ]
    for sources in copies:
        for source in sources:
            assert source.rstrip("/").removeprefix("./") in allowed, source
