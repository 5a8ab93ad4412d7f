"""Heading- and paragraph-aware chunking with sentence overlap and stable chunk ids.

Consecutive sections with the same heading path form a group; chunks never cross groups.
Within a group whole paragraphs are packed up to ``max_chars``. A longer paragraph is split
at sentence ends (Latin and Persian/Arabic punctuation, line breaks), a longer sentence at
spaces, and as a last resort at ``max_chars``. Each chunk after the first in a group starts
with about ``overlap_chars`` of the previous chunk's trailing whole sentences.

A chunk is at most ``max_chars`` long unless it carries overlap or absorbed a tiny tail;
it never exceeds ``max_chars + overlap_chars``. Everything here is linear in the input.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby

from xin.domain import Chunk, LoadedDocument, Section

MIN_MAX_CHARS = 100
_TINY_FRACTION = 5  # a tail shorter than max_chars / 5 joins the previous chunk if it fits
_PARAGRAPH_BREAK = re.compile(r"\n(?:[^\S\n]*\n)+")
_CLOSERS = "\"'”’»)\\]"
# The look-behind makes a match start only at the first mark of a run, keeping runs of
# dots linear; possessive quantifiers never give characters back.
_SENTENCE_END = re.compile(
    rf"(?<![.!?؟۔…])[.!?؟۔…]++[{_CLOSERS}]*+(?=\s)|[。！？]++[{_CLOSERS}]*+|\n"
)
_TAIL_BOUNDARY = re.compile(
    rf"(?<![.!?؟۔…])(?:[.!?؟۔…]++[{_CLOSERS}]*+|[。！？]++[{_CLOSERS}]*+)\s+|\n\s*"
)
_NUMBERED = re.compile(r"(.*?)(\d+)")


@dataclass(frozen=True, slots=True)
class _Unit:
    """A paragraph or piece of one, with the separator that preceded it in the source."""

    text: str
    joiner: str
    location: str


@dataclass(slots=True)
class _Draft:
    prefix: str  # overlap copied from the previous chunk
    units: list[_Unit]

    def body(self) -> str:
        parts = [self.units[0].text]
        for unit in self.units[1:]:
            parts.append(unit.joiner)
            parts.append(unit.text)
        return "".join(parts)

    def text(self) -> str:
        if not self.prefix:
            return self.body()
        return self.prefix + self.units[0].joiner + self.body()


def chunk_document(
    doc: LoadedDocument,
    *,
    tenant: str,
    document_id: str,
    max_chars: int = 1000,
    overlap_chars: int = 150,
) -> list[Chunk]:
    """Split ``doc`` into chunks with stable ids, ordinals 0..n-1 and their sections' places."""
    _validate(tenant, document_id, max_chars, overlap_chars)
    chunks: list[Chunk] = []
    for heading_path, group in groupby(doc.sections, key=lambda s: s.heading_path):
        for draft in _pack(_units(group, max_chars), max_chars, overlap_chars):
            ordinal = len(chunks)
            text = draft.text()
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(tenant, document_id, ordinal, text),
                    document_id=document_id,
                    tenant=tenant,
                    ordinal=ordinal,
                    text=text,
                    heading_path=heading_path,
                    location=join_locations(u.location for u in draft.units),
                )
            )
    return chunks


def chunk_id(tenant: str, document_id: str, ordinal: int, text: str) -> str:
    """Deterministic id: the same tenant, document, position and text give the same id."""
    material = "\x1f".join((tenant, document_id, str(ordinal), text)).encode("utf-8")
    return f"{document_id}:{ordinal}:{hashlib.sha256(material).hexdigest()[:12]}"


def join_locations(locations: Iterable[str]) -> str:
    """``page 2``, ``page 3`` → ``page 2–3``; ``row 1``, ``row 4`` → ``row 1, 4``."""
    distinct = list(dict.fromkeys(loc for loc in locations if loc))
    if len(distinct) <= 1:
        return distinct[0] if distinct else ""
    matches = [_NUMBERED.fullmatch(loc) for loc in distinct]
    prefixes = {m.group(1) for m in matches if m is not None}
    if None in matches or len(prefixes) != 1:
        return ", ".join(distinct)
    prefix = prefixes.pop()
    numbers = [int(m.group(2)) for m in matches if m is not None]
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        return f"{prefix}{numbers[0]}–{numbers[-1]}"
    return prefix + ", ".join(str(n) for n in numbers)


def _validate(tenant: str, document_id: str, max_chars: int, overlap_chars: int) -> None:
    if not tenant or not document_id:
        raise ValueError("tenant and document_id must not be empty")
    if max_chars < MIN_MAX_CHARS:
        raise ValueError(f"max_chars must be at least {MIN_MAX_CHARS}, got {max_chars}")
    if not 0 <= overlap_chars < max_chars / 2:
        raise ValueError(
            f"overlap_chars must be >= 0 and < max_chars / 2 ({max_chars / 2:g}), "
            f"got {overlap_chars}"
        )


def _units(sections: Iterable[Section], max_chars: int) -> Iterator[_Unit]:
    """Paragraphs no longer than ``max_chars``; longer ones cut into sentences or words."""
    for section in sections:
        for raw in _PARAGRAPH_BREAK.split(section.text):
            paragraph = raw.strip("\n").rstrip()
            if not paragraph.strip():
                continue
            if len(paragraph) <= max_chars:
                yield _Unit(paragraph, "\n\n", section.location)
                continue
            joiner = "\n\n"
            for separator, sentence in _sentences(paragraph):
                pieces = [(separator, sentence)]
                if len(sentence) > max_chars:
                    pieces = list(_split_words(sentence, max_chars))
                    pieces[0] = (separator, pieces[0][1])
                for piece_separator, piece in pieces:
                    yield _Unit(piece, joiner or piece_separator, section.location)
                    joiner = ""


def _sentences(text: str) -> Iterator[tuple[str, str]]:
    """(separator before, sentence) pairs; the separator is ``" "``, ``"\\n"`` or ``""``."""
    start = 0
    separator = ""
    for match in _SENTENCE_END.finditer(text):
        next_start = match.end()
        while next_start < len(text) and text[next_start].isspace():
            next_start += 1
        raw = text[start:next_start]
        sentence = raw.strip()
        if sentence:
            yield separator, sentence
            gap = raw[len(raw.rstrip()) :]
            separator = "\n" if "\n" in gap else (" " if gap else "")
        start = next_start
    rest = text[start:].strip()
    if rest:
        yield separator, rest


def _split_words(sentence: str, max_chars: int) -> Iterator[tuple[str, str]]:
    """Pieces of at most ``max_chars``, cut at the last space that fits, else hard cut."""
    position = 0
    separator = ""
    length = len(sentence)
    while length - position > max_chars:
        cut = sentence.rfind(" ", position + 1, position + max_chars + 1)
        if cut > position:
            yield separator, sentence[position:cut].rstrip()
            separator = " "
            position = cut
            while position < length and sentence[position] == " ":
                position += 1
        else:
            yield separator, sentence[position : position + max_chars]
            separator = ""
            position += max_chars
    if position < length:
        yield separator, sentence[position:]


def _tail(text: str, limit: int) -> str:
    """The trailing whole sentences of ``text`` that fit in ``limit`` characters.

    Falls back to trailing whole words, then to the last ``limit`` characters.
    """
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    start = len(text) - limit
    boundary = _TAIL_BOUNDARY.search(text, start - 1)
    if boundary is not None and boundary.end() < len(text):
        return text[boundary.end() :]
    space = text.find(" ", start)
    if space != -1 and space + 1 < len(text):
        return text[space + 1 :].lstrip()
    return text[start:]


def _pack(units: Iterable[_Unit], max_chars: int, overlap_chars: int) -> list[_Draft]:
    """Greedy packing of one heading group's units into drafts, with overlap."""
    drafts: list[_Draft] = []
    current = _Draft(prefix="", units=[])
    length = 0
    overlap_limit = overlap_chars - 2  # room for the "\n\n" joining overlap and body
    for unit in units:
        joined = bool(current.units or current.prefix)
        added = len(unit.text) + (len(unit.joiner) if joined else 0)
        if current.units and length + added > max_chars:
            drafts.append(current)
            prefix = _tail(current.text(), overlap_limit)
            current = _Draft(prefix=prefix, units=[])
            length = len(prefix)
            added = len(unit.text) + (len(unit.joiner) if prefix else 0)
        current.units.append(unit)
        length += added
    if current.units:
        drafts.append(current)
    _merge_tiny_tail(drafts, max_chars, overlap_chars)
    return drafts


def _merge_tiny_tail(drafts: list[_Draft], max_chars: int, overlap_chars: int) -> None:
    if len(drafts) < 2:
        return
    last = drafts[-1]
    if len(last.body()) >= max_chars // _TINY_FRACTION:
        return
    merged = _Draft(prefix=drafts[-2].prefix, units=drafts[-2].units + last.units)
    if len(merged.text()) <= max_chars + overlap_chars:
        drafts[-2:] = [merged]
