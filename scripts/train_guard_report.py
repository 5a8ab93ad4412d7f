"""Guard figures for ADR 0003: every set, scored three ways, with the shipped weights.

    python scripts/train_guard_report.py            # table on stdout
    python scripts/train_guard_report.py --json     # one JSON object

Scorers: ``rules`` (the lexicon rules and structure only), ``ngrams`` (+ the character
n-gram model, what ``xin guard check --no-semantic`` does) and ``semantic`` (+ the e5 query
embedding opinion, what chat does). All three go through ``InputGuard.check``, so a policy
change is measured as shipped. Detected = blocked, as in ``xin eval guard``.

Sets: the committed dev set (``dev`` / ``heldout`` splits; hard negatives apart from
``benign_technical``; ``meta`` = the chatbot meta-conversation rows, ids ``*-m*``),
bastioncorpus, 400-character pieces of ``docs/`` sent as chat messages, and the number of
sample-KB chunks (``docs/`` chunked as ingestion does) that ``scan_chunk`` flags. Query
embeddings are cached by text hash in ``--embeddings`` (held-out rows included: this cache
is for measuring; ``train_guard.py`` reads dev rows only).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from train_guard import DEV_SET, ROOT, embed_texts

from xin.guard.chunk import scan_chunk
from xin.guard.input_guard import InputGuard
from xin.guard.policy import GuardPolicy
from xin.guard.verdict import LEARNED, GuardVerdict

NO_LEXICON = {"sv", "cs", "ro", "he"}
SCORERS = ("rules", "ngrams", "semantic")
META_ID = re.compile(r"-(atk|neg)-m\d+$")
Row = dict[str, Any]


def load_rows(path: Path = DEV_SET) -> list[Row]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def bastion_rows() -> list[Row]:
    try:
        ref = resources.files("bastioncorpus").joinpath("corpus/injections.jsonl")
    except ModuleNotFoundError:
        return []
    rows = [json.loads(line) for line in ref.read_text("utf-8").splitlines() if line.strip()]
    for row in rows:
        row["text"] = row["text"].replace("{canary}", "xin-canary-5f1c0de2a9b47e31")
        row["label"] = 1 if row["label"] in (1, "1", "malicious", "attack") else 0
    return rows


def doc_chunks(max_chars: int) -> list[str]:
    from xin.rag.chunking import chunk_document
    from xin.rag.loaders import load_document

    texts = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        if "benchmarks" in path.parts or path.name == "benchmarks.md":
            continue
        doc = load_document(path.read_bytes(), path.name)
        chunks = chunk_document(doc, tenant="t", document_id=path.name, max_chars=max_chars)
        texts += [c.text for c in chunks]
    return texts


def scorers(vectors: dict[str, Any]) -> dict[str, Callable[[str], GuardVerdict]]:
    guard = InputGuard()
    rules_only = GuardPolicy(ignore_reasons=frozenset({LEARNED}))
    return {
        "rules": lambda t: guard.check(t, rules_only, semantic=False),
        "ngrams": lambda t: guard.check(t, semantic=False),
        "semantic": lambda t: guard.check(t, embedding=vectors[t]),
    }


def rates(rows: Iterable[Row], verdicts: dict[str, GuardVerdict]) -> dict[str, Any]:
    atk = [verdicts[r["text"]] for r in rows if r["label"] == 1]
    ben = [verdicts[r["text"]] for r in rows if r["label"] == 0]

    def pct(hits: list[bool]) -> float | None:
        return round(100 * sum(hits) / len(hits), 1) if hits else None

    return {
        "n": f"{len(atk)}/{len(ben)}",
        "tpr": pct([v.blocked for v in atk]),
        "fpr": pct([v.blocked for v in ben]),
        "flag_benign": sum(v.flagged for v in ben),
    }


def row_sets(rows: list[Row]) -> dict[str, list[Row]]:
    hard = [r for r in rows if r["category"] != "benign_technical"]
    held = [r for r in hard if r["split"] == "heldout"]
    sets = {
        "dev (hard)": [r for r in hard if r["split"] == "dev"],
        "heldout, lexicon langs": [r for r in held if r["lang"] not in NO_LEXICON],
        "heldout + no-lexicon langs": held,
        "no-lexicon langs": [r for r in rows if r["lang"] in NO_LEXICON],
        "meta dev": [r for r in hard if META_ID.search(r["id"]) and r["split"] == "dev"],
        "meta heldout": [r for r in held if META_ID.search(r["id"])],
        "benign_technical": [r for r in rows if r["category"] == "benign_technical"],
    }
    for lang in ("en", "fa", "ar", "de", "fr", "es", "tr", "fa-Latn"):
        sets[f"heldout {lang}"] = [r for r in held if r["lang"] == lang]
    for lang in ("en", "fa", "ar", "de", "fr", "es", "tr"):
        sets[f"all {lang}"] = [r for r in hard if r["lang"] == lang]
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dataset", type=Path, default=DEV_SET)
    parser.add_argument("--embeddings", type=Path, default=ROOT / "build/guard_embeddings.npz")
    args = parser.parse_args()
    logging.getLogger("xin.guard").setLevel(logging.ERROR)

    rows = load_rows(args.dataset)
    bastion = bastion_rows()
    pieces = [p for c in doc_chunks(400) for p in [c.strip()] if p]
    texts = sorted({r["text"] for r in rows + bastion} | set(pieces))
    vectors = dict(zip(texts, embed_texts(texts, args.embeddings)[0], strict=True))
    verdicts = {name: {t: score(t) for t in texts} for name, score in scorers(vectors).items()}

    sets = row_sets(rows) | ({"bastioncorpus": bastion} if bastion else {})
    report: dict[str, Any] = {
        name: {s: rates(subset, verdicts[s]) for s in SCORERS} for name, subset in sets.items()
    }
    report["docs pieces as chat (blocked)"] = {
        s: {"n": len(pieces), "blocked": sum(verdicts[s][p].blocked for p in pieces)}
        for s in SCORERS
    }
    kb = doc_chunks(1000)
    report["sample-KB chunks flagged"] = {
        "n": len(kb),
        "flagged": sum(scan_chunk(c).action != "allow" for c in kb),
    }
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
        return
    for name, by in report.items():
        cells = [f"{s}: {json.dumps(v)}" for s, v in by.items()] if "n" not in by else [str(by)]
        print(f"{name:30s} " + " | ".join(cells))
    print("1-min load:", Path("/proc/loadavg").read_text().split()[0])


if __name__ == "__main__":
    main()
