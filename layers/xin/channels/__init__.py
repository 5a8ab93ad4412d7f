"""Messaging channels: verify a platform's webhook, normalise it to an ``InboundMessage``,
and send the answer back through the platform's API. One module per platform; see
docs/channels.md and docs/adr/0010-channel-webhooks-and-actions.md."""
