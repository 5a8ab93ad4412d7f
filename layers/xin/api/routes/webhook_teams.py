"""Route group ``webhook_teams``: ``/webhooks/teams`` (see ``xin.api.routes.webhooks``)."""

from xin.api.routes.webhooks import webhook_router

router = webhook_router("teams")
