"""Event-driven ingestion: S3 object events in, documents indexed or removed, status recorded.

Per event: claim the document in the status table (a redelivered, stale or concurrently
processed event is a no-op), check type and size limits, download, then parse, chunk, embed
and index through :class:`IngestionService`, or delete the chunks of a removed object; finally
record ``indexed | failed | deleted`` with the reason and chunk count.

Outcomes split into three kinds the caller (the SQS batch handler) acts on:
done (``indexed``, ``unchanged``, ``deleted``, ``duplicate``, ``stale``),
permanent failure (``failed``: the document itself is bad; its message is still returned
as a batch item failure so SQS dead-letters it) and retry (``retry``, ``in_progress``).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from enum import StrEnum

from xin.errors import DocumentError, InvalidRequest, NotFound, UnsupportedDocument, XinError
from xin.ingest_status import ClaimDecision, IngestionRecord
from xin.observability.logging import get_logger
from xin.ports import IngestionStatusStore, ObjectSource, VectorStore
from xin.rag.loaders import SUPPORTED_EXTENSIONS
from xin.rag.loaders._common import extension_of
from xin.services.ingestion import IngestionService
from xin.services.s3_events import ObjectEvent, parse_message_body, tenant_for_key


class DocumentTooLarge(DocumentError):  # named like the errors in xin.errors
    code = "document_too_large"
    http_status = 413


class Outcome(StrEnum):
    INDEXED = "indexed"
    UNCHANGED = "unchanged"
    DELETED = "deleted"
    DUPLICATE = "duplicate"
    STALE = "stale"
    FAILED = "failed"
    RETRY = "retry"
    IN_PROGRESS = "in_progress"


_DONE = frozenset(
    {
        Outcome.INDEXED,
        Outcome.UNCHANGED,
        Outcome.DELETED,
        Outcome.DUPLICATE,
        Outcome.STALE,
    }
)


@dataclass(frozen=True, slots=True)
class EventResult:
    tenant: str
    document_id: str
    outcome: Outcome
    chunks: int = 0
    reason: str = ""
    code: str = ""

    @property
    def succeeded(self) -> bool:
        """False when the message must go back to the queue (retry, or on to the DLQ)."""
        return self.outcome in _DONE


class ObjectIngestService:
    def __init__(
        self,
        *,
        source: ObjectSource,
        status: IngestionStatusStore,
        ingestion: IngestionService,
        store: VectorStore,
        default_tenant: str,
        tenant_prefix: str = "tenants/",
        max_object_bytes: int = 25 * 1024 * 1024,
        allowed_extensions: Collection[str] = (),
        lease_seconds: float = 900.0,
        clock: Callable[[], float] = time.time,
        new_token: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self._source = source
        self._status = status
        self._ingestion = ingestion
        self._store = store
        self._default_tenant = default_tenant
        self._tenant_prefix = tenant_prefix
        self._max_bytes = max_object_bytes
        self._extensions = frozenset(allowed_extensions) or SUPPORTED_EXTENSIONS
        self._lease = lease_seconds
        self._clock = clock
        self._new_token = new_token

    def handle_message(self, body: str, *, lease_seconds: float | None = None) -> list[EventResult]:
        """Process every object event in one SQS message body (raises ``InvalidRequest``)."""
        return [
            self.handle(event, lease_seconds=lease_seconds) for event in parse_message_body(body)
        ]

    def handle(self, event: ObjectEvent, *, lease_seconds: float | None = None) -> EventResult:
        bad_key = ""
        try:
            tenant = tenant_for_key(
                event.key, prefix=self._tenant_prefix, default=self._default_tenant
            )
        except InvalidRequest as exc:  # recorded under the default tenant, so it can be seen
            tenant, bad_key = self._default_tenant, exc.message
        now = self._clock()
        attempt = IngestionRecord(
            tenant=tenant,
            document_id=event.key,
            state="pending",
            event=event.kind,
            source=event.uri,
            version=event.version,
            sequencer=event.sequencer,
            size=event.size,
            created_at=now,
            updated_at=now,
            lease_until=now + (lease_seconds or self._lease),
            claim_token=self._new_token(),
        )
        claim = self._status.claim(attempt, now)
        if not claim.acquired:
            return self._log(_not_acquired(attempt, claim.decision, claim.existing))
        if claim.existing is not None:
            attempt = replace(attempt, created_at=claim.existing.created_at)
        if bad_key:
            return self._log(
                self._finish(attempt, "failed", Outcome.FAILED, reason=bad_key, code="invalid_key")
            )
        return self._log(self._process(event, attempt))

    def _process(self, event: ObjectEvent, claimed: IngestionRecord) -> EventResult:
        try:
            if event.kind == "removed":
                self._store.delete_document(claimed.tenant, claimed.document_id)
                return self._finish(claimed, "deleted", Outcome.DELETED)
            return self._index(event, claimed)
        except NotFound:  # deleted since the event was sent; its removal event follows
            self._store.delete_document(claimed.tenant, claimed.document_id)
            return self._finish(
                claimed, "deleted", Outcome.DELETED, reason="the object no longer exists"
            )
        except DocumentError as exc:
            return self._finish(claimed, "failed", Outcome.FAILED, reason=exc.reason, code=exc.code)
        except XinError as exc:
            return self._release(claimed, exc.message, exc.code)
        except Exception as exc:  # unexpected: keep the message for a retry, then the DLQ
            get_logger().exception("ingest error", extra={"document_id": claimed.document_id})
            return self._release(claimed, f"unexpected error ({type(exc).__name__})", "internal")

    def _index(self, event: ObjectEvent, claimed: IngestionRecord) -> EventResult:
        self._check_limits(event.uri, event.size)
        data = self._source.get(event.bucket, event.key, event.version_id or None)
        self._check_limits(event.uri, len(data))
        metadata = {"bucket": event.bucket, "version": event.version}
        result = self._ingestion.ingest_bytes(
            data,
            event.uri,
            tenant=claimed.tenant,
            document_id=claimed.document_id,
            metadata=metadata,
        )
        claimed = replace(claimed, size=len(data))
        if result.status == "failed":
            return self._finish(
                claimed, "failed", Outcome.FAILED, reason=result.reason, code=result.code
            )
        outcome = Outcome.INDEXED if result.status == "indexed" else Outcome.UNCHANGED
        return self._finish(claimed, "indexed", outcome, chunks=result.chunks)

    def _check_limits(self, uri: str, size: int) -> None:
        extension = extension_of(uri)
        if extension not in self._extensions:
            allowed = ", ".join(sorted(self._extensions))
            raise UnsupportedDocument(uri, f"'{extension}' files are not accepted ({allowed})")
        if size > self._max_bytes:
            raise DocumentTooLarge(
                uri, f"{size} bytes is over the {self._max_bytes}-byte limit for one document"
            )

    def _finish(
        self,
        claimed: IngestionRecord,
        state: str,
        outcome: Outcome,
        *,
        chunks: int = 0,
        reason: str = "",
        code: str = "",
    ) -> EventResult:
        now = self._clock()
        record = replace(
            claimed,
            state=state,  # type: ignore[arg-type]  # one of the IngestState literals
            reason=reason,
            code=code,
            chunk_count=chunks,
            updated_at=now,
            indexed_at=now if state == "indexed" else None,
            lease_until=0.0,
        )
        if not self._status.finish(record):  # our lease ran out and another worker took over
            return EventResult(
                claimed.tenant, claimed.document_id, Outcome.IN_PROGRESS, reason="lease lost"
            )
        return EventResult(claimed.tenant, claimed.document_id, outcome, chunks, reason, code)

    def _release(self, claimed: IngestionRecord, reason: str, code: str) -> EventResult:
        """A transient failure: back to ``pending`` with no lease, so a retry can claim it."""
        record = replace(
            claimed,
            reason=f"will retry: {reason}",
            code=code,
            updated_at=self._clock(),
            lease_until=0.0,
        )
        self._status.finish(record)
        return EventResult(
            claimed.tenant, claimed.document_id, Outcome.RETRY, reason=reason, code=code
        )

    @staticmethod
    def _log(result: EventResult) -> EventResult:
        level = "info" if result.succeeded else "warning"
        getattr(get_logger(), level)(
            "ingest event",
            extra={
                "tenant": result.tenant,
                "document_id": result.document_id,
                "outcome": result.outcome.value,
                "chunks": result.chunks,
                "reason": result.reason,
            },
        )
        return result


def _not_acquired(
    attempt: IngestionRecord, decision: ClaimDecision, existing: IngestionRecord | None
) -> EventResult:
    tenant, document_id = attempt.tenant, attempt.document_id
    if decision is ClaimDecision.IN_PROGRESS:
        return EventResult(tenant, document_id, Outcome.IN_PROGRESS, reason="being processed")
    if decision is ClaimDecision.STALE:
        return EventResult(tenant, document_id, Outcome.STALE, reason="a newer event was seen")
    if existing is not None and existing.state == "failed":  # the same bad document again
        return EventResult(
            tenant, document_id, Outcome.FAILED, reason=existing.reason, code=existing.code
        )
    chunks = existing.chunk_count if existing else 0
    return EventResult(tenant, document_id, Outcome.DUPLICATE, chunks, "already processed")
