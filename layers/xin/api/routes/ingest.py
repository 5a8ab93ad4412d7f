"""POST /ingest: add one document, as a multipart file upload or as JSON text."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from xin.api.errors import ApiError, request_id_of
from xin.api.models import IngestResponse, IngestTextRequest
from xin.api.security import PROTECTED_ERRORS, error_responses, requires, tenant_scope
from xin.auth import Principal, Role
from xin.services.ingestion import IngestResult

router = APIRouter(tags=["ingest"])

_UNSAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)
_REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "tenant": {"type": "string", "pattern": r"^[A-Za-z0-9_.-]{1,64}$"},
                        "document_id": {"type": "string", "maxLength": 512},
                    },
                }
            },
            "application/json": {"schema": IngestTextRequest.model_json_schema()},
        },
    }
}
_FAILURE_STATUS = {"unsupported_document": 415}


def safe_filename(name: str) -> str:
    """The last path component only, without control or shell-special characters."""
    base = PurePosixPath(PureWindowsPath(name).name).name
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" .")
    if not cleaned:
        raise ApiError(422, "invalid_filename", "The uploaded file needs a file name.")
    return cleaned[:200]


async def _from_multipart(request: Request) -> tuple[bytes, str, str | None, str | None]:
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ApiError(422, "validation_error", "Invalid request: file: a file upload is required")
    data = await upload.read()
    tenant, document_id = form.get("tenant"), form.get("document_id")
    return (
        data,
        safe_filename(upload.filename or ""),
        tenant if isinstance(tenant, str) and tenant else None,
        document_id if isinstance(document_id, str) and document_id else None,
    )


async def _from_json(request: Request) -> tuple[bytes, str, str | None, str | None]:
    try:
        payload = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(400, "malformed_json", "The request body is not valid JSON.") from None
    try:
        body = IngestTextRequest.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise ApiError(
            422, "validation_error", f"Invalid request: {where}: {first['msg']}"
        ) from None
    name = body.document_id or body.title or "document"
    text = f"# {body.title}\n\n{body.text}" if body.title else body.text
    return text.encode("utf-8"), f"{safe_filename(name)}.md", body.tenant, body.document_id


@router.post(
    "/ingest",
    response_model=IngestResponse,
    status_code=201,
    openapi_extra=_REQUEST_BODY,
    responses={
        200: {"model": IngestResponse, "description": "Unchanged: already indexed (skipped)."},
        **error_responses(400, 413, 415, 422, *PROTECTED_ERRORS),
    },
)
async def ingest(
    request: Request,
    principal: Annotated[Principal, Depends(requires(Role.INGEST))],
) -> JSONResponse:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        data, source, tenant, document_id = await _from_multipart(request)
    elif content_type.startswith("application/json"):
        data, source, tenant, document_id = await _from_json(request)
    else:
        raise ApiError(415, "unsupported_media_type", "Send multipart/form-data or JSON.")
    container = request.app.state.container
    tenant = tenant_scope(request, principal, tenant)
    result: IngestResult = container.ingestion.ingest_bytes(
        data, source, tenant=tenant, document_id=document_id
    )
    if result.status == "failed":
        status = _FAILURE_STATUS.get(result.code, 422)
        raise ApiError(status, result.code or "document_error", f"{source}: {result.reason}")
    body = IngestResponse(
        document_id=result.document_id,
        status=result.status,
        chunks=result.chunks,
        request_id=request_id_of(request),
    )
    return JSONResponse(body.model_dump(), status_code=201 if result.status == "indexed" else 200)
