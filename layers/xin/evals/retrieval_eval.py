"""Run a BEIR dataset through Xin's real ingestion and retrieval and score the rankings.

The corpus goes into a fresh store in a temporary directory (never the user's data dir),
each corpus document under its own ``_id`` with its title as a Markdown H1, so it is
chunked, embedded and indexed exactly as an ingested Markdown file would be. Every judged
query then goes through the configured retriever; chunks are folded into documents (a
document scores as its best chunk) and the top documents are scored against the qrels.

Settings other than the store (always a temporary SQLite file) come from the usual
sources, so retrieval can be tuned for an evaluation with environment variables
(``XIN_RAG__CANDIDATES=80``) or with ``overrides`` (``{"rag": {"rrf_k": 30}}``).
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xin.config import load_settings
from xin.deps import Container
from xin.domain import SearchHit
from xin.evals.beir import BeirDataset, CorpusDoc, DatasetError, Query
from xin.evals.metrics import is_judged, mean, percentile, rank_by_score, standard_metrics
from xin.ports import Retriever

TENANT = "eval"
MAX_CHUNKS = 1000  # most chunks asked of the retriever for one query
CHUNKS_PER_DOCUMENT = 3  # chunks asked per wanted document, so documents fill the top k
WARM_UP_QUERY = "warm-up query for the retrieval evaluation"
METRIC_KEYS = ("ndcg@10", "recall@10", "recall@100", "mrr@10")
CONTEXT_CHUNKS = 5  # rag.top_k's default: the chunks a chat answer is built from

Progress = Callable[[str, int, int], None]
"""Called with a phase (``"ingest"`` or ``"query"``), items done and items in total."""


@dataclass(frozen=True, slots=True)
class QueryResult:
    query_id: str
    lang: str
    ranking: tuple[tuple[str, float], ...]  # (document id, score), best first
    metrics: dict[str, float]
    latency_ms: float
    # distinct documents among the first CONTEXT_CHUNKS chunks: what a generator would see
    context_docs: int = 0


@dataclass(frozen=True, slots=True)
class RetrievalReport:
    results: tuple[QueryResult, ...]
    docs: int
    failed_docs: tuple[str, ...]
    skipped_queries: int
    ingest_s: float

    def summary(self, results: Sequence[QueryResult] | None = None) -> dict[str, float | int]:
        """Mean metrics, latency percentiles and the query count (of ``results`` or all)."""
        chosen = self.results if results is None else results
        latencies = [r.latency_ms for r in chosen]
        figures: dict[str, float | int] = {
            key: round(mean([r.metrics[key] for r in chosen]), 4) for key in METRIC_KEYS
        }
        figures["p50_ms"] = round(percentile(latencies, 50), 2)
        figures["p95_ms"] = round(percentile(latencies, 95), 2)
        figures["queries"] = len(chosen)
        return figures

    def by_lang(self) -> dict[str, dict[str, float | int]]:
        """:meth:`summary` per query language, for datasets whose queries carry ``lang``."""
        langs = sorted({r.lang for r in self.results if r.lang})
        return {lang: self.summary([r for r in self.results if r.lang == lang]) for lang in langs}

    def to_json(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "docs": self.docs,
            "ingest_s": round(self.ingest_s, 2),
            "skipped_queries": self.skipped_queries,
            "failed_docs": len(self.failed_docs),
            "by_lang": self.by_lang(),
        }

    def run(self) -> list[tuple[str, tuple[tuple[str, float], ...]]]:
        """Rankings per query, as :func:`xin.evals.trec.format_run` takes them."""
        return [(r.query_id, r.ranking) for r in self.results]


def markdown_for(doc: CorpusDoc) -> str:
    """A corpus document as the Markdown file Xin ingests: the title becomes the H1."""
    title = " ".join(doc.title.split())
    return f"# {title}\n\n{doc.text}" if title else doc.text


def source_for(doc_id: str) -> str:
    """A file name for the loader: ids may hold ``/``, ``#`` or ``?``, which a name may not."""
    return re.sub(r"[^\w.-]+", "_", doc_id)[:200] + ".md"


def documents_by_best_chunk(hits: Sequence[SearchHit], top_k: int) -> list[tuple[str, float]]:
    """Fold chunk hits into documents scored by their best chunk; the best ``top_k``."""
    best: dict[str, float] = {}
    for hit in hits:
        doc_id = hit.chunk.document_id
        best[doc_id] = max(hit.score, best.get(doc_id, hit.score))
    return [(doc_id, best[doc_id]) for doc_id in rank_by_score(best)[:top_k]]


def evaluate_retrieval(
    dataset: BeirDataset,
    *,
    top_k: int = 100,
    overrides: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> RetrievalReport:
    """Ingest ``dataset.corpus`` into a temporary store and score every judged query.

    A query is judged when the qrels give it at least one relevant document; the others
    are counted as skipped. Latency is timed around each ``retrieve`` call (query
    embedding, both searches and fusion), after one untimed warm-up query.
    """
    if top_k < 1:
        raise ValueError("top_k must be at least 1")
    judged = judged_queries(dataset)
    with tempfile.TemporaryDirectory(prefix="xin-eval-") as tmp:
        data_dir = Path(tmp)
        # Always a fresh SQLite file: an evaluation must never write into a real store.
        store = {"backend": "sqlite", "sqlite_path": data_dir / "xin.db"}
        settings = load_settings(**{**(overrides or {}), "data_dir": data_dir, "store": store})
        container = Container(settings)
        try:
            started = time.perf_counter()
            failed = ingest_corpus(container, dataset.corpus, progress)
            ingest_s = time.perf_counter() - started
            results = run_queries(container.retriever, judged, dataset.qrels, top_k, progress)
        finally:
            container.database.close()
    return RetrievalReport(
        results=tuple(results),
        docs=len(dataset.corpus) - len(failed),
        failed_docs=tuple(failed),
        skipped_queries=len(dataset.queries) - len(judged),
        ingest_s=ingest_s,
    )


def judged_queries(dataset: BeirDataset) -> list[Query]:
    """The queries with at least one relevant document in the qrels."""
    judged = [q for q in dataset.queries.values() if is_judged(dataset.qrels.get(q.query_id, {}))]
    if not judged:
        raise DatasetError("no query in queries.jsonl has a relevant document in the qrels")
    return judged


def ingest_corpus(
    container: Container,
    corpus: Mapping[str, CorpusDoc],
    progress: Progress | None = None,
    *,
    headings: bool = True,
) -> list[str]:
    """Ingest every corpus document under its own id; the ids of those that failed.

    With ``headings=False`` a document goes in without its title (no H1, and a file name
    that says nothing), so neither its vectors nor its keyword index see the heading: the
    "no heading context" arm of an ablation.
    """
    failed: list[str] = []
    for done, doc in enumerate(corpus.values(), start=1):
        markdown = markdown_for(doc) if headings else doc.text
        result = container.ingestion.ingest_bytes(
            markdown.encode("utf-8"),
            source_for(doc.doc_id) if headings else f"doc-{done}.md",
            tenant=TENANT,
            document_id=doc.doc_id,
        )
        if result.status == "failed":
            failed.append(doc.doc_id)
        if progress is not None:
            progress("ingest", done, len(corpus))
    return failed


def run_queries(
    retriever: Retriever,
    queries: Sequence[Query],
    qrels: Mapping[str, Mapping[str, int]],
    top_k: int = 100,
    progress: Progress | None = None,
) -> list[QueryResult]:
    """Run and score every query (timed one by one, after one untimed warm-up query)."""
    chunks = min(top_k * CHUNKS_PER_DOCUMENT, MAX_CHUNKS)
    # Warm-up: the first search builds the store's caches. Not a dataset query, so no
    # query is timed as a hit in a query-embedding cache.
    retriever.retrieve(TENANT, WARM_UP_QUERY, chunks)
    results: list[QueryResult] = []
    for done, query in enumerate(queries, start=1):
        started = time.perf_counter()
        hits = retriever.retrieve(TENANT, query.text, chunks)
        latency_ms = (time.perf_counter() - started) * 1000.0
        ranking = documents_by_best_chunk(hits, top_k)
        judgements = qrels[query.query_id]
        metrics = standard_metrics([doc_id for doc_id, _ in ranking], judgements)
        context_docs = len({hit.chunk.document_id for hit in hits[:CONTEXT_CHUNKS]})
        results.append(
            QueryResult(
                query.query_id, query.lang, tuple(ranking), metrics, latency_ms, context_docs
            )
        )
        if progress is not None:
            progress("query", done, len(queries))
    return results
