"""Builds the enabled channels from settings."""

from __future__ import annotations

from collections.abc import Callable

from xin.channels.common import ChannelContext
from xin.channels.port import Channel, HttpClient
from xin.config import Settings
from xin.ports import SecretSource

CHANNEL_NAMES = ("telegram", "slack", "whatsapp", "twilio", "teams")


def build_channels(
    settings: Settings,
    secrets: SecretSource,
    http: HttpClient,
    *,
    clock: Callable[[], float] | None = None,
) -> dict[str, Channel]:
    from xin.channels.slack import SlackChannel
    from xin.channels.teams import TeamsChannel
    from xin.channels.telegram import TelegramChannel
    from xin.channels.twilio import TwilioChannel
    from xin.channels.whatsapp import WhatsAppChannel

    config = settings.channels
    channels: dict[str, Channel] = {}

    def context(tenant: str | None) -> ChannelContext:
        extra = {"clock": clock} if clock is not None else {}
        return ChannelContext(
            secrets=secrets,
            http=http,
            tenant=tenant or settings.default_tenant,
            max_message_age_s=config.max_message_age_s,
            public_base_url=config.public_base_url,
            **extra,
        )

    if config.telegram.enabled:
        channels["telegram"] = TelegramChannel(config.telegram, context(config.telegram.tenant))
    if config.slack.enabled:
        channels["slack"] = SlackChannel(config.slack, context(config.slack.tenant))
    if config.whatsapp.enabled:
        channels["whatsapp"] = WhatsAppChannel(config.whatsapp, context(config.whatsapp.tenant))
    if config.twilio.enabled:
        channels["twilio"] = TwilioChannel(config.twilio, context(config.twilio.tenant))
    if config.teams.enabled:
        channels["teams"] = TeamsChannel(config.teams, context(config.teams.tenant))
    return channels
