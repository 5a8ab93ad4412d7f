"""Compute: one Lambda function per route (or queue), described by one table row each.

Adding a function is one ``FunctionSpec`` in ``FUNCTIONS``: its routes, its trigger and the
resources it touches (``access``), from which its IAM policy is derived — nothing more. A row
whose ``functions/<name>/handler.py`` does not exist yet is skipped with a synth warning, so
the table can name functions that are still being written without deploying empty stubs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.channels import channel_environment
from infra.config import CHANNELS, EnvConfig, log_retention
from infra.data import CHANNEL_WORKER_TIMEOUT, INGEST_TIMEOUT, Data
from infra.layer import REPO_ROOT
from infra.search import Search

FUNCTIONS_DIR = REPO_ROOT / "functions"

Access = Literal[
    "search:read",
    "search:write",
    "documents:read",
    "conversations:rw",
    "rate_limits:rw",
    "idempotency:rw",
    "api_keys:r",
    "ingestion_status:r",
    "ingestion_status:rw",
    "action_state:rw",
    "channel_queue:send",
    "secret:auth_pepper",
    "secret:openai_api_key",
    "bedrock:embed",
    "bedrock:generate",
]
Limit = Literal["chat", "ingest", "webhook", "channel_worker"]
Queue = Literal["ingest", "channel"]


@dataclass(frozen=True)
class FunctionSpec:
    name: str  # functions/<name>/handler.py, exporting `handler`
    routes: tuple[str, ...] = ()  # "METHOD /path" on the HTTP API
    queue: Queue | None = None  # triggered by this queue (Data.queues)
    access: tuple[Access, ...] = ()
    # Messaging channels this function serves: switched on in its settings, and it may read
    # those channels' secrets (and no others). "*": every channel deployed in the stack.
    channels: tuple[str, ...] = ()
    memory_mb: int = 512
    timeout_s: int = 10
    limit: Limit | None = None  # which per-environment concurrency cap applies
    snap_start: bool = False  # latency-sensitive: worth SnapStart's caching charge

    @property
    def timeout(self) -> cdk.Duration:
        return cdk.Duration.seconds(self.timeout_s)

    @property
    def construct_id(self) -> str:
        return "".join(part.title() for part in self.name.split("_"))

    def handler_file(self, functions_dir: Path = FUNCTIONS_DIR) -> Path:
        return functions_dir / self.name / "handler.py"

    def served_channels(self, deployed: tuple[str, ...]) -> tuple[str, ...]:
        if self.channels == ("*",):
            return deployed
        return tuple(c for c in self.channels if c in deployed)


def webhook(channel: str, *, verify_get: bool = False) -> FunctionSpec:
    """A channel's webhook: verify, de-duplicate, enqueue; the worker answers."""
    routes = (f"POST /webhooks/{channel}",) + ((f"GET /webhooks/{channel}",) if verify_get else ())
    return FunctionSpec(
        f"webhook_{channel}",
        routes=routes,
        access=("channel_queue:send", "idempotency:rw"),
        channels=(channel,),
        memory_mb=256,
        timeout_s=10,  # Slack wants an answer within 3 s; the others allow more
        limit="webhook",
    )


FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec("health", routes=("GET /health",), access=("search:read",), memory_mb=256),
    FunctionSpec(
        "chat",
        routes=("POST /chat",),
        access=(
            "search:read",
            "conversations:rw",
            "rate_limits:rw",
            "action_state:rw",  # /chat runs actions (hand-off, ticket) too
            "api_keys:r",
            "secret:auth_pepper",
            "secret:openai_api_key",
            "bedrock:embed",
            "bedrock:generate",
        ),
        memory_mb=1024,
        timeout_s=29,  # API Gateway's integration limit is 30 s
        limit="chat",
        snap_start=True,
    ),
    FunctionSpec(
        "ingest",
        queue="ingest",
        access=(
            "documents:read",
            "search:write",
            "ingestion_status:rw",
            "idempotency:rw",
            "secret:openai_api_key",
            "bedrock:embed",
        ),
        memory_mb=1024,
        timeout_s=int(INGEST_TIMEOUT.to_seconds()),
        limit="ingest",
    ),
    FunctionSpec(
        "ingest_status",
        routes=("GET /ingest/{document_id+}",),
        access=("ingestion_status:r", "api_keys:r", "rate_limits:rw", "secret:auth_pepper"),
        memory_mb=256,
    ),
    *(webhook(channel, verify_get=channel == "whatsapp") for channel in CHANNELS),
    FunctionSpec(
        "channel_worker",
        queue="channel",
        access=(
            "search:read",
            "conversations:rw",
            "idempotency:rw",
            "action_state:rw",
            "secret:openai_api_key",
            "bedrock:embed",
            "bedrock:generate",
        ),
        channels=("*",),
        memory_mb=1024,
        timeout_s=int(CHANNEL_WORKER_TIMEOUT.to_seconds()),
        limit="channel_worker",
    ),
)

_TABLE_READ = (
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
)
_TABLE_WRITE = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")


@dataclass(frozen=True)
class Deployed:
    spec: FunctionSpec
    function: lambda_.Function
    alias: lambda_.Alias  # what the API and the queue invoke: `live`, a published version
    log_group: logs.LogGroup


class Compute(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: EnvConfig,
        data: Data,
        search: Search,
        layer: lambda_.ILayerVersion,
        environment: dict[str, str],
        bedrock_models: dict[str, str],
        specs: tuple[FunctionSpec, ...] = FUNCTIONS,
        functions_dir: Path = FUNCTIONS_DIR,
    ) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        self.data = data
        self.search = search
        self.bedrock_models = bedrock_models
        self.functions: dict[str, Deployed] = {}
        for spec in specs:
            if spec.channels and not spec.served_channels(config.deployed_channels):
                continue  # a channel this environment does not deploy (context `channels`)
            handler = spec.handler_file(functions_dir)
            if not handler.exists():
                cdk.Annotations.of(self).add_warning_v2(
                    f"xin:missing-{spec.name}",
                    f"functions/{spec.name}/handler.py does not exist yet: not deployed",
                )
                continue
            self.functions[spec.name] = self._function(spec, handler, layer, environment)
        search.finalize()

    def _function(
        self,
        spec: FunctionSpec,
        handler: Path,
        layer: lambda_.ILayerVersion,
        environment: dict[str, str],
    ) -> Deployed:
        config = self.config
        log_group = logs.LogGroup(
            self,
            f"{spec.construct_id}Logs",
            retention=log_retention(config.log_retention_days),
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        role = iam.Role(
            self,
            f"{spec.construct_id}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"xin {config.name} {spec.name} function",
        )
        # Instead of AWSLambdaBasicExecutionRole (which allows every log group):
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[log_group.log_group_arn],
            )
        )
        reserved = self._reserved(spec)
        snap_start = spec.snap_start and config.snap_start
        function = lambda_.Function(
            self,
            spec.construct_id,
            description=f"xin {spec.name}: {', '.join(spec.routes) or f'{spec.queue} queue'}",
            runtime=lambda_.Runtime.PYTHON_3_12,
            architecture=lambda_.Architecture.ARM_64,
            code=lambda_.Code.from_asset(str(handler.parent), exclude=["__pycache__"]),
            handler="handler.handler",
            layers=[layer],
            memory_size=spec.memory_mb,
            timeout=spec.timeout,
            role=role,
            log_group=log_group,
            tracing=lambda_.Tracing.ACTIVE,
            reserved_concurrent_executions=reserved,
            snap_start=lambda_.SnapStartConf.ON_PUBLISHED_VERSIONS if snap_start else None,
            environment={
                **environment,
                **(self._pepper() if "secret:auth_pepper" in spec.access else {}),
                **self._channel_environment(spec),
                "POWERTOOLS_SERVICE_NAME": f"xin-{spec.name.replace('_', '-')}",
                "POWERTOOLS_METRICS_NAMESPACE": "Xin",
                "LOG_LEVEL": "INFO" if config.name != "prod" else "WARNING",
            },
        )
        alias = lambda_.Alias(
            self, f"{spec.construct_id}Live", alias_name="live", version=function.current_version
        )
        for access in spec.access:
            self._grant(role, access)
        for channel in spec.served_channels(config.deployed_channels):
            for secret in self.data.channel_secrets[channel]:
                secret.grant_read(role)
        if spec.queue is not None:
            alias.add_event_source(self._event_source(spec.queue))
        return Deployed(spec, function, alias, log_group)

    def _reserved(self, spec: FunctionSpec) -> int | None:
        config = self.config
        return {
            "chat": config.chat_reserved_concurrency,
            "webhook": config.webhook_reserved_concurrency,
            # As much as the SQS mapping may use, so its pollers are never throttled.
            "channel_worker": config.channel_worker_concurrency,
        }.get(spec.limit or "")

    def _event_source(self, queue: Queue) -> sources.SqsEventSource:
        config = self.config
        if queue == "channel":
            return sources.SqsEventSource(
                self.data.channel_queue,
                batch_size=5,  # a few chat replies fit the worker's timeout
                report_batch_item_failures=True,  # only failed replies are retried
                max_concurrency=max(2, config.channel_worker_concurrency)
                if config.channel_worker_concurrency
                else None,
            )
        return sources.SqsEventSource(
            self.data.ingest_queue,
            batch_size=1,  # one document per invocation: a failure retries one object
            report_batch_item_failures=True,
            # Caps concurrent indexing without reserved concurrency, which would make
            # SQS messages bounce off throttles into the DLQ.
            max_concurrency=max(2, config.ingest_reserved_concurrency)
            if config.ingest_reserved_concurrency
            else None,
        )

    def _channel_environment(self, spec: FunctionSpec) -> dict[str, str]:
        channels = spec.served_channels(self.config.deployed_channels)
        if not channels:
            return {}
        return channel_environment(
            channels,
            queue_url=self.data.channel_queue.queue_url,
            idempotency_table=self.data.tables["idempotency"].table_name,
            teams_app_id=self.config.teams_app_id,
            public_base_url=self.config.channels_public_url,
        )

    def _pepper(self) -> dict[str, str]:
        """auth.pepper is read from the environment: a CloudFormation dynamic reference, so
        the value never appears in the template (it does in the function's configuration)."""
        secret = self.data.secrets["auth_pepper"]
        value = cdk.SecretValue.secrets_manager(secret.secret_arn, json_field="value")
        return {"XIN_AUTH__PEPPER": value.unsafe_unwrap()}

    def _grant(self, role: iam.Role, access: Access) -> None:
        kind, _, detail = access.partition(":")
        data = self.data
        if access == "search:read":
            self.search.grant_read(role)
        elif access == "search:write":
            self.search.grant_write(role)
        elif access == "documents:read":
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=["s3:GetObject", "s3:GetObjectVersion"],
                    resources=[data.documents.arn_for_objects("*")],
                )
            )
        elif access == "channel_queue:send":
            data.channel_queue.grant_send_messages(role)
        elif kind in data.tables:
            actions = _TABLE_READ if detail == "r" else (*_TABLE_READ, *_TABLE_WRITE)
            role.add_to_policy(
                iam.PolicyStatement(actions=list(actions), resources=[data.tables[kind].table_arn])
            )
        elif kind == "secret":
            data.secrets[detail].grant_read(role)
        elif kind == "bedrock":
            model = self.bedrock_models[detail]
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=["bedrock:InvokeModel"],
                    resources=[
                        cdk.Stack.of(self).format_arn(
                            service="bedrock",
                            account="",
                            resource="foundation-model",
                            resource_name=model,
                        )
                    ],
                )
            )
        else:  # pragma: no cover - Literal keeps this unreachable
            raise ValueError(f"unknown access {access!r}")
