"""Per-environment settings of the CDK app, read from CDK context (``-c env=prod``).

One frozen record per environment holds every number that differs between dev, staging and
prod; a handful of context keys override single fields without editing code:

``env`` (dev|staging|prod), ``search`` (domain|serverless), ``corsOrigins`` (comma list),
``alarmEmail``, ``layerBundling`` (pip|source), ``layerExtras`` (comma list of ``xin`` extras),
``channels`` (comma list of messaging channels to deploy; empty: none), ``teamsAppId`` (the
Bot Framework app id; Teams is deployed only with it), ``channelsPublicUrl`` (the public base
URL platforms call, e.g. a custom domain: Twilio signs the full URL).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

from aws_cdk import aws_logs as logs
from constructs import Node

SearchMode = Literal["domain", "serverless"]
BundlingMode = Literal["pip", "source"]
ENVIRONMENTS = ("dev", "staging", "prod")
CHANNELS = ("telegram", "slack", "whatsapp", "twilio", "teams")
_APP_ENV = {"dev": "development", "staging": "staging", "prod": "production"}


@dataclass(frozen=True)
class DomainSize:
    """A managed OpenSearch domain's capacity."""

    instance_type: str
    data_nodes: int
    volume_gib: int
    master_type: str | None = None  # dedicated cluster-manager nodes (three) when set
    zone_awareness: bool = False


@dataclass(frozen=True)
class EnvConfig:
    name: str
    search: SearchMode
    domain: DomainSize
    serverless_standby_replicas: bool
    chat_reserved_concurrency: int | None  # caps the load on OpenSearch/Bedrock
    ingest_reserved_concurrency: int | None  # caps concurrent indexing
    webhook_reserved_concurrency: int | None  # per channel webhook function
    channel_worker_concurrency: int | None  # reserved = the SQS mapping's maximum concurrency
    snap_start: bool
    throttle_rate: int  # steady requests/s for the HTTP API stage
    throttle_burst: int
    log_retention_days: int
    retain_data: bool  # RETAIN + deletion protection instead of DESTROY
    p99_latency_ms: int  # alarm threshold for chat
    error_threshold: int  # errors per 5 minutes that page
    cors_origins: tuple[str, ...] = ()
    alarm_email: str | None = None
    layer_bundling: BundlingMode = "pip"
    layer_extras: tuple[str, ...] = ("aws",)
    channels: tuple[str, ...] = CHANNELS
    teams_app_id: str | None = None
    channels_public_url: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def app_env(self) -> str:
        """Xin's own ``APP_ENV`` overlay name for this environment."""
        return _APP_ENV[self.name]

    @property
    def stack_name(self) -> str:
        return f"Xin-{self.name}"

    @property
    def deployed_channels(self) -> tuple[str, ...]:
        """Teams validates tokens against its app id: without one it is left out."""
        return tuple(c for c in self.channels if c != "teams" or self.teams_app_id)


DEFAULTS: dict[str, EnvConfig] = {
    "dev": EnvConfig(
        name="dev",
        search="domain",
        domain=DomainSize("t3.small.search", data_nodes=1, volume_gib=10),
        serverless_standby_replicas=False,
        chat_reserved_concurrency=None,  # new accounts have too little unreserved concurrency
        ingest_reserved_concurrency=None,
        webhook_reserved_concurrency=None,
        channel_worker_concurrency=None,
        snap_start=False,  # Python SnapStart bills snapshot caching: not worth it at idle
        throttle_rate=20,
        throttle_burst=40,
        log_retention_days=14,
        retain_data=False,
        p99_latency_ms=8000,
        error_threshold=5,
        cors_origins=("http://localhost:8000",),
    ),
    "staging": EnvConfig(
        name="staging",
        search="domain",
        domain=DomainSize("t3.medium.search", data_nodes=2, volume_gib=20, zone_awareness=True),
        serverless_standby_replicas=False,
        chat_reserved_concurrency=20,
        ingest_reserved_concurrency=2,
        webhook_reserved_concurrency=10,
        channel_worker_concurrency=5,
        snap_start=True,
        throttle_rate=50,
        throttle_burst=100,
        log_retention_days=30,
        retain_data=True,
        p99_latency_ms=6000,
        error_threshold=3,
    ),
    "prod": EnvConfig(
        name="prod",
        search="domain",
        domain=DomainSize(
            "r7g.large.search",
            data_nodes=3,
            volume_gib=100,
            master_type="m7g.large.search",
            zone_awareness=True,
        ),
        serverless_standby_replicas=True,
        chat_reserved_concurrency=100,
        ingest_reserved_concurrency=5,
        webhook_reserved_concurrency=50,
        channel_worker_concurrency=20,
        snap_start=True,
        throttle_rate=200,
        throttle_burst=400,
        log_retention_days=90,
        retain_data=True,
        p99_latency_ms=5000,
        error_threshold=1,
    ),
}


def _csv(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(v.strip() for v in str(value).split(",") if v.strip())


def from_context(node: Node) -> EnvConfig:
    """The environment named by ``-c env=...`` (default ``dev``) with context overrides."""
    name = str(node.try_get_context("env") or "dev")
    if name not in DEFAULTS:
        raise ValueError(f"unknown env {name!r}: use one of {', '.join(ENVIRONMENTS)}")
    config = DEFAULTS[name]
    changes: dict[str, object] = {}
    search = node.try_get_context("search")
    if search is not None:
        if search not in ("domain", "serverless"):
            raise ValueError(f"context 'search' must be domain or serverless, not {search!r}")
        changes["search"] = search
    cors = node.try_get_context("corsOrigins")
    if cors is not None:
        changes["cors_origins"] = _csv(cors)
    email = node.try_get_context("alarmEmail")
    if email:
        changes["alarm_email"] = str(email)
    bundling = node.try_get_context("layerBundling")
    if bundling is not None:
        if bundling not in ("pip", "source"):
            raise ValueError(f"context 'layerBundling' must be pip or source, not {bundling!r}")
        changes["layer_bundling"] = bundling
    extras = node.try_get_context("layerExtras")
    if extras is not None:
        changes["layer_extras"] = _csv(extras)
    changes.update(_channel_changes(node))
    return dataclasses.replace(config, **changes)  # type: ignore[arg-type]


def _channel_changes(node: Node) -> dict[str, object]:
    changes: dict[str, object] = {}
    channels = node.try_get_context("channels")
    if channels is not None:
        chosen = _csv(channels)
        unknown = sorted(set(chosen) - set(CHANNELS))
        if unknown:
            raise ValueError(f"context 'channels': unknown {unknown}; use {', '.join(CHANNELS)}")
        changes["channels"] = chosen
    teams_app_id = node.try_get_context("teamsAppId")
    if teams_app_id:
        changes["teams_app_id"] = str(teams_app_id)
    public_url = node.try_get_context("channelsPublicUrl")
    if public_url:
        if not str(public_url).startswith("https://"):
            raise ValueError("context 'channelsPublicUrl' must be an https:// URL")
        changes["channels_public_url"] = str(public_url).rstrip("/")
    return changes


def log_retention(days: int) -> logs.RetentionDays:
    """CloudWatch's retention enum for a number of days (14, 30, 90, 180, 365)."""
    table = {
        14: logs.RetentionDays.TWO_WEEKS,
        30: logs.RetentionDays.ONE_MONTH,
        90: logs.RetentionDays.THREE_MONTHS,
        180: logs.RetentionDays.SIX_MONTHS,
        365: logs.RetentionDays.ONE_YEAR,
    }
    return table[days]
