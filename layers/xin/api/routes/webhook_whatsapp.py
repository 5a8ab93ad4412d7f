"""Route group ``webhook_whatsapp``: ``/webhooks/whatsapp`` (see ``xin.api.routes.webhooks``)."""

from xin.api.routes.webhooks import webhook_router

router = webhook_router("whatsapp")
