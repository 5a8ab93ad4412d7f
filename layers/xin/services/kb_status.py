"""One view of the knowledge base per document: what the index holds, merged with what the
ingestion status table recorded (failed and pending documents never reach the index)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from xin.ports import IngestionStatusStore, VectorStore


@dataclass(frozen=True, slots=True)
class DocumentStatus:
    tenant: str
    document_id: str
    state: str  # pending | indexed | failed | deleted
    chunk_count: int
    indexed_at: float | None
    updated_at: float | None
    reason: str
    source: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def document_statuses(
    store: VectorStore, status: IngestionStatusStore, tenants: Iterable[str]
) -> list[DocumentStatus]:
    """Every document of ``tenants``, sorted by tenant and id.

    A document indexed by ``xin ingest`` or ``POST /ingest`` has no status record and shows
    as ``indexed``; one dropped into S3 shows its recorded state and reason.
    """
    rows: list[DocumentStatus] = []
    for tenant in dict.fromkeys(tenants):
        recorded = {r.document_id: r for r in status.list(tenant)}
        indexed = {d.document_id: d for d in store.list_documents(tenant)}
        for document_id in sorted(recorded.keys() | indexed.keys()):
            record, document = recorded.get(document_id), indexed.get(document_id)
            if record is None:
                assert document is not None
                rows.append(
                    DocumentStatus(
                        tenant,
                        document_id,
                        "indexed",
                        document.chunk_count,
                        document.indexed_at,
                        document.indexed_at,
                        "",
                        document.source,
                    )
                )
                continue
            rows.append(
                DocumentStatus(
                    tenant,
                    document_id,
                    record.state,
                    document.chunk_count if document else record.chunk_count,
                    record.indexed_at or (document.indexed_at if document else None),
                    record.updated_at,
                    record.reason,
                    record.source or (document.source if document else ""),
                )
            )
    return rows
