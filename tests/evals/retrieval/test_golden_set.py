"""The golden retrieval set stays in step with docs/ and stays well-formed.

When a doc changes, ``test_corpus_matches_the_current_docs`` fails: rebuild the corpus with
``python tests/evals/retrieval/build_corpus.py`` and re-check the judgements of the sections
that changed (a renamed heading changes a corpus id, which the qrels test then reports).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from xin.evals.beir import BeirDataset, load_beir
from xin.evals.markdown_corpus import corpus_jsonl, slugify, split_sections

GOLDEN_DIR = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def golden() -> BeirDataset:
    return load_beir(GOLDEN_DIR)


def test_corpus_matches_the_current_docs() -> None:
    script = GOLDEN_DIR / "build_corpus.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_judgement_names_a_corpus_section_and_a_query(golden: BeirDataset) -> None:
    unknown_docs = {d for judged in golden.qrels.values() for d in judged} - set(golden.corpus)
    assert not unknown_docs, f"qrels name sections that no longer exist: {sorted(unknown_docs)}"
    assert set(golden.qrels) == set(golden.queries)
    grades = {grade for judged in golden.qrels.values() for grade in judged.values()}
    assert grades <= {1, 2}


def test_every_query_has_a_direct_answer_and_a_language(golden: BeirDataset) -> None:
    for query_id, query in golden.queries.items():
        assert re.fullmatch(rf"{query.lang}-\d{{3}}", query_id), query_id
        assert 2 in golden.qrels[query_id].values(), f"{query_id} has no grade-2 section"
    counts = Counter(query.lang for query in golden.queries.values())
    assert counts["en"] >= 60
    assert counts["fa"] >= 30
    texts = [query.text for query in golden.queries.values()]
    assert len(texts) == len(set(texts))


def test_persian_questions_are_mostly_answered_by_persian_sections(golden: BeirDataset) -> None:
    """English sections are only partly relevant where a Persian section answers; a few
    Persian questions are answered by the English docs alone (cross-lingual retrieval)."""
    persian_answers = 0
    for query_id, query in golden.queries.items():
        best = {d for d, grade in golden.qrels[query_id].items() if grade == 2}
        if query.lang == "en":
            assert not any(d.startswith("fa/") for d in golden.qrels[query_id]), query_id
        elif any(d.startswith("fa/") for d in best):
            persian_answers += 1
            assert all(d.startswith("fa/") for d in best), query_id
    persian_queries = sum(query.lang == "fa" for query in golden.queries.values())
    assert persian_answers >= 0.8 * persian_queries


def test_sections_split_at_level_two_headings_outside_code() -> None:
    text = (
        "---\ntitle: Guide\n---\n\n# Guide\n\nIntro text.\n\n## Install it\n\nRun `make`.\n\n"
        "### Details\n\nMore.\n\n```bash\n## not a heading\n```\n\n## Install it\n\nAgain.\n"
        "\n## Empty section\n\n## Empty section\n\nLast.\n"
    )
    sections = split_sections(text, "sub/guide.md")
    assert [(s.doc_id, s.title) for s in sections] == [
        ("sub/guide.md#guide", "Guide"),
        ("sub/guide.md#install-it", "Guide — Install it"),
        ("sub/guide.md#install-it-1", "Guide — Install it"),
        ("sub/guide.md#empty-section-1", "Guide — Empty section"),
    ]
    assert sections[0].text == "Intro text."
    assert (
        sections[1].text == "Run `make`.\n\n### Details\n\nMore.\n\n```bash\n## not a heading\n```"
    )
    assert "title:" not in corpus_jsonl(sections)


def test_a_document_without_an_h1_is_titled_by_its_file_name() -> None:
    sections = split_sections("## Only section\n\nBody.\n", "notes.md")
    assert [(s.doc_id, s.title) for s in sections] == [
        ("notes.md#only-section", "notes — Only section")
    ]


def test_slugs_follow_github_and_keep_persian_letters() -> None:
    assert (
        slugify("Deploying Xin to Kubernetes with Helm") == "deploying-xin-to-kubernetes-with-helm"
    )
    assert slugify("Xin's core package, and APP_ENV") == "xins-core-package-and-app_env"
    assert slugify("چطور شین را روی AWS مستقر کنم؟") == "چطور-شین-را-روی-aws-مستقر-کنم"
    assert slugify("داده‌های من") == "دادههای-من"  # the zero-width non-joiner goes
