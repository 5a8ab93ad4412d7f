"""SQLite implementation of the ``VectorStore`` port.

Chunks, their FTS5 index (BM25) and their vectors live in one database, so replacing a
document is one transaction: a crash mid-ingest leaves either the old or the new version.
Dense search is exact (numpy over the tenant's matrix, cached until the store changes;
see ``dense_search.py``).
Keyword search ranks inside FTS5 and joins only the best rows (see ``keyword_search.py``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence

import numpy as np

from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.dense_search import DenseIndex
from xin.adapters.sqlite.keyword import TermFilter
from xin.adapters.sqlite.keyword_search import keyword_rows
from xin.adapters.sqlite.rows import CHUNK_COLUMNS as _CHUNK_COLUMNS
from xin.adapters.sqlite.rows import fts_query, search_body
from xin.adapters.sqlite.rows import to_hit as _hit
from xin.adapters.sqlite.rows import to_record as _record
from xin.domain import Chunk, DocumentRecord, SearchHit
from xin.errors import EmbeddingModelMismatch, StoreUnavailable
from xin.ports import Matrix, Vector
from xin.rag.text import search_terms

__all__ = ["SqliteVectorStore", "fts_query", "search_body"]


class SqliteVectorStore:
    """Implements ``VectorStore`` over :class:`Database`. Every query is scoped to a tenant."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._dense = DenseIndex(self._read)
        self._terms = TermFilter()

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
                raise _mismatch(row["value"], model_id, dimension)

    def check_model(self, model_id: str, dimension: int) -> None:
        """Read-only ``ensure_model``: one indexed read (callers cache it per ``generation``)."""
        rows = self._read("SELECT value FROM meta WHERE key = 'embedding_model'", ())
        if rows and rows[0]["value"] != f"{model_id}|{dimension}":
            raise _mismatch(rows[0]["value"], model_id, dimension)

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

    def document_vectors(self, tenant: str, document_id: str) -> list[tuple[Chunk, Vector]]:
        """A document's stored chunks with their vectors (ingestion keeps unchanged ones)."""
        rows = self._read(
            f"SELECT {_CHUNK_COLUMNS}, c.embedding FROM chunks c JOIN documents d "  # noqa: S608
            "ON d.tenant = c.tenant AND d.document_id = c.document_id "
            "WHERE c.tenant = ? AND c.document_id = ? ORDER BY c.ordinal",
            (tenant, document_id),
        )
        return [
            (_hit(row, 0.0, "stored").chunk, np.frombuffer(row["embedding"], dtype=np.float32))
            for row in rows
        ]

    def keyword_search(
        self, tenant: str, query: str, k: int, filters: Mapping[str, str] | None = None
    ) -> list[SearchHit]:
        rows = keyword_rows(
            self._read,
            self._terms,
            generation=self.generation(),
            tenant=tenant,
            query=query,
            k=k,
            filters=filters,
        )
        return [_hit(row, -float(row["rank"]), "bm25") for row in rows]

    def vector_search(
        self, tenant: str, vector: Vector, k: int, filters: Mapping[str, str] | None = None
    ) -> list[SearchHit]:
        ranked = self._dense.search(self.generation(), tenant, vector, k, filters)
        by_rowid = {row["rowid"]: row for row in self._rows_by_id([r for r, _ in ranked])}
        return [
            _hit(by_rowid[rowid], score, "dense") for rowid, score in ranked if rowid in by_rowid
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


def _mismatch(bound: str, model_id: str, dimension: int) -> EmbeddingModelMismatch:
    """``bound`` is the stored ``model|dimension``."""
    index_model, _, index_dimension = bound.rpartition("|")
    return EmbeddingModelMismatch(
        index_model or bound,
        int(index_dimension) if index_dimension.isdigit() else None,
        model_id,
        dimension,
        "run 'xin kb reindex' to re-embed it with the configured model, "
        "or configure the original model again",
    )
