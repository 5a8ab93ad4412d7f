"""Route group ``webhook_twilio``: ``/webhooks/twilio`` (see ``xin.api.routes.webhooks``)."""

from xin.api.routes.webhooks import webhook_router

router = webhook_router("twilio")
