"""GET /ingest/{document_id}: what happened to one document dropped into the bucket.

Document ids are S3 keys and may contain slashes (``tenants/acme/guides/setup.md``). The
tenant is the ``tenant`` query parameter, else the one the key names by the
``ingest.tenant_prefix`` convention, else the default tenant.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from xin.api.errors import request_id_of
from xin.api.models import ErrorResponse, TenantId
from xin.api.security import tenant_scope
from xin.errors import NotFound
from xin.ingest_status import IngestionRecord
from xin.services.s3_events import tenant_for_key

router = APIRouter(tags=["ingest"])


class IngestionStatusResponse(BaseModel):
    document_id: str
    tenant: str
    state: Literal["pending", "indexed", "failed", "deleted"]
    reason: str
    code: str
    chunk_count: int
    source: str
    version: str
    size: int
    created_at: float
    updated_at: float
    indexed_at: float | None
    request_id: str


def status_body(record: IngestionRecord, request_id: str) -> IngestionStatusResponse:
    return IngestionStatusResponse(
        document_id=record.document_id,
        tenant=record.tenant,
        state=record.state,
        reason=record.reason,
        code=record.code,
        chunk_count=record.chunk_count,
        source=record.source,
        version=record.version,
        size=record.size,
        created_at=record.created_at,
        updated_at=record.updated_at,
        indexed_at=record.indexed_at,
        request_id=request_id,
    )


@router.get(
    "/ingest/{document_id:path}",
    response_model=IngestionStatusResponse,
    responses={code: {"model": ErrorResponse} for code in (400, 404, 503)},
)
def ingestion_status(
    document_id: str,
    request: Request,
    tenant: Annotated[TenantId | None, Query(description="Default: from the key.")] = None,
) -> IngestionStatusResponse:
    container = request.app.state.container
    settings = container.settings
    tenant = tenant or tenant_for_key(
        document_id, prefix=settings.ingest.tenant_prefix, default=settings.default_tenant
    )
    # the router-level guard (xin.api.security.router_options) put the caller here: 403 for
    # another tenant's document
    tenant = tenant_scope(request, request.state.principal, tenant)
    record = container.ingest_status.get(tenant, document_id)
    if record is None:
        raise NotFound("No ingestion status is recorded for this document.")
    return status_body(record, request_id_of(request))
