"""Route group ``webhook_telegram``: ``/webhooks/telegram`` (see ``xin.api.routes.webhooks``)."""

from xin.api.routes.webhooks import webhook_router

router = webhook_router("telegram")
