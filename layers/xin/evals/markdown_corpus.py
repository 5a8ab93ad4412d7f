"""Build a BEIR corpus from a folder of Markdown docs: one corpus document per ``##`` section.

A section's ``_id`` is ``<path relative to the folder>#<slug of its heading>`` (for example
``deployment.md#deploying-xin-to-kubernetes-with-helm``) and its title is the document's H1
followed by `` — `` and the heading. Text above the first ``##`` heading, when there is
any, becomes a section of its own under the H1's slug; sections without text are left out.
Deeper headings stay inside their section. Front matter is dropped; fenced code is kept
and never read as headings.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from xin.evals.beir import CorpusDoc

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?^---[ \t]*\n", re.DOTALL | re.MULTILINE)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SEPARATOR = " — "


def slugify(heading: str) -> str:
    """A GitHub-style anchor: lower case, letters, digits and hyphens (any script)."""
    kept = []
    for char in unicodedata.normalize("NFC", heading.strip().casefold()):
        category = unicodedata.category(char)
        if char in " -":
            kept.append("-")
        elif category[0] in "LN" or category in {"Mn", "Mc"} or char == "_":
            kept.append(char)
    return "".join(kept)


def _headings_and_bodies(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """(level, heading, body lines) for the H1/H2 blocks of a Markdown text; level 0 = preamble."""
    level, heading = 0, ""
    body: list[str] = []
    fence = ""
    for line in text.splitlines():
        opening = _FENCE.match(line)
        if fence:
            if line.strip().startswith(fence):
                fence = ""
        elif opening:
            fence = opening.group(1)
        else:
            match = _HEADING.match(line)
            if match and len(match.group(1)) <= 2:
                yield level, heading, body
                level, heading, body = len(match.group(1)), match.group(2).strip(), []
                continue
        body.append(line)
    yield level, heading, body


def split_sections(text: str, relative_path: str) -> list[CorpusDoc]:
    """The ``##`` sections of one Markdown document, in order."""
    text = _FRONT_MATTER.sub("", text.replace("\r\n", "\n"), count=1)
    blocks = list(_headings_and_bodies(text))
    title = next((heading for level, heading, _ in blocks if level == 1), "")
    title = title or Path(relative_path).stem
    sections: list[CorpusDoc] = []
    used: dict[str, int] = {}
    for level, heading, body in blocks:
        content = "\n".join(body).strip()
        if level < 2 and not content:
            continue
        slug = slugify(heading if level == 2 else title)
        count = used.get(slug, 0)
        used[slug] = count + 1
        if not content:  # nothing to retrieve; the anchor still counts, as on GitHub
            continue
        anchor = slug if count == 0 else f"{slug}-{count}"
        section_title = f"{title}{_SEPARATOR}{heading}" if level == 2 else title
        sections.append(CorpusDoc(f"{relative_path}#{anchor}", section_title, content))
    return sections


def markdown_files(docs_dir: Path, exclude: Iterable[str] = ()) -> list[Path]:
    """Markdown files under ``docs_dir`` sorted by path, skipping excluded top-level folders."""
    skipped = set(exclude)
    return sorted(
        path
        for path in docs_dir.rglob("*.md")
        if path.relative_to(docs_dir).parts[0] not in skipped
    )


def build_corpus(docs_dir: Path, exclude: Iterable[str] = ()) -> list[CorpusDoc]:
    corpus: list[CorpusDoc] = []
    for path in markdown_files(docs_dir, exclude):
        relative = path.relative_to(docs_dir).as_posix()
        corpus.extend(split_sections(path.read_text(encoding="utf-8"), relative))
    return corpus


def corpus_jsonl(corpus: Iterable[CorpusDoc]) -> str:
    """The corpus as BEIR ``corpus.jsonl`` text (UTF-8 kept readable, one object a line)."""
    lines = (
        json.dumps({"_id": doc.doc_id, "title": doc.title, "text": doc.text}, ensure_ascii=False)
        for doc in corpus
    )
    return "".join(f"{line}\n" for line in lines)
