"""Request and response bodies of the HTTP API (the OpenAPI schema comes from these)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SessionId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,128}$")]
TenantId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
DocumentId = Annotated[str, Field(min_length=1, max_length=512, pattern=r"^[^\x00-\x1f]+$")]


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(
        min_length=1, pattern=r"\S", description="The user's question or message (not blank)."
    )
    session_id: SessionId | None = Field(default=None, description="Continue this conversation.")
    tenant: TenantId | None = Field(default=None, description="Tenant whose documents to use.")
    stream: bool = Field(
        default=False,
        strict=True,  # "stream": 0 or "yes" is an error, not a silent choice
        description=(
            "Answer as Server-Sent Events (text/event-stream): `delta` events with pieces of "
            "the answer, checked by the output guard before they are sent; a `replace` event "
            "if the final answer differs from the pieces; a `done` event with the full JSON "
            "response."
        ),
    )

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("message must not be empty")
        return value


class CitationOut(BaseModel):
    index: int
    document_id: str
    title: str
    source: str
    location: str
    snippet: str


class ChatResponse(BaseModel):
    answer: str
    citations: list[CitationOut]
    language: str
    grounded: bool
    session_id: str
    request_id: str
    blocked: bool = Field(
        default=False,
        description="True when the safety guard refused the message: `answer` is a refusal.",
    )


class IngestTextRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="Document text (Markdown is understood).")
    title: str | None = Field(default=None, max_length=300)
    document_id: DocumentId | None = None
    tenant: TenantId | None = None


class IngestResponse(BaseModel):
    document_id: str
    status: Literal["indexed", "skipped"]
    chunks: int
    request_id: str


class HealthResponse(BaseModel):
    status: Literal["ok", "degraded"]
    checks: dict[str, str]
    version: str


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str


class ErrorResponse(BaseModel):
    error: ErrorBody
