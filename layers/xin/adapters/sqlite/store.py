"""SQLite implementation of the ``VectorStore`` port.

Chunks, their FTS5 index (BM25) and their vectors live in one database, so replacing a
document is one transaction: a crash mid-ingest leaves either the old or the new version.
Dense search is exact (numpy over the tenant's matrix, cached until the store changes).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from xin.adapters.sqlite.database import Database
from xin.domain import Chunk, DocumentRecord, SearchHit
from xin.errors import EmbeddingModelMismatch, InvalidRequest, StoreUnavailable
from xin.ports import Matrix, Vector
from xin.rag.text import query_terms, search_terms

_CHUNK_COLUMNS = (
    "c.rowid, c.chunk_id, c.tenant, c.document_id, c.ordinal, c.text, c.heading, c.location, "
    "c.language, c.metadata, d.title, d.source"
)
_FILTER_COLUMNS = {"document_id": "c.document_id", "language": "c.language", "source": "d.source"}


@dataclass(frozen=True, slots=True)
class _TenantMatrix:
    generation: int
    rowids: np.ndarray
    matrix: np.ndarray


def search_body(chunk: Chunk, title: str) -> str:
    """What the keyword index sees: title and headings give chunks their context."""
    return "\n".join(part for part in (title, chunk.heading, chunk.text) if part)


def fts_query(query: str) -> str:
    """An FTS5 OR-query of the query's search terms (quoted, so no syntax leaks in)."""
    return " OR ".join(f'"{term}"' for term in query_terms(query)[:32])


class SqliteVectorStore:
    """Implements ``VectorStore`` over :class:`Database`. Every query is scoped to a tenant."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._cache: dict[str, _TenantMatrix] = {}
        self._cache_lock = threading.Lock()

    # -- model binding -------------------------------------------------------------------
    def ensure_model(self, model_id: str, dimension: int) -> None:
        wanted = f"{model_id}|{dimension}"
        with self._db.write() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'embedding_model'").fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('embedding_model', ?)", (wanted,)
                )
            elif row["value"] != wanted:
                raise EmbeddingModelMismatch(
                    f"this index was built with embedding model '{row['value']}', "
                    f"but '{wanted}' is configured; run 'xin kb reindex' or use a new data dir"
                )

    def rebind_model(self, model_id: str, dimension: int) -> None:
        """Bind the index to another model (after ``xin kb reindex`` re-embedded every chunk)."""
        with self._db.write() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('embedding_model', ?) ON CONFLICT(key) "
                "DO UPDATE SET value = excluded.value",
                (f"{model_id}|{dimension}",),
            )
            self._bump_generation(conn)

    # -- writes ---------------------------------------------------------------------------
    def replace_document(
        self, record: DocumentRecord, chunks: Sequence[Chunk], vectors: Matrix
    ) -> None:
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk is required")
        with self._db.write() as conn:
            self._delete_rows(conn, record.tenant, record.document_id)
            conn.execute(
                "INSERT INTO documents (tenant, document_id, source, title, content_hash, "
                "chunk_count, indexed_at, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.tenant,
                    record.document_id,
                    record.source,
                    record.title,
                    record.content_hash,
                    len(chunks),
                    record.indexed_at,
                    json.dumps(record.metadata),
                ),
            )
            for chunk, vector in zip(chunks, vectors, strict=True):
                cursor = conn.execute(
                    "INSERT INTO chunks (chunk_id, tenant, document_id, ordinal, text, heading, "
                    "location, language, metadata, embedding) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        chunk.chunk_id,
                        record.tenant,
                        record.document_id,
                        chunk.ordinal,
                        chunk.text,
                        chunk.heading,
                        chunk.location,
                        chunk.language,
                        json.dumps(chunk.metadata),
                        np.asarray(vector, dtype=np.float32).tobytes(),
                    ),
                )
                conn.execute(
                    "INSERT INTO chunks_fts (rowid, body) VALUES (?, ?)",
                    (cursor.lastrowid, " ".join(search_terms(search_body(chunk, record.title)))),
                )
            self._bump_generation(conn)

    def delete_document(self, tenant: str, document_id: str) -> bool:
        with self._db.write() as conn:
            deleted = self._delete_rows(conn, tenant, document_id)
            if deleted:
                self._bump_generation(conn)
        return deleted

    @staticmethod
    def _delete_rows(conn: sqlite3.Connection, tenant: str, document_id: str) -> bool:
        conn.execute(
            "DELETE FROM chunks_fts WHERE rowid IN "
            "(SELECT rowid FROM chunks WHERE tenant = ? AND document_id = ?)",
            (tenant, document_id),
        )
        cursor = conn.execute(
            "DELETE FROM documents WHERE tenant = ? AND document_id = ?", (tenant, document_id)
        )
        return cursor.rowcount > 0

    @staticmethod
    def _bump_generation(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT(key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    # -- reads ----------------------------------------------------------------------------
    def generation(self) -> int:
        row = self._read("SELECT value FROM meta WHERE key = 'generation'", ())
        return int(row[0]["value"]) if row else 0

    def get_document(self, tenant: str, document_id: str) -> DocumentRecord | None:
        rows = self._read(
            "SELECT * FROM documents WHERE tenant = ? AND document_id = ?", (tenant, document_id)
        )
        return _record(rows[0]) if rows else None

    def list_documents(self, tenant: str) -> list[DocumentRecord]:
        rows = self._read(
            "SELECT * FROM documents WHERE tenant = ? ORDER BY document_id", (tenant,)
        )
        return [_record(row) for row in rows]

    def tenants(self) -> list[str]:
        return [row[0] for row in self._read("SELECT DISTINCT tenant FROM documents", ())]

    def document_chunks(self, tenant: str, document_id: str) -> list[Chunk]:
        """A document's stored chunks in order (for re-embedding them)."""
        rows = self._read(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks c JOIN documents d "  # noqa: S608
            "ON d.tenant = c.tenant AND d.document_id = c.document_id "
            "WHERE c.tenant = ? AND c.document_id = ? ORDER BY c.ordinal",
            (tenant, document_id),
        )
        return [_hit(row, 0.0, "stored").chunk for row in rows]

    def keyword_search(
        self, tenant: str, query: str, k: int, filters: Mapping[str, str] | None = None
    ) -> list[SearchHit]:
        match = fts_query(query)
        if not match:
            return []
        where, params = _filter_sql(filters)
        rows = self._read(
            f"SELECT {_CHUNK_COLUMNS}, bm25(chunks_fts) AS rank FROM chunks_fts "  # noqa: S608
            "JOIN chunks c ON c.rowid = chunks_fts.rowid "
            "JOIN documents d ON d.tenant = c.tenant AND d.document_id = c.document_id "
            f"WHERE chunks_fts MATCH ? AND c.tenant = ?{where} ORDER BY rank LIMIT ?",
            (match, tenant, *params, k),
        )
        return [_hit(row, -float(row["rank"]), "bm25") for row in rows]

    def vector_search(
        self, tenant: str, vector: Vector, k: int, filters: Mapping[str, str] | None = None
    ) -> list[SearchHit]:
        cached = self._tenant_matrix(tenant)
        if cached.matrix.shape[0] == 0:
            return []
        scores = cached.matrix @ np.asarray(vector, dtype=np.float32)
        if filters:
            allowed = self._filtered_rowids(tenant, filters)
            scores = np.where(np.isin(cached.rowids, allowed), scores, -np.inf)
        top = min(k, scores.shape[0])
        best = np.argpartition(-scores, top - 1)[:top]
        best = best[np.argsort(-scores[best])]
        best = best[np.isfinite(scores[best])]
        rowids = [int(cached.rowids[i]) for i in best]
        by_rowid = {row["rowid"]: row for row in self._rows_by_id(rowids)}
        return [
            _hit(by_rowid[rowid], float(scores[i]), "dense")
            for rowid, i in zip(rowids, best, strict=True)
            if rowid in by_rowid
        ]

    def ping(self) -> None:
        self._read("SELECT 1", ())

    # -- helpers --------------------------------------------------------------------------
    def _read(self, sql: str, params: tuple[object, ...]) -> list[sqlite3.Row]:
        try:
            return self._db.connection().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"SQLite query failed: {exc}") from exc

    def _rows_by_id(self, rowids: list[int]) -> list[sqlite3.Row]:
        if not rowids:
            return []
        marks = ",".join("?" * len(rowids))
        return self._read(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks c JOIN documents d "  # noqa: S608
            f"ON d.tenant = c.tenant AND d.document_id = c.document_id WHERE c.rowid IN ({marks})",
            tuple(rowids),
        )

    def _filtered_rowids(self, tenant: str, filters: Mapping[str, str]) -> np.ndarray:
        where, params = _filter_sql(filters)
        rows = self._read(
            "SELECT c.rowid FROM chunks c JOIN documents d "  # noqa: S608
            f"ON d.tenant = c.tenant AND d.document_id = c.document_id WHERE c.tenant = ?{where}",
            (tenant, *params),
        )
        return np.array([row[0] for row in rows], dtype=np.int64)

    def _tenant_matrix(self, tenant: str) -> _TenantMatrix:
        generation = self.generation()
        cached = self._cache.get(tenant)
        if cached is not None and cached.generation == generation:
            return cached
        rows = self._read(
            "SELECT rowid, embedding FROM chunks WHERE tenant = ? ORDER BY rowid", (tenant,)
        )
        rowids = np.array([row[0] for row in rows], dtype=np.int64)
        if rows:
            matrix = np.vstack([np.frombuffer(row[1], dtype=np.float32) for row in rows])
        else:
            matrix = np.zeros((0, 0), dtype=np.float32)
        fresh = _TenantMatrix(generation, rowids, matrix)
        with self._cache_lock:
            self._cache[tenant] = fresh
        return fresh


def _filter_sql(filters: Mapping[str, str] | None) -> tuple[str, list[str]]:
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


def _record(row: sqlite3.Row) -> DocumentRecord:
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


def _hit(row: sqlite3.Row, score: float, kind: str) -> SearchHit:
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
