"""Building blocks for retrieval ablations: one golden-set evaluation per configuration.

An *index variant* changes what is ingested (chunk size and overlap, heading context), so it
costs an ingest; a *retrieval variant* changes only how the index is searched (fusion,
weights, reranker, MMR), so many of them share one index. :class:`MemoEmbedder` remembers
every vector by model and exact text, in memory and optionally in a file, so identical chunk
texts are embedded once across variants (and across runs) and query vectors once in all.
Because of that, latency here is retrieval without query embedding.

``scripts/retrieval_ablation.py`` is the command-line front end.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from xin.config import Settings, load_settings
from xin.deps import Container
from xin.evals.beir import BeirDataset
from xin.evals.metrics import mean
from xin.evals.retrieval_eval import TENANT, QueryResult, RetrievalReport, ingest_corpus
from xin.ports import Embedder, Matrix, Vector
from xin.rag.mmr import ChunkVectors
from xin.rag.rerank import FeatureReranker
from xin.rag.retrieval import HybridRetriever


class MemoEmbedder:
    """Implements ``Embedder``: every vector computed once per exact text (and kind)."""

    def __init__(self, inner: Embedder, path: Path | None = None) -> None:
        self._inner = inner
        self._path = path
        self._vectors: dict[str, np.ndarray] = {}
        self.computed = 0
        if path is not None and path.exists():
            with np.load(path) as saved:
                keys, matrix = saved["keys"], saved["vectors"]
            self._vectors = {str(k): matrix[i] for i, k in enumerate(keys)}

    @property
    def model_id(self) -> str:
        return self._inner.model_id

    @property
    def dimension(self) -> int:
        return self._inner.dimension

    def _key(self, kind: str, text: str) -> str:
        material = f"{self.model_id}\x1f{kind}\x1f{text}".encode()
        return hashlib.sha256(material).hexdigest()[:32]

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        keys = [self._key("passage", t) for t in texts]
        missing = {k: i for i, k in enumerate(keys) if k not in self._vectors}  # one per text
        if missing:
            fresh = self._inner.embed_documents([texts[i] for i in missing.values()])
            for row, key in enumerate(missing):
                self._vectors[key] = np.asarray(fresh[row], dtype=np.float32)
            self.computed += len(missing)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, key in enumerate(keys):
            out[i] = self._vectors[key]
        return out

    def embed_query(self, text: str) -> Vector:
        key = self._key("query", text)
        if key not in self._vectors:
            self._vectors[key] = np.asarray(self._inner.embed_query(text), dtype=np.float32)
            self.computed += 1
        return self._vectors[key]

    def save(self) -> None:
        if self._path is None or not self._vectors:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._vectors))
        matrix = np.vstack(list(self._vectors.values()))
        tmp = self._path.with_name(self._path.name + ".tmp.npz")
        np.savez(tmp, keys=keys, vectors=matrix)
        tmp.replace(self._path)


@dataclass(frozen=True, slots=True)
class IndexVariant:
    """What gets ingested. ``overrides`` are settings (``{"rag": {"chunk_size": 600}}``)."""

    name: str
    overrides: Mapping[str, Any] = field(default_factory=dict)
    headings: bool = True


@dataclass(frozen=True, slots=True)
class RetrievalVariant:
    """How the index is searched: ``rag`` settings on top of the index's own."""

    name: str
    rag: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class BuiltIndex:
    settings: Settings
    container: Container
    data_dir: Path
    ingest_s: float
    failed: list[str]

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "xin.db"


def merged(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` merged in, nested mappings key by key."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


@contextmanager
def built_index(
    dataset: BeirDataset, variant: IndexVariant, embedder: Embedder
) -> Iterator[BuiltIndex]:
    """A fresh temporary SQLite index of ``dataset.corpus`` built as ``variant`` says."""
    with tempfile.TemporaryDirectory(prefix="xin-ablation-") as tmp:
        data_dir = Path(tmp)
        store = {"backend": "sqlite", "sqlite_path": data_dir / "xin.db"}
        settings = load_settings(
            **merged(variant.overrides, {"data_dir": data_dir, "store": store})
        )
        container = Container(settings)
        container.embedder = embedder  # the shared memo, instead of a fresh model
        try:
            started = time.perf_counter()
            failed = ingest_corpus(container, dataset.corpus, headings=variant.headings)
            index = BuiltIndex(settings, container, data_dir, time.perf_counter() - started, failed)
            yield index
        finally:
            container.database.close()


def retriever_for(
    index: BuiltIndex, variant: RetrievalVariant, vectors: ChunkVectors | None
) -> HybridRetriever:
    """The retriever ``xin.deps`` would build for these settings, plus MMR, without a cache."""
    rag = index.settings.rag.model_copy(update=dict(variant.rag))
    return HybridRetriever(
        index.container.store,
        index.container.embedder,
        candidates=rag.candidates,
        rrf_k=rag.rrf_k,
        fusion=rag.fusion,
        dense_weight=rag.dense_weight,
        reranker=FeatureReranker() if rag.reranker == "features" else None,
        mmr_lambda=rag.mmr_lambda,
        mmr_depth=rag.mmr_depth,
        vectors=vectors if rag.mmr_lambda is not None else None,
    )


def id_half(query_id: str) -> str:
    """``odd`` or ``even`` by the number in a query id (``en-017`` → odd): a fixed split
    for checking that a change wins on both halves, not only on the questions it was tuned on."""
    digits = "".join(ch for ch in query_id if ch.isdigit())
    return "odd" if digits and int(digits) % 2 else "even"


def figures(report: RetrievalReport) -> dict[str, dict[str, float | int]]:
    """Summaries overall, per language and per id half, with ``docs@5``: the mean number of
    distinct documents among the first five chunks (MMR's effect on a generator's context)."""
    groups: dict[str, list[QueryResult]] = {"all": list(report.results)}
    for result in report.results:
        if result.lang:
            groups.setdefault(result.lang, []).append(result)
    for result in report.results:
        groups.setdefault(id_half(result.query_id), []).append(result)
    out: dict[str, dict[str, float | int]] = {}
    for name, results in groups.items():
        out[name] = report.summary(results)
        out[name]["docs@5"] = round(mean([r.context_docs for r in results]), 3)
    return out


__all__ = [
    "TENANT",
    "BuiltIndex",
    "IndexVariant",
    "MemoEmbedder",
    "RetrievalVariant",
    "built_index",
    "figures",
    "id_half",
    "merged",
    "retriever_for",
]
