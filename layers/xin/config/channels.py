"""Settings sections for messaging channels (``channels``) and assistant actions (``actions``).

Kept apart from ``settings.py`` like ``security.py``. Secret *names* live here; the values
come from the configured ``SecretSource``. Every platform's API base URL is a setting, so
tests (and regional endpoints) can point it elsewhere. See docs/channels.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

TenantName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Channel(_Section):
    enabled: bool = False
    tenant: TenantName | None = None  # None: default_tenant


class TelegramSettings(_Channel):
    api_base_url: str = "https://api.telegram.org"
    bot_token_secret: str = "telegram-bot-token"  # noqa: S105 - a secret's name
    webhook_secret: str = "telegram-webhook-secret"  # noqa: S105 - setWebhook secret_token


class SlackSettings(_Channel):
    api_base_url: str = "https://slack.com/api"
    signing_secret: str = "slack-signing-secret"  # noqa: S105
    bot_token_secret: str = "slack-bot-token"  # noqa: S105
    replay_window_s: Annotated[int, Field(ge=30, le=900)] = 300


class WhatsAppSettings(_Channel):
    api_base_url: str = "https://graph.facebook.com/v21.0"
    app_secret: str = "whatsapp-app-secret"  # noqa: S105 - X-Hub-Signature-256 key
    verify_token_secret: str = "whatsapp-verify-token"  # noqa: S105
    access_token_secret: str = "whatsapp-access-token"  # noqa: S105


class TwilioSettings(_Channel):
    api_base_url: str = "https://api.twilio.com"
    account_sid: str | None = None  # needed for reply_mode "api"
    auth_token_secret: str = "twilio-auth-token"  # noqa: S105
    # "api": acknowledge with an empty TwiML <Response/> and reply later through the REST API;
    # "twiml": answer inline with <Response><Message> (the answer must fit Twilio's 15 s).
    reply_mode: Literal["api", "twiml"] = "api"


class TeamsSettings(_Channel):
    app_id: str | None = None  # the bot's Microsoft App ID: the JWT audience
    openid_metadata_url: str = "https://login.botframework.com/v1/.well-known/openidconfiguration"
    issuer: str = "https://api.botframework.com"
    token_url: str = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"  # noqa: S105
    app_password_secret: str = "teams-app-password"  # noqa: S105
    # serviceUrl prefixes replies may go to (empty: any https URL the signed token names).
    allowed_service_urls: list[str] = Field(default_factory=list)
    leeway_s: Annotated[int, Field(ge=0, le=600)] = 300
    keys_cache_s: Annotated[int, Field(ge=0, le=7 * 86_400)] = 86_400

    @model_validator(mode="after")
    def _app_id_when_enabled(self) -> TeamsSettings:
        if self.enabled and not self.app_id:
            raise ValueError("channels.teams.app_id is required when the Teams channel is on")
        return self


class ChannelsSettings(_Section):
    """``channels``: webhook verification, idempotency, the reply queue and each platform."""

    # Where replies are produced: "local" = SQLite-backed queue + background thread (server,
    # Kubernetes); "sqs" = the channel_worker Lambda; "inline" = in the webhook request (tests).
    queue: Literal["local", "sqs", "inline"] = "local"
    queue_url: str | None = None
    # SQLite file for the local idempotency keys, queue and action state (default:
    # <data_dir>/channels.db).
    state_path: Path | None = None
    idempotency_backend: Literal["sqlite", "dynamodb"] = "sqlite"
    idempotency_table: str = "xin-idempotency"  # DynamoDB: pk `id`, TTL attribute `expiration`
    idempotency_ttl_s: Annotated[int, Field(ge=60, le=30 * 86_400)] = 3 * 86_400
    # Messages older than this are acknowledged but not answered (a replayed capture).
    max_message_age_s: Annotated[int, Field(ge=60, le=7 * 86_400)] = 3600
    # The public https base URL the platforms call (Twilio signs the full URL).
    public_base_url: str | None = None
    http_timeout_s: Annotated[float, Field(gt=0, le=60)] = 10.0
    http_retries: Annotated[int, Field(ge=0, le=5)] = 2
    max_attempts: Annotated[int, Field(ge=1, le=20)] = 3  # local queue, then dead-letter
    max_reply_chars: Annotated[int, Field(ge=100, le=40_000)] = 3500
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    whatsapp: WhatsAppSettings = Field(default_factory=WhatsAppSettings)
    twilio: TwilioSettings = Field(default_factory=TwilioSettings)
    teams: TeamsSettings = Field(default_factory=TeamsSettings)

    @model_validator(mode="after")
    def _queue_is_configured(self) -> ChannelsSettings:
        if self.queue == "sqs" and not self.queue_url:
            raise ValueError("channels.queue_url is required when channels.queue is 'sqs'")
        return self


class ActionsSettings(_Section):
    """``actions``: what the assistant may do besides answering."""

    enabled: bool = True
    # Allowed action names; None = every registered action. Per tenant / per channel below.
    allowed: list[str] | None = None
    tenants: dict[TenantName, list[str]] = Field(default_factory=dict)
    channels: dict[str, list[str]] = Field(default_factory=dict)
    timeout_s: Annotated[float, Field(gt=0, le=60)] = 8.0
    confirmation_ttl_s: Annotated[int, Field(ge=30, le=86_400)] = 600
    handoff_webhook_url: str | None = None
    ticket_webhook_url: str | None = None
    # HTTP look-ups: GET only, against these base URLs only.
    lookup_allowed_base_urls: list[str] = Field(default_factory=list)
    lookup_url_template: str | None = None  # e.g. https://orders.example/api/orders/{order_id}
    # Pending confirmations, hand-off marks and the audit log: SQLite (channels.state_path) or
    # DynamoDB (pk/sk strings, TTL attribute `expires_at`). Audit records expire after
    # audit_retention_days in DynamoDB (0: kept).
    state_backend: Literal["sqlite", "dynamodb"] = "sqlite"
    state_table: str = "xin-action-state"
    audit_retention_days: Annotated[int, Field(ge=0, le=3650)] = 365
    handoff_ttl_s: Annotated[int, Field(ge=300, le=30 * 86_400)] = 7 * 86_400
    # With a Bedrock model the model chooses actions (tool use): at most this many round trips.
    tool_max_steps: Annotated[int, Field(ge=1, le=8)] = 3
