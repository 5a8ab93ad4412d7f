"""Plain data types shared by the core. No I/O, no cloud SDKs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Section:
    """A run of text from a document with where it came from.

    ``heading_path`` is the chain of headings above the text (outermost first);
    ``location`` is a human-readable pointer such as ``"page 3"`` or ``"row 12"``.
    """

    text: str
    heading_path: tuple[str, ...] = ()
    location: str = ""


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """A parsed document, ready for chunking."""

    source: str
    title: str
    media_type: str
    sections: tuple[Section, ...]
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A retrievable unit of text. ``chunk_id`` is stable for the same content and position."""

    chunk_id: str
    document_id: str
    tenant: str
    ordinal: int
    text: str
    heading_path: tuple[str, ...] = ()
    location: str = ""
    language: str = "und"
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def heading(self) -> str:
        return " > ".join(self.heading_path)


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """What the store knows about one indexed document."""

    document_id: str
    tenant: str
    source: str
    title: str
    content_hash: str
    chunk_count: int
    indexed_at: float
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SearchHit:
    chunk: Chunk
    score: float
    document_title: str = ""
    source: str = ""
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Citation:
    index: int
    document_id: str
    title: str
    source: str
    location: str
    chunk_id: str
    snippet: str


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    citations: tuple[Citation, ...]
    language: str
    grounded: bool


@dataclass(frozen=True, slots=True)
class Turn:
    role: str  # "user" | "assistant"
    text: str
    created_at: float
    meta: dict[str, Any] = field(default_factory=dict)
