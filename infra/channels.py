"""Messaging channels in the stack: which secrets each channel reads, and the settings its
functions get.

Secret *names* come from ``xin``'s own settings (``channels.<channel>.*_secret``), so the
stack creates exactly the secrets the code will ask for: ``xin/<env>/telegram-bot-token``
and so on, read through ``XIN_SECRETS__PREFIX``. Values never appear in the template or in a
function's environment; only the functions of a channel may read that channel's secrets.
"""

from __future__ import annotations

from xin.config.channels import ChannelsSettings


def secret_names(channel: str) -> tuple[str, ...]:
    """The Secrets Manager names (without the prefix) that ``channel`` reads, e.g.
    ``('telegram-bot-token', 'telegram-webhook-secret')``."""
    section = getattr(ChannelsSettings(), channel)
    return tuple(
        str(value)
        for field, value in section.model_dump().items()
        if field.endswith("secret") and isinstance(value, str)
    )


def channel_environment(
    channels: tuple[str, ...],
    *,
    queue_url: str,
    idempotency_table: str,
    teams_app_id: str | None,
    public_base_url: str | None = None,
) -> dict[str, str]:
    """Settings that switch ``channels`` on, with the SQS queue and DynamoDB de-duplication."""
    env = {
        "XIN_CHANNELS__QUEUE": "sqs",
        "XIN_CHANNELS__QUEUE_URL": queue_url,
        "XIN_CHANNELS__IDEMPOTENCY_BACKEND": "dynamodb",
        "XIN_CHANNELS__IDEMPOTENCY_TABLE": idempotency_table,
    }
    for channel in channels:
        env[f"XIN_CHANNELS__{channel.upper()}__ENABLED"] = "true"
    if public_base_url:  # else the request's own URL (API Gateway's default endpoint)
        env["XIN_CHANNELS__PUBLIC_BASE_URL"] = public_base_url
    if "teams" in channels and teams_app_id:
        env["XIN_CHANNELS__TEAMS__APP_ID"] = teams_app_id
    return env
