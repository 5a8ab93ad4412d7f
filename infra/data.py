"""Data: the documents bucket (→ SQS ingest queue with a DLQ), the channel queue (webhooks →
channel worker, with its own DLQ), DynamoDB tables, secrets (shared and per channel)."""

from __future__ import annotations

from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.channels import secret_names
from infra.config import EnvConfig


@dataclass(frozen=True)
class TableSpec:
    """One DynamoDB table: key schema and the TTL attribute, if items expire."""

    key: str
    partition_key: str
    sort_key: str | None = None
    ttl_attribute: str | None = None
    sort_key_numeric: bool = False  # e.g. the conversation turn sequence number


# Key names follow the adapters: the status store keys on (tenant, document_id);
# Powertools idempotency uses `id` + `expiration`.
TABLES = (
    TableSpec("conversations", "pk", "seq", ttl_attribute="expires_at", sort_key_numeric=True),
    TableSpec("idempotency", "id", ttl_attribute="expiration"),
    TableSpec("rate_limits", "pk", ttl_attribute="expires_at"),
    TableSpec("ingestion_status", "tenant", "document_id"),
    TableSpec("api_keys", "key_id"),  # hashed API keys (HMAC with the pepper secret)
    # Pending confirmations and hand-off marks (expire) and the audit log (kept) of actions.
    TableSpec("action_state", "pk", "sk", ttl_attribute="expires_at"),
)
# Secret names are `xin/<env>/<name>`: the app reads them with XIN_SECRETS__PROVIDER=aws and
# XIN_SECRETS__PREFIX=xin/<env>/ (`openai-api-key` is settings.openai.api_key_secret).
# Each channel's tokens and signing secrets are separate secrets (see infra/channels.py).
SECRETS = {
    "auth_pepper": "Server-side pepper mixed into every API key hash (generated)",
    "openai_api_key": "Key of an OpenAI-compatible model provider outside AWS",
}
GENERATED_SECRETS = {"auth_pepper"}  # random at creation; the others are set by operators
INGEST_TIMEOUT = cdk.Duration.minutes(5)
INGEST_VISIBILITY = cdk.Duration.minutes(30)  # six times the ingest function's timeout
MAX_RECEIVES = 3
CHANNEL_WORKER_TIMEOUT = cdk.Duration.seconds(90)
CHANNEL_VISIBILITY = cdk.Duration.minutes(9)  # six times the worker's timeout


class Data(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: EnvConfig) -> None:
        super().__init__(scope, construct_id)
        removal = cdk.RemovalPolicy.RETAIN if config.retain_data else cdk.RemovalPolicy.DESTROY
        self.log_bucket = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,  # log delivery supports SSE-S3 only
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=cdk.Duration.days(max(config.log_retention_days, 30)),
                    noncurrent_version_expiration=cdk.Duration.days(7),
                )
            ],
            removal_policy=removal,
            auto_delete_objects=False,
        )
        self.documents = s3.Bucket(
            self,
            "Documents",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.log_bucket,
            server_access_logs_prefix="documents/",
            lifecycle_rules=[s3.LifecycleRule(noncurrent_version_expiration=cdk.Duration.days(90))],
            removal_policy=removal,
        )
        self.dead_letters = sqs.Queue(
            self,
            "IngestDLQ",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(14),
        )
        self.ingest_queue = sqs.Queue(
            self,
            "IngestQueue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,  # S3 can publish to SSE-SQS queues
            enforce_ssl=True,
            visibility_timeout=INGEST_VISIBILITY,
            retention_period=cdk.Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.dead_letters, max_receive_count=MAX_RECEIVES
            ),
        )
        self.documents.add_event_notification(
            s3.EventType.OBJECT_CREATED, s3n.SqsDestination(self.ingest_queue)
        )
        self.channel_dead_letters = sqs.Queue(
            self,
            "ChannelDLQ",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(14),
        )
        # Verified channel messages from the webhook functions to the channel worker. A reply
        # that keeps failing lands in the DLQ after MAX_RECEIVES attempts (alarmed).
        self.channel_queue = sqs.Queue(
            self,
            "ChannelQueue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            visibility_timeout=CHANNEL_VISIBILITY,
            retention_period=cdk.Duration.days(1),  # a day-old chat reply is no use
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.channel_dead_letters, max_receive_count=MAX_RECEIVES
            ),
        )
        self.queues = {"ingest": self.ingest_queue, "channel": self.channel_queue}
        self.tables = {spec.key: self._table(spec, config, removal) for spec in TABLES}
        self.secrets = {
            key: secretsmanager.Secret(
                self,
                "".join(part.title() for part in key.split("_")) + "Secret",
                secret_name=f"xin/{config.name}/{key.replace('_', '-')}",
                description=f"Xin {config.name}: {description}",
                generate_secret_string=secretsmanager.SecretStringGenerator(
                    secret_string_template="{}",  # noqa: S106 - a JSON template, no password
                    generate_string_key="value" if key in GENERATED_SECRETS else "placeholder",
                    exclude_punctuation=True,
                    password_length=48,
                ),
                removal_policy=removal,
            )
            for key, description in SECRETS.items()
        }
        self.channel_secrets = {
            channel: tuple(
                self._channel_secret(config, channel, name, removal)
                for name in secret_names(channel)
            )
            for channel in config.deployed_channels
        }

    def _channel_secret(
        self, config: EnvConfig, channel: str, name: str, removal: cdk.RemovalPolicy
    ) -> secretsmanager.Secret:
        """Created with a random value no platform knows, so the channel fails closed (every
        webhook is rejected as forged) until an operator puts the platform's real value."""
        return secretsmanager.Secret(
            self,
            "".join(part.title() for part in name.split("-")) + "Secret",
            secret_name=f"xin/{config.name}/{name}",
            description=f"Xin {config.name}: {channel} channel ({name})",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                exclude_punctuation=True, password_length=48
            ),
            removal_policy=removal,
        )

    def _table(
        self, spec: TableSpec, config: EnvConfig, removal: cdk.RemovalPolicy
    ) -> dynamodb.Table:
        name = "".join(part.title() for part in spec.key.split("_"))
        return dynamodb.Table(
            self,
            f"{name}Table",
            partition_key=dynamodb.Attribute(
                name=spec.partition_key, type=dynamodb.AttributeType.STRING
            ),
            sort_key=(
                dynamodb.Attribute(
                    name=spec.sort_key,
                    type=dynamodb.AttributeType.NUMBER
                    if spec.sort_key_numeric
                    else dynamodb.AttributeType.STRING,
                )
                if spec.sort_key
                else None
            ),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            time_to_live_attribute=spec.ttl_attribute,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=config.retain_data,
            removal_policy=removal,
        )
