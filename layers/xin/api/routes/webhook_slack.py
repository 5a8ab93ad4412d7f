"""Route group ``webhook_slack``: ``/webhooks/slack`` (see ``xin.api.routes.webhooks``)."""

from xin.api.routes.webhooks import webhook_router

router = webhook_router("slack")
