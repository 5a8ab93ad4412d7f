"""Load a BEIR-format dataset: ``corpus.jsonl``, ``queries.jsonl`` and ``qrels/<split>.tsv``.

Every malformed file fails with a :class:`DatasetError` that names the file and the line,
so a hand-edited golden set points at the mistake instead of producing a wrong score.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xin.errors import XinError

QRELS_HEADER = ("query-id", "corpus-id", "score")
_HEADER_LINE = "\t".join(QRELS_HEADER)


class DatasetError(XinError):
    """A dataset file is missing or malformed."""

    code = "dataset_error"


@dataclass(frozen=True, slots=True)
class CorpusDoc:
    doc_id: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Query:
    query_id: str
    text: str
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.metadata.get("lang", "")


@dataclass(frozen=True, slots=True)
class BeirDataset:
    """``qrels`` maps a query id to its judged documents and their graded relevance."""

    corpus: dict[str, CorpusDoc]
    queries: dict[str, Query]
    qrels: dict[str, dict[str, int]]


def load_beir(directory: Path, split: str = "test") -> BeirDataset:
    if not directory.is_dir():
        raise DatasetError(f"{directory}: not a directory")
    corpus = load_corpus(directory / "corpus.jsonl")
    queries = load_queries(directory / "queries.jsonl")
    qrels = load_qrels(directory / "qrels" / f"{split}.tsv")
    return BeirDataset(corpus=corpus, queries=queries, qrels=qrels)


def load_corpus(path: Path) -> dict[str, CorpusDoc]:
    corpus: dict[str, CorpusDoc] = {}
    for line_no, record in _jsonl(path):
        doc_id = _id_of(record, path, line_no)
        text = _string(record, "text", path, line_no)
        title = _string(record, "title", path, line_no, required=False)
        if doc_id in corpus:
            raise DatasetError(f"{path}: line {line_no}: duplicate _id {doc_id!r}")
        corpus[doc_id] = CorpusDoc(doc_id=doc_id, title=title, text=text)
    if not corpus:
        raise DatasetError(f"{path}: no documents")
    return corpus


def load_queries(path: Path) -> dict[str, Query]:
    queries: dict[str, Query] = {}
    for line_no, record in _jsonl(path):
        query_id = _id_of(record, path, line_no)
        text = _string(record, "text", path, line_no)
        if not text.strip():
            raise DatasetError(f"{path}: line {line_no}: empty query text")
        if query_id in queries:
            raise DatasetError(f"{path}: line {line_no}: duplicate _id {query_id!r}")
        metadata = {
            key: value
            for key, value in record.items()
            if key not in {"_id", "text"} and isinstance(value, str)
        }
        queries[query_id] = Query(query_id=query_id, text=text, metadata=metadata)
    if not queries:
        raise DatasetError(f"{path}: no queries")
    return queries


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    lines = _lines(path)
    header = next(lines, None)
    if header is None or tuple(f.strip() for f in header[1].split("\t")) != QRELS_HEADER:
        raise DatasetError(f"{path}: line 1: expected the header {_HEADER_LINE!r}")
    for line_no, line in lines:
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise DatasetError(
                f"{path}: line {line_no}: expected 3 tab-separated fields, found {len(fields)}"
            )
        query_id, doc_id, raw_score = (f.strip() for f in fields)
        if not query_id or not doc_id:
            raise DatasetError(f"{path}: line {line_no}: empty query-id or corpus-id")
        try:
            score = int(raw_score)
        except ValueError:
            raise DatasetError(
                f"{path}: line {line_no}: score must be an integer, got {raw_score!r}"
            ) from None
        judged = qrels.setdefault(query_id, {})
        if judged.get(doc_id, score) != score:
            raise DatasetError(
                f"{path}: line {line_no}: conflicting judgements for {query_id} / {doc_id}"
            )
        judged[doc_id] = score
    return qrels


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for line_no, line in enumerate(handle, start=1):
                yield line_no, line.rstrip("\r\n")
    except FileNotFoundError:
        raise DatasetError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror})") from None


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for line_no, line in _lines(path):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}: line {line_no}: invalid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise DatasetError(f"{path}: line {line_no}: expected a JSON object")
        yield line_no, record


def _id_of(record: dict[str, Any], path: Path, line_no: int) -> str:
    value = record.get("_id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise DatasetError(f"{path}: line {line_no}: missing or invalid '_id'")
    doc_id = str(value).strip()
    if not doc_id or any(ch.isspace() for ch in doc_id):
        raise DatasetError(f"{path}: line {line_no}: '_id' must be non-empty without spaces")
    return doc_id


def _string(
    record: dict[str, Any], key: str, path: Path, line_no: int, *, required: bool = True
) -> str:
    value = record.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise DatasetError(f"{path}: line {line_no}: missing or non-string {key!r}")
    return value
