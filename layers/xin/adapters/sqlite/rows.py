"""SQL fragments and row mapping shared by the SQLite ``VectorStore`` and its searches."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping

from xin.domain import Chunk, DocumentRecord, SearchHit
from xin.errors import InvalidRequest
from xin.rag.text import query_terms

CHUNK_COLUMNS = (
    "c.rowid, c.chunk_id, c.tenant, c.document_id, c.ordinal, c.text, c.heading, c.location, "
    "c.language, c.metadata, d.title, d.source"
)
_FILTER_COLUMNS = {"document_id": "c.document_id", "language": "c.language", "source": "d.source"}


def search_body(chunk: Chunk, title: str) -> str:
    """What the keyword index sees: title and headings give chunks their context."""
    return "\n".join(part for part in (title, chunk.heading, chunk.text) if part)


def fts_query(query: str) -> str:
    """An FTS5 OR-query of the query's search terms (quoted, so no syntax leaks in)."""
    return fts_match(fts_terms(query))


def fts_terms(query: str) -> list[str]:
    """The query's search terms, at most 32."""
    return query_terms(query)[:32]


def fts_match(terms: list[str]) -> str:
    """An FTS5 OR-query of ``terms`` (quoted, so no syntax leaks in)."""
    return " OR ".join(f'"{term}"' for term in terms)


def filter_sql(filters: Mapping[str, str] | None) -> tuple[str, list[str]]:
    """`` AND column = ?`` clauses (chunks ``c``, documents ``d``) for metadata filters."""
    clauses: list[str] = []
    params: list[str] = []
    for key, value in (filters or {}).items():
        column = _FILTER_COLUMNS.get(key)
        if column is None:
            if not key.replace("_", "").isalnum():
                raise InvalidRequest(f"invalid metadata filter key: {key!r}")
            column = f"json_extract(c.metadata, '$.{key}')"
        clauses.append(f" AND {column} = ?")
        params.append(value)
    return "".join(clauses), params


def passing_sql(filters: Mapping[str, str] | None) -> tuple[str, list[str]]:
    """``SELECT c.rowid`` of one tenant's chunks that pass ``filters`` (parameters: the
    tenant, then the returned ones). A filter on the document (``source``) makes SQLite
    find the documents first instead of reading every chunk of the tenant."""
    where, params = filter_sql(filters)
    if filters and "source" in filters:
        tables = "documents d CROSS JOIN chunks c"  # CROSS JOIN: documents drive the loop
    else:
        tables = "chunks c JOIN documents d"
    sql = (
        f"SELECT c.rowid FROM {tables} ON d.tenant = c.tenant "  # noqa: S608
        f"AND d.document_id = c.document_id WHERE c.tenant = ?{where}"
    )
    return sql, params


def to_record(row: sqlite3.Row) -> DocumentRecord:
    return DocumentRecord(
        document_id=row["document_id"],
        tenant=row["tenant"],
        source=row["source"],
        title=row["title"],
        content_hash=row["content_hash"],
        chunk_count=row["chunk_count"],
        indexed_at=row["indexed_at"],
        metadata=json.loads(row["metadata"]),
    )


def to_hit(row: sqlite3.Row, score: float, kind: str) -> SearchHit:
    heading = row["heading"]
    chunk = Chunk(
        chunk_id=row["chunk_id"],
        document_id=row["document_id"],
        tenant=row["tenant"],
        ordinal=row["ordinal"],
        text=row["text"],
        heading_path=tuple(heading.split(" > ")) if heading else (),
        location=row["location"],
        language=row["language"],
        metadata=json.loads(row["metadata"]),
    )
    return SearchHit(
        chunk=chunk,
        score=score,
        document_title=row["title"],
        source=row["source"],
        scores={kind: score},
    )
