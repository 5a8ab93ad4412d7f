"""Plain text (.txt): robust decoding, one section per paragraph."""

from __future__ import annotations

import re

from xin.domain import LoadedDocument, Section
from xin.rag.loaders._common import decode_text, make_document, normalize_text, stem_of

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_MAX_TITLE_CHARS = 80


def _title(text: str, source: str) -> str:
    """The first non-empty line if it is short and is followed by more text, else the stem."""
    lines = text.lstrip().split("\n", 1)
    first = lines[0].strip()
    if first and len(first) <= _MAX_TITLE_CHARS and len(lines) > 1 and lines[1].strip():
        return first
    return stem_of(source)


class TextLoader:
    """Loads UTF-8/UTF-16 (with BOM) or legacy single-byte text; rejects binary data."""

    extensions: tuple[str, ...] = (".txt",)

    def load(self, data: bytes, source: str) -> LoadedDocument:
        text = normalize_text(decode_text(data, source))
        paragraphs = _PARAGRAPH_BREAK.split(text)
        return make_document(
            source,
            title=_title(text, source),
            media_type="text/plain",
            sections=(Section(text=p) for p in paragraphs),
        )
