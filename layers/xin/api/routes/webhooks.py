"""Channel webhooks: ``POST /webhooks/{channel}`` (and WhatsApp's ``GET`` handshake).

No API key here: each platform's own signature is the credential (``Channel.verify``).
The route verifies, de-duplicates and enqueues, then answers at once; the channel worker
replies later. Each channel is its own route group (``webhook_<channel>``), so a Lambda
function can mount exactly one.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from xin.api.security import error_responses
from xin.channels.message import WebhookReply, WebhookRequest
from xin.config.security import tenant_overrides

_ERRORS = error_responses(400, 401, 403, 404, 413, 503)


def _response(reply: WebhookReply) -> Response:
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type)


async def _raw(request: Request) -> WebhookRequest:
    return WebhookRequest(
        method=request.method,
        url=str(request.url),
        headers={k.lower(): v for k, v in request.headers.items()},
        query=dict(request.query_params),
        body=await request.body(),
    )


def _check_tenant(request: Request, channel: str) -> None:
    from xin.channels.common import reject

    settings = request.app.state.container.settings
    section = getattr(settings.channels, channel)
    tenant = section.tenant or settings.default_tenant
    if not tenant_overrides(settings.tenants, tenant).allows_channel(channel):
        raise reject(channel, "channel_not_allowed", status=403)


def webhook_router(channel: str) -> APIRouter:
    router = APIRouter(tags=["webhooks"])

    @router.post(
        f"/webhooks/{channel}",
        responses=_ERRORS,
        summary=f"{channel.title()} webhook",
        operation_id=f"webhook_{channel}",
    )
    async def receive(request: Request) -> Response:
        runtime = request.app.state.container.channel_runtime
        raw = await _raw(request)
        _check_tenant(request, channel)
        reply = await run_in_threadpool(runtime.webhooks.receive, channel, raw)
        return _response(reply)

    if channel == "whatsapp":

        @router.get(
            "/webhooks/whatsapp",
            responses=_ERRORS,
            operation_id="webhook_whatsapp_verify",
            summary="WhatsApp subscription handshake",
        )
        def subscribe(request: Request) -> Response:
            from xin.channels.whatsapp import WhatsAppChannel

            runtime = request.app.state.container.channel_runtime
            channel_impl = runtime.webhooks.channel("whatsapp")
            assert isinstance(channel_impl, WhatsAppChannel)
            return _response(channel_impl.subscribe(dict(request.query_params)))

    return router
