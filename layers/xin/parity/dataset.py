"""A BEIR-format dataset: ``corpus.jsonl``, ``queries.jsonl``, ``qrels/<split>.tsv``."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from xin.errors import ConfigurationError


@dataclass(frozen=True, slots=True)
class Dataset:
    doc_ids: list[str]
    doc_texts: list[str]
    query_ids: list[str]
    query_texts: list[str]
    query_langs: list[str]
    qrels: dict[str, dict[str, int]]  # query id -> doc id -> grade


def _jsonl(path: Path) -> list[dict[str, object]]:
    if not path.is_file():
        raise ConfigurationError(f"{path}: missing (a BEIR dataset needs it)")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ConfigurationError(f"{path}:{number}: invalid JSON ({exc.msg})") from None
    return rows


def load_dataset(directory: Path, split: str = "test") -> Dataset:
    corpus = _jsonl(directory / "corpus.jsonl")
    queries = _jsonl(directory / "queries.jsonl")
    qrels_path = directory / "qrels" / f"{split}.tsv"
    if not qrels_path.is_file():
        raise ConfigurationError(f"{qrels_path}: missing (a BEIR dataset needs it)")
    qrels: dict[str, dict[str, int]] = {}
    with qrels_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = int(row["score"])
    judged = [q for q in queries if any(g > 0 for g in qrels.get(str(q["_id"]), {}).values())]
    return Dataset(
        doc_ids=[str(d["_id"]) for d in corpus],
        doc_texts=[f"{d.get('title', '')}\n{d.get('text', '')}".strip() for d in corpus],
        query_ids=[str(q["_id"]) for q in judged],
        query_texts=[str(q["text"]) for q in judged],
        query_langs=[_lang(q) for q in judged],
        qrels=qrels,
    )


def _lang(query: dict[str, object]) -> str:
    metadata = query.get("metadata")
    nested = metadata.get("lang") if isinstance(metadata, dict) else None
    return str(query.get("lang") or nested or "")
