"""POST /chat: a grounded answer with numbered citations, as JSON or streamed (SSE)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from xin.api.chat_events import ReplyStream
from xin.api.errors import ApiError, request_id_of
from xin.api.models import ChatRequest, ChatResponse, CitationOut
from xin.api.security import PROTECTED_ERRORS, error_responses, requires, tenant_scope
from xin.auth import Principal, Role
from xin.services.chat import ChatReply

router = APIRouter(tags=["chat"])

_ERRORS = error_responses(400, 413, 422, *PROTECTED_ERRORS)
_STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/event-stream": {
                # Before OpenAPI 3.2, the schema of an event stream describes one event.
                "schema": {
                    "type": "object",
                    "required": ["event", "data"],
                    "properties": {
                        "event": {"type": "string", "enum": ["delta", "replace", "done", "error"]},
                        "data": {"type": "string", "description": "A JSON document."},
                    },
                }
            }
        },
        "description": "The answer as JSON, or as Server-Sent Events when `stream` is true.",
    }
}


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={**_ERRORS, **_STREAM_DOC},
)
def chat(
    body: ChatRequest,
    request: Request,
    principal: Annotated[Principal, Depends(requires(Role.CHAT))],
) -> Any:
    container = request.app.state.container
    settings = container.settings
    limit = settings.api.max_message_chars
    if len(body.message) > limit:
        raise ApiError(413, "message_too_long", f"The message is longer than {limit} characters.")
    tenant = tenant_scope(request, principal, body.tenant, messages=1, channel="api")
    if body.stream:
        stream = ReplyStream.start(
            lambda on_delta: container.chat.ask(
                body.message, tenant=tenant, session_id=body.session_id, on_delta=on_delta
            ),
            lambda reply: _response(reply, request),
        )
        return StreamingResponse(
            stream.events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )
    reply = container.chat.ask(
        body.message,
        tenant=tenant,
        session_id=body.session_id,
        channel="api",  # actions (hand-off, ticket) with the "api" allow-list; web page too
        user_id=principal.subject,
    )
    return _response(reply, request)


def _response(reply: ChatReply, request: Request) -> ChatResponse:
    return ChatResponse(
        answer=reply.answer.text,
        citations=[
            CitationOut(
                index=c.index,
                document_id=c.document_id,
                title=c.title,
                source=c.source,
                location=c.location,
                snippet=c.snippet,
            )
            for c in reply.answer.citations
        ],
        language=reply.answer.language,
        grounded=reply.answer.grounded,
        session_id=reply.session_id,
        request_id=request_id_of(request),
        blocked=reply.blocked,
    )
