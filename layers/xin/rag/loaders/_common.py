"""Helpers every loader shares: decoding bytes, normalising text, titles, FAQ field names.

Nothing here imports a parser library, so the registry can import it cheaply.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable

from xin.domain import LoadedDocument, Section
from xin.errors import DocumentParseError

_MANY_BLANK_LINES = re.compile(r"\n{4,}")  # more than two blank lines in a row
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_SAMPLE = 64 * 1024
_MAX_CONTROL_RATIO = 0.01

# Column / key names that mark question-and-answer records, compared after ``field_key``.
QUESTION_FIELDS = (
    "question",
    "q",
    "title",
    "prompt",
    "query",
    "سوال",
    "سؤال",
    "پرسش",
    "frage",
    "pregunta",
    "vraag",
    "domanda",
    "вопрос",
)
ANSWER_FIELDS = (
    "answer",
    "a",
    "body",
    "response",
    "reply",
    "پاسخ",
    "جواب",
    "antwort",
    "respuesta",
    "réponse",
    "reponse",
    "antwoord",
    "risposta",
    "ответ",
)


def extension_of(source: str) -> str:
    """Lower-cased extension with the dot (``"report.PDF"`` → ``".pdf"``), or ``""``."""
    name = file_name(source)
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def file_name(source: str) -> str:
    """The last component of a path, URL or S3 key, without any query string."""
    name = source.split("?", 1)[0].split("#", 1)[0].rstrip("/\\")
    return re.split(r"[/\\]", name)[-1]


def stem_of(source: str) -> str:
    """File name without its extension: the title of last resort."""
    name = file_name(source)
    dot = name.rfind(".")
    stem = name[:dot] if dot > 0 else name
    return stem.strip() or source


def normalize_text(text: str) -> str:
    """NFC, ``\\n`` line ends, no trailing spaces, at most two blank lines in a row."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = _MANY_BLANK_LINES.sub("\n\n\n", text)
    return text.strip("\n")


def collapse_spaces(text: str) -> str:
    """One line of text with runs of whitespace folded into single spaces."""
    return " ".join(text.split())


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters (checks the first 64 KB)."""
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        return True
    controls = len(_CONTROL.findall(sample.decode("latin-1")))
    return controls > max(2, len(sample) * _MAX_CONTROL_RATIO)


def decode_text(data: bytes, source: str) -> str:
    """Decode text bytes: BOM-marked UTF-8/16/32, plain UTF-8, else Windows-1252/Latin-1.

    Binary data (NUL bytes, many control characters) raises ``DocumentParseError``.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as e:
                raise DocumentParseError(source, f"invalid {encoding} text: {e.reason}") from e
    if looks_binary(data):
        raise DocumentParseError(source, "binary data, not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # every byte maps to one character: lossless


def field_key(name: str) -> str:
    """Fold a column or key name for FAQ detection (case, spaces, Arabic vs Persian letters)."""
    folded = unicodedata.normalize("NFC", name).casefold().strip(" \t:?؟_-*")
    return folded.replace("ي", "ی").replace("ك", "ک")


def faq_fields(names: Iterable[str]) -> tuple[str, str] | None:
    """The (question, answer) names among ``names`` if they look like an FAQ, else None."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(field_key(name), name)
    question = next((by_key[k] for k in QUESTION_FIELDS if k in by_key), None)
    answer = next((by_key[k] for k in ANSWER_FIELDS if k in by_key), None)
    if question is None or answer is None:
        return None
    return question, answer


def join_blocks(blocks: Iterable[str]) -> str:
    """Blocks separated by blank lines, except that list items (``- …``) stay together."""
    parts: list[str] = []
    previous_item = False
    for block in blocks:
        if not block.strip():
            continue
        item = block.startswith("- ")
        if parts:
            parts.append("\n" if item and previous_item else "\n\n")
        parts.append(block)
        previous_item = item
    return "".join(parts)


class HeadingStack:
    """Tracks the headings above the current position: a heading pops its level and deeper."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []

    def push(self, level: int, text: str) -> None:
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        if text:
            self._stack.append((level, text))

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self._stack)


def make_document(
    source: str,
    *,
    title: str,
    media_type: str,
    sections: Iterable[Section],
    metadata: dict[str, str] | None = None,
) -> LoadedDocument:
    """Build a ``LoadedDocument``: normalise every text and drop sections left empty."""
    kept: list[Section] = []
    for section in sections:
        text = normalize_text(section.text)
        if text.strip():
            path = tuple(
                p for p in (collapse_spaces(normalize_text(h)) for h in section.heading_path) if p
            )
            kept.append(Section(text=text, heading_path=path, location=section.location))
    clean_title = collapse_spaces(normalize_text(title)) or stem_of(source)
    return LoadedDocument(
        source=source,
        title=clean_title,
        media_type=media_type,
        sections=tuple(kept),
        metadata=dict(metadata or {}),
    )
