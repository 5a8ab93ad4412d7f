"""Fixtures for the hardening tests: a real redis-server, DynamoDB under moto, and an app
running as it would outside development (auth required, a pepper, keys per tenant)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from xin.api.app import create_app
from xin.config import Settings, load_settings
from xin.config.overlays import deep_merge
from xin.deps import Container

PEPPER = "test-pepper-0123456789abcdef-0123456789"
ACME_DOC = (
    "# Zephyr gateway\n\nThe Zephyr gateway rotates its signing keys every 90 days. "
    "Operators rotate them with the zephyr-rotate command."
)
GLOBEX_DOC = (
    "# Quasar ledger\n\nThe Quasar ledger closes its books at 17:00 UTC every Friday. "
    "Late entries go to the next week."
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server on a free port, for the whole session."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing in CI: .ci/run must install it")
        pytest.skip("redis-server is not installed (apt-get install redis-server); CI has it")
    import redis

    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield url
    client.close()
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")


@pytest.fixture
def atomic_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make moto's DynamoDB as atomic per request as DynamoDB itself.

    moto evaluates a condition and writes the item without a lock, so two threads can both
    pass ``ver = :v``; real DynamoDB serialises writes to an item. Our code still races
    (read, compute, conditional write) exactly as it would against AWS.
    """
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    for name in ("get_item", "put_item", "update_item", "delete_item"):
        original = getattr(DynamoDBBackend, name)

        def locked(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with lock:
                return __original(self, *args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, locked)


@pytest.fixture
def dynamodb(aws_credentials: None, atomic_moto: None) -> Iterator[Any]:
    """A moto DynamoDB with the rate-limit and API-key tables Xin expects."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        for table, key in (("xin-rate-limits", "pk"), ("xin-api-keys", "key_id")):
            client.create_table(
                TableName=table,
                KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        yield client


def hardened_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings as in production: auth required, a real pepper, no open CORS."""
    values: dict[str, Any] = {
        "app_env": "production",
        "data_dir": data_dir,
        "log_level": "ERROR",
        "auth": {"pepper": PEPPER},
        "rate_limit": {"enabled": False},
    }
    return load_settings(**deep_merge(values, overrides))


@dataclass
class Keys:
    acme_chat: str
    acme_ingest: str
    acme_admin: str
    globex_chat: str
    globex_admin: str
    platform_admin: str


def issue_keys(container: Container) -> Keys:
    create = container.api_keys.create
    return Keys(
        acme_chat=create("acme", ["chat"]).secret,
        acme_ingest=create("acme", ["ingest"]).secret,
        acme_admin=create("acme", ["admin"]).secret,
        globex_chat=create("globex", ["chat"]).secret,
        globex_admin=create("globex", ["admin"]).secret,
        platform_admin=create("*", ["admin"]).secret,
    )


class Reply(Protocol):
    """What the tests read from a TestClient response (httpx or httpx2)."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def text(self) -> str: ...

    def json(self) -> Any: ...


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@dataclass
class Deployment:
    app: FastAPI
    client: TestClient
    container: Container
    keys: Keys


@pytest.fixture(scope="module")
def two_tenants(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """A production-mode app with one document in tenant acme and one in tenant globex."""
    settings = hardened_settings(tmp_path_factory.mktemp("tenants"))
    container = Container(settings)
    for text, name, tenant in (
        (ACME_DOC, "zephyr.md", "acme"),
        (GLOBEX_DOC, "quasar.md", "globex"),
    ):
        result = container.ingestion.ingest_bytes(text.encode(), name, tenant=tenant)
        assert result.status == "indexed", result
    app = create_app(container=container)
    client = TestClient(app, raise_server_exceptions=False)
    return Deployment(app, client, container, issue_keys(container))


AppFactory = Callable[..., Deployment]


@pytest.fixture
def make_deployment(tmp_path: Path) -> AppFactory:
    """Build a production-mode app with settings overrides (and optional component swaps)."""

    def build(*, limiter: Any = None, **overrides: Any) -> Deployment:
        settings = hardened_settings(tmp_path / uuid.uuid4().hex, **overrides)
        container = Container(settings)
        if limiter is not None:
            container.rate_limiter = limiter  # swap the cached component
        app = create_app(container=container)
        client = TestClient(app, raise_server_exceptions=False)
        return Deployment(app, client, container, issue_keys(container))

    return build
