"""Rebuild ``corpus.jsonl`` of the golden retrieval set from the sample knowledge base.

    python tests/evals/retrieval/build_corpus.py          # rewrite corpus.jsonl
    python tests/evals/retrieval/build_corpus.py --check  # exit 1 if it is out of date

Each doc in docs/ (ADRs excluded) is split into its ``##`` sections. After a doc edit,
rebuild, then check that every corpus-id in qrels/test.tsv still exists and still answers
its queries (the tests fail on ids that no longer exist).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xin.evals.markdown_corpus import build_corpus, corpus_jsonl

HERE = Path(__file__).resolve().parent
DOCS_DIR = HERE.parents[2] / "docs"
CORPUS = HERE / "corpus.jsonl"
EXCLUDED = ("adr", "benchmarks.md", "benchmarks")  # ADRs; the generated benchmark report


def expected_corpus() -> str:
    return corpus_jsonl(build_corpus(DOCS_DIR, exclude=EXCLUDED))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if corpus.jsonl is stale")
    args = parser.parse_args(argv)
    expected = expected_corpus()
    current = CORPUS.read_text(encoding="utf-8") if CORPUS.exists() else ""
    if args.check:
        if current != expected:
            print(f"{CORPUS} is out of date: run python {Path(__file__).as_posix()}")
            return 1
        return 0
    CORPUS.write_text(expected, encoding="utf-8")
    print(f"wrote {expected.count(chr(10))} sections to {CORPUS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
