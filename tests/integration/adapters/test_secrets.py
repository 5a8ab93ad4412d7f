"""Secret sources: environment (development only), Secrets Manager (moto), mounted files.
A secret's value never appears in logs or error messages."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from xin.adapters.secrets.aws import SecretsManagerSource
from xin.adapters.secrets.env import EnvSecretSource, variable_for
from xin.adapters.secrets.factory import build_secret_source
from xin.adapters.secrets.files import FileSecretSource
from xin.config import load_settings
from xin.errors import ConfigurationError

SECRET = "sk-live-7f3a9c2e1b5d4a8f"  # what must never be logged


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture everything, including loggers that do not propagate (Powertools' "xin")."""
    caplog.set_level(logging.DEBUG)
    loggers = [logging.getLogger(n) for n in ("xin", "xin.secrets", "botocore", "")]
    for logger in loggers:
        logger.addHandler(caplog.handler)
    yield caplog
    for logger in loggers:
        logger.removeHandler(caplog.handler)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    with mock_aws():
        yield


def test_env_source_reads_prefixed_variables_in_development(logs: pytest.LogCaptureFixture) -> None:
    source = EnvSecretSource(development=True, environ={"XIN_SECRET_OPENAI_API_KEY": SECRET})
    assert source.get("openai-api-key") == SECRET
    assert variable_for("opensearch-password") == "XIN_SECRET_OPENSEARCH_PASSWORD"
    assert SECRET not in logs.text


def test_env_source_refuses_to_run_outside_development() -> None:
    with pytest.raises(ConfigurationError, match="development only"):
        EnvSecretSource(development=False, environ={})


def test_secrets_manager_with_caching_and_prefix(
    aws_env: None, logs: pytest.LogCaptureFixture
) -> None:
    client = boto3.client("secretsmanager", region_name="eu-west-1")
    client.create_secret(Name="xin/prod/openai-api-key", SecretString=SECRET)
    logs.clear()  # the set-up call above logs its own request body; the adapter must not
    source = SecretsManagerSource(prefix="xin/prod/", max_age_s=300, boto3_client=client)
    assert source.get("openai-api-key") == SECRET
    client.put_secret_value(SecretId="xin/prod/openai-api-key", SecretString="sk-rotated-value-123")
    assert SECRET not in logs.text  # GetSecretValue's response body was not logged
    assert source.get("openai-api-key") == SECRET  # cached for max_age
    fresh = SecretsManagerSource(prefix="xin/prod/", max_age_s=0, boto3_client=client)
    assert fresh.get("openai-api-key") == "sk-rotated-value-123"
    assert SECRET not in logs.text


def test_a_missing_secret_names_the_secret(aws_env: None) -> None:
    client = boto3.client("secretsmanager", region_name="eu-west-1")
    with pytest.raises(ConfigurationError, match=r"'xin/missing'.*ResourceNotFoundException"):
        SecretsManagerSource(boto3_client=client).get("xin/missing")


@pytest.mark.parametrize("placeholder", ["changeme", "", "  ", "<changeme>", "CHANGE_ME", "todo"])
def test_placeholders_fail_fast_outside_development(
    aws_env: None, placeholder: str, logs: pytest.LogCaptureFixture
) -> None:
    client = boto3.client("secretsmanager", region_name="eu-west-1")
    client.create_secret(Name="db-password", SecretString=placeholder or " ")
    logs.clear()
    with pytest.raises(ConfigurationError, match="'db-password'.*placeholder") as info:
        SecretsManagerSource(boto3_client=client).get("db-password")
    if placeholder.strip():
        assert placeholder not in str(info.value)
        assert placeholder not in logs.text
    # development tolerates them (a laptop may run with sample values)
    assert (
        SecretsManagerSource(boto3_client=client, development=True).get("db-password")
        == placeholder.strip()
    )


def test_mounted_files_are_read_cached_and_reread_after_max_age(
    tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "openai-api-key").write_text(SECRET + "\n", encoding="utf-8")
    now = [0.0]
    source = FileSecretSource(tmp_path, max_age_s=60, clock=lambda: now[0])
    assert source.get("openai-api-key") == SECRET
    (tmp_path / "openai-api-key").write_text("sk-rotated-by-external-secrets", encoding="utf-8")
    assert source.get("openai-api-key") == SECRET
    now[0] = 61.0
    assert source.get("openai-api-key") == "sk-rotated-by-external-secrets"
    assert SECRET not in logs.text


def test_mounted_files_refuse_traversal_and_report_missing_files(tmp_path: Path) -> None:
    source = FileSecretSource(tmp_path)
    with pytest.raises(ConfigurationError, match="invalid secret name"):
        source.get("../etc/passwd")
    with pytest.raises(ConfigurationError, match="not found"):
        source.get("absent")
    (tmp_path / "empty").write_text("", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="placeholder"):
        source.get("empty")


def test_mounted_files_follow_links_inside_the_mount_but_not_outside(tmp_path: Path) -> None:
    mount = tmp_path / "mount"
    (mount / "..2026_11_22").mkdir(parents=True)
    (mount / "..2026_11_22" / "api-key").write_text("sk-mounted-value", encoding="utf-8")
    (mount / "..data").symlink_to("..2026_11_22")
    (mount / "api-key").symlink_to("..data/api-key")  # how a Kubernetes Secret volume looks
    outside = tmp_path / "host-file"
    outside.write_text("sk-host-secret-value", encoding="utf-8")
    (mount / "planted").symlink_to(outside)
    source = FileSecretSource(mount)
    assert source.get("api-key") == "sk-mounted-value"
    with pytest.raises(ConfigurationError, match="outside its directory"):
        source.get("planted")


def test_factory_builds_the_configured_source(tmp_path: Path) -> None:
    settings = load_settings(secrets={"provider": "file", "directory": str(tmp_path)})
    assert isinstance(build_secret_source(settings), FileSecretSource)
    assert isinstance(build_secret_source(load_settings()), EnvSecretSource)
    aws = load_settings(app_env="production", secrets={"provider": "aws", "prefix": "xin/"})
    assert isinstance(build_secret_source(aws), SecretsManagerSource)


def test_file_provider_needs_a_directory() -> None:
    with pytest.raises(ConfigurationError, match="secrets.directory"):
        load_settings(secrets={"provider": "file"})


def test_env_secrets_with_a_secret_using_backend_fail_at_start_up_in_production() -> None:
    with pytest.raises(ConfigurationError, match="development only"):
        load_settings(
            app_env="production",
            llm={"provider": "openai", "model": "gpt-x"},
            openai={"base_url": "https://gw.example/v1"},
        )


def test_a_secret_in_an_api_error_body_never_leaks(tmp_path: Path) -> None:
    """A configuration error raised while serving is answered without the value."""
    from fastapi.testclient import TestClient

    from xin.api.app import create_app
    from xin.deps import Container

    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "openai-api-key").write_text("changeme", encoding="utf-8")
    settings = load_settings(data_dir=tmp_path / "data")
    container = Container(settings)
    source = FileSecretSource(tmp_path / "secrets")

    class Exploding:
        def retrieve(self, *args: object, **kwargs: object) -> list[object]:
            source.get("openai-api-key")
            return []

    container.__dict__["retriever"] = Exploding()
    with TestClient(create_app(container=container), raise_server_exceptions=False) as client:
        reply = client.post("/chat", json={"message": "hello there"})
    assert reply.status_code == 500
    assert "changeme" not in reply.text
