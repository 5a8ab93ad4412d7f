"""Channel tests: the sample knowledge base, every channel on, each platform API pointed at a
local receiver, secrets from the environment, and a clock set just after the fixtures' own
timestamps (so their dates are fresh)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from tests.integration.channels.receiver import Receiver, start_receiver
from xin.api.app import create_app
from xin.channels.queue import LocalQueue
from xin.channels.wiring import ChannelRuntime
from xin.config import Settings, load_settings
from xin.deps import Container
from xin.observability import counters

FIXTURE_TIME = 1763780000.0  # the date every tests/events/<channel>_*.json message carries
SECRETS = {
    "telegram-bot-token": "123456:AAH-telegram-bot-token-for-tests",
    "telegram-webhook-secret": "tg-webhook-Y2hhbm5lbC1zZWNyZXQ",
    "slack-signing-secret": "8f742231b10e8888abcd99yyyzzz85a5",
    "slack-bot-token": "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
    "whatsapp-app-secret": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "whatsapp-verify-token": "verify-Zm9yLXdoYXRzYXBw",
    "whatsapp-access-token": "EAAGm0PX4ZCpsBAKZCtesttoken",
    "twilio-auth-token": "12345678901234567890123456789012",
    "teams-app-password": "bot-password-for-tests-0123456789",
}
APP_ID = "0d6c3e1a-7f2b-4e3c-9d8a-5b4f2e1c0a97"


@dataclass(eq=False)  # a registered sink: hashed by identity
class MetricLog:
    points: list[tuple[str, float, dict[str, str]]]

    def add_metric(self, name: str, value: float, unit: Any, labels: dict[str, str]) -> None:
        self.points.append((name, value, labels))

    def count(self, name: str, **labels: str) -> int:
        return sum(
            1
            for n, _, lab in self.points
            if n == name and all(lab.get(k) == v for k, v in labels.items())
        )


class FixedClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class TeamsKeys:
    private: Any
    kid: str

    def token(self, **overrides: Any) -> str:
        now = overrides.pop("now", FIXTURE_TIME)
        claims = {
            "iss": "https://api.botframework.com",
            "aud": APP_ID,
            "serviceurl": "https://smba.trafficmanager.net/emea/",
            "nbf": int(now) - 60,
            "exp": int(now) + 3600,
            **overrides,
        }
        kid = claims.pop("kid", self.kid)
        key = claims.pop("key", self.private)
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


SMALL_KB = {
    "deploy.md": (
        "# Deploying Xin\n\n## Kubernetes\n\n"
        "Deploy Xin to Kubernetes with the Helm chart: run helm upgrade --install xin "
        "infra/helm/xin-platform with your values file. The chart creates a Deployment, a "
        "Service, an Ingress and a HorizontalPodAutoscaler.\n\n## AWS Lambda\n\n"
        "Deploy Xin to AWS Lambda with the CDK app: run cdk deploy from the infra directory.\n"
    ),
    "support.md": (
        "# Support\n\nOur support team answers on weekdays from 9:00 to 17:00. "
        "Refunds are processed within five business days of the request.\n"
    ),
}


@pytest.fixture(scope="session")
def channel_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding a two-document knowledge base (fast to ingest)."""
    root = tmp_path_factory.mktemp("channel-kb")
    docs = root / "docs"
    docs.mkdir()
    for name, text in SMALL_KB.items():
        (docs / name).write_text(text, encoding="utf-8")
    data_dir = root / "data"
    kb = Container(load_settings(data_dir=data_dir))
    results = kb.ingestion.ingest_paths([docs], tenant="default")
    assert all(r.status != "failed" for r in results), results
    return data_dir


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    recv, server = start_receiver()
    yield recv
    server.shutdown()


@pytest.fixture(scope="session")
def teams_keys(receiver: Receiver) -> TeamsKeys:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    jwk.update({"kid": "test-key-1", "use": "sig", "endorsements": ["msteams", "webchat"]})
    receiver.jwks = {"keys": [jwk]}
    return TeamsKeys(private, "test-key-1")


@pytest.fixture
def metrics() -> Iterator[MetricLog]:
    log = MetricLog([])
    counters.add_sink(log, weak=False)
    yield log
    counters.remove_sink(log)


def channel_settings(kb_dir: Path, state: Path, base: str, **channels: Any) -> Settings:
    section: dict[str, Any] = {
        "queue": "local",
        "state_path": state,
        "http_retries": 1,
        "telegram": {"enabled": True, "api_base_url": f"{base}/telegram"},
        "slack": {"enabled": True, "api_base_url": f"{base}/slack"},
        "whatsapp": {"enabled": True, "api_base_url": f"{base}/graph/v21.0"},
        "twilio": {
            "enabled": True,
            "api_base_url": f"{base}/twilio",
            "account_sid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        },
        "teams": {
            "enabled": True,
            "app_id": APP_ID,
            "openid_metadata_url": f"{base}/botframework/v1/.well-known/openidconfiguration",
            "token_url": f"{base}/botframework/token",
            "allowed_service_urls": ["https://smba.trafficmanager.net/", base],
        },
    }
    for name, extra in channels.items():
        section[name] = {**section.get(name, {}), **extra} if isinstance(extra, dict) else extra
    return load_settings(
        data_dir=kb_dir,
        channels=section,
        actions={
            "handoff_webhook_url": f"{base}/hooks/handoff",
            "ticket_webhook_url": f"{base}/hooks/ticket",
            "lookup_url_template": f"{base}/api/orders/{{order_id}}",
            "lookup_allowed_base_urls": [f"{base}/api/"],
        },
    )


@dataclass
class Harness:
    client: TestClient
    container: Container
    runtime: ChannelRuntime
    queue: LocalQueue
    clock: FixedClock
    receiver: Receiver

    def drain(self) -> int:
        return self.queue.drain(now=time.time() + 3600)


@pytest.fixture
def secrets_env(monkeypatch: pytest.MonkeyPatch) -> None:
    from xin.adapters.secrets.env import variable_for

    for name, value in SECRETS.items():
        monkeypatch.setenv(variable_for(name), value)


_MODELS: dict[str, Any] = {}


def make_harness(settings: Settings, receiver: Receiver, clock: FixedClock) -> Harness:
    container = Container(settings)
    if not _MODELS:  # load the embedding model once per session, not per test
        _MODELS.update(embedder=container.embedder, detector=container.detector)
    container.__dict__.update(_MODELS)
    runtime = ChannelRuntime(container, clock=clock)
    container.__dict__["channel_runtime"] = runtime
    queue = LocalQueue(
        runtime.state_path, runtime.worker.handle, max_attempts=3, backoff_s=0.0, autostart=False
    )
    runtime.__dict__["queue"] = queue
    client = TestClient(create_app(container=container), raise_server_exceptions=False)
    return Harness(client, container, runtime, queue, clock, receiver)


@pytest.fixture
def harness(
    channel_kb: Path, tmp_path: Path, receiver: Receiver, teams_keys: TeamsKeys, secrets_env: None
) -> Harness:
    receiver.requests.clear()
    receiver.fail.clear()
    settings = channel_settings(channel_kb, tmp_path / "channels.db", receiver.base_url)
    return make_harness(settings, receiver, FixedClock(FIXTURE_TIME + 5))


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
