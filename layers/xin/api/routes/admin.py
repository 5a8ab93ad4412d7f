"""/admin: API keys, per-tenant stats and document deletion. Every route needs ``admin``.

A tenant admin sees and changes only its own tenant; a platform admin (a key or token whose
tenant is ``*``) names the tenant with ``?tenant=`` (or in the body), defaulting to the
default tenant.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from xin.api.errors import request_id_of
from xin.api.models import TenantId
from xin.api.security import PROTECTED_ERRORS, error_responses, requires, tenant_scope
from xin.auth import ALL_TENANTS, Forbidden, Principal, Role
from xin.auth.keys import ApiKeyRecord
from xin.errors import NotFound

router = APIRouter(prefix="/admin", tags=["admin"])

AdminPrincipal = Annotated[Principal, Depends(requires(Role.ADMIN))]
TenantQuery = Annotated[TenantId | None, Query(description="Platform admins only: the tenant.")]
KeyTenant = Annotated[str, Field(pattern=r"^(?:\*|[A-Za-z0-9_.-]{1,64})$")]
RoleName = Literal["chat", "ingest", "metrics", "admin"]
_ERRORS = error_responses(422, *PROTECTED_ERRORS)
_ERRORS_404 = error_responses(404, 422, *PROTECTED_ERRORS)
_BODY_ERRORS = error_responses(400, 422, *PROTECTED_ERRORS)


class KeyCreateRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={  # the rule of _star_needs_admin, for clients and fuzzers
            "if": {"properties": {"tenant": {"const": "*"}}, "required": ["tenant"]},
            "then": {"properties": {"roles": {"contains": {"const": "admin"}}}},
        },
    )

    roles: list[RoleName] = Field(min_length=1, max_length=4)
    tenant: KeyTenant | None = Field(
        default=None, description="Default: the caller's tenant. '*' (every tenant): admin only."
    )
    name: str = Field(default="", max_length=100)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)

    @model_validator(mode="after")
    def _star_needs_admin(self) -> KeyCreateRequest:
        if self.tenant == ALL_TENANTS and "admin" not in self.roles:
            raise ValueError("a key for every tenant ('*') must have the admin role")
        return self


class KeyOut(BaseModel):
    key_id: str
    tenant: str
    roles: list[str]
    name: str
    created_at: float
    expires_at: float | None
    revoked: bool


class KeyCreated(KeyOut):
    api_key: str = Field(description="The full key. It is shown this once and never again.")
    request_id: str


class KeyList(BaseModel):
    keys: list[KeyOut]
    request_id: str


class DocumentOut(BaseModel):
    document_id: str
    title: str
    source: str
    chunks: int
    indexed_at: float


class DocumentList(BaseModel):
    tenant: str
    documents: list[DocumentOut]
    request_id: str


class DocumentDeleted(BaseModel):
    tenant: str
    document_id: str
    status: Literal["deleted"]
    request_id: str


class StatsResponse(BaseModel):
    tenant: str
    documents: int
    chunks: int
    api_keys: int
    request_id: str


def _key_out(record: ApiKeyRecord) -> KeyOut:
    return KeyOut(
        key_id=record.key_id,
        tenant=record.tenant,
        roles=list(record.roles),
        name=record.name,
        created_at=record.created_at,
        expires_at=record.expires_at,
        revoked=record.revoked,
    )


@router.post("/keys", response_model=KeyCreated, status_code=201, responses=_BODY_ERRORS)
def create_key(body: KeyCreateRequest, request: Request, principal: AdminPrincipal) -> JSONResponse:
    if body.tenant == ALL_TENANTS:
        if not principal.cross_tenant:
            raise Forbidden("Only a platform admin may create keys for every tenant.")
        tenant = ALL_TENANTS
    else:
        tenant = tenant_scope(request, principal, body.tenant)
    ttl = None if body.expires_in_days is None else body.expires_in_days * 86_400.0
    issued = request.app.state.container.api_keys.create(
        tenant, body.roles, name=body.name, ttl_s=ttl
    )
    out = KeyCreated(
        **_key_out(issued.record).model_dump(),
        api_key=issued.secret,
        request_id=request_id_of(request),
    )
    return JSONResponse(out.model_dump(), status_code=201, headers={"Cache-Control": "no-store"})


@router.get("/keys", response_model=KeyList, responses=_ERRORS)
def list_keys(request: Request, principal: AdminPrincipal, tenant: TenantQuery = None) -> KeyList:
    scoped = tenant_scope(request, principal, tenant)
    records = request.app.state.container.api_keys.list(scoped)
    return KeyList(keys=[_key_out(r) for r in records], request_id=request_id_of(request))


@router.delete("/keys/{key_id}", response_model=KeyOut, responses=_ERRORS_404)
def revoke_key(
    key_id: Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")],
    request: Request,
    principal: AdminPrincipal,
) -> KeyOut:
    only = None if principal.cross_tenant else principal.tenant
    return _key_out(request.app.state.container.api_keys.revoke(key_id, tenant=only))


@router.get("/documents", response_model=DocumentList, responses=_ERRORS)
def list_documents(
    request: Request, principal: AdminPrincipal, tenant: TenantQuery = None
) -> DocumentList:
    scoped = tenant_scope(request, principal, tenant)
    records = request.app.state.container.store.list_documents(scoped)
    documents = [
        DocumentOut(
            document_id=r.document_id,
            title=r.title,
            source=r.source,
            chunks=r.chunk_count,
            indexed_at=r.indexed_at,
        )
        for r in records
    ]
    return DocumentList(tenant=scoped, documents=documents, request_id=request_id_of(request))


@router.delete(
    "/documents/{document_id:path}", response_model=DocumentDeleted, responses=_ERRORS_404
)
def delete_document(
    document_id: Annotated[str, Path(min_length=1, max_length=512)],
    request: Request,
    principal: AdminPrincipal,
    tenant: TenantQuery = None,
) -> DocumentDeleted:
    scoped = tenant_scope(request, principal, tenant)
    if not request.app.state.container.store.delete_document(scoped, document_id):
        raise NotFound("No such document in this tenant.")
    return DocumentDeleted(
        tenant=scoped, document_id=document_id, status="deleted", request_id=request_id_of(request)
    )


@router.get("/stats", response_model=StatsResponse, responses=_ERRORS)
def stats(request: Request, principal: AdminPrincipal, tenant: TenantQuery = None) -> StatsResponse:
    scoped = tenant_scope(request, principal, tenant)
    container = request.app.state.container
    records = container.store.list_documents(scoped)
    return StatsResponse(
        tenant=scoped,
        documents=len(records),
        chunks=sum(r.chunk_count for r in records),
        api_keys=len(container.api_keys.list(scoped)),
        request_id=request_id_of(request),
    )
