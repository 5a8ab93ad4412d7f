"""Word documents (.docx) with python-docx, behind a zip-bomb and corruption guard.

"Title" and "Heading N" paragraph styles build the heading path; tables are rendered row
by row as ``cell | cell`` so they stay readable in a chunk.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from xin.domain import LoadedDocument, Section
from xin.errors import DocumentParseError
from xin.rag.loaders._common import HeadingStack, collapse_spaces, join_blocks, make_document

MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$")
_LIST_STYLE = re.compile(r"^list\b|\blist (bullet|number)")


def check_archive(data: bytes, source: str) -> None:
    """Reject data that is not a zip, is a zip bomb, or has no Word body part.

    Declared sizes bound what ``zipfile`` will inflate, so checking them is enough.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as e:
        raise DocumentParseError(source, f"not a valid .docx file (bad zip archive: {e})") from e
    if len(entries) > MAX_ZIP_ENTRIES:
        raise DocumentParseError(source, f"zip archive has too many entries ({len(entries)})")
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise DocumentParseError(
            source,
            f"uncompressed size {total / 1024 / 1024:.0f} MB exceeds the "
            f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB limit (possible zip bomb)",
        )
    if not any(entry.filename == "word/document.xml" for entry in entries):
        raise DocumentParseError(source, "not a Word document (word/document.xml is missing)")


def _heading_level(paragraph: Paragraph) -> int | None:
    """0 for the "Title" style, N for "Heading N", None for body text."""
    style = paragraph.style
    if style is None:
        return None
    for name in (style.name or "", style.style_id or ""):
        key = name.strip().casefold()
        if key == "title":
            return 0
        match = _HEADING_STYLE.match(key)
        if match:
            return int(match.group(1))
    return None


def _is_list(paragraph: Paragraph) -> bool:
    style = paragraph.style
    return style is not None and bool(_LIST_STYLE.search((style.name or "").casefold()))


def render_table(table: Table) -> str:
    """Rows as ``cell | cell`` lines; horizontally merged cells appear once."""
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            text = collapse_spaces(cell.text)
            if text:
                cells.append(text)
        if cells:
            lines.append(" | ".join(cells))
    return "\n".join(lines)


class _Builder:
    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.styled_title = ""
        self.first_h1 = ""
        self._headings = HeadingStack()
        self._blocks: list[str] = []

    def paragraph(self, paragraph: Paragraph) -> None:
        text = paragraph.text.strip()
        if not text:
            return
        level = _heading_level(paragraph)
        if level is None:
            self._blocks.append(f"- {text}" if _is_list(paragraph) else text)
            return
        self.flush()
        heading = collapse_spaces(text)
        if level == 0 and not self.styled_title:
            self.styled_title = heading
        if level == 1 and not self.first_h1:
            self.first_h1 = heading
        self._headings.push(level, heading)

    def table(self, table: Table) -> None:
        rendered = render_table(table)
        if rendered:
            self._blocks.append(rendered)

    def flush(self) -> None:
        if self._blocks:
            text = join_blocks(self._blocks)
            self.sections.append(Section(text=text, heading_path=self._headings.path))
        self._blocks = []


class DocxLoader:
    """Loads paragraphs and tables in document order, structured by heading styles."""

    extensions: tuple[str, ...] = (".docx",)

    def load(self, data: bytes, source: str) -> LoadedDocument:
        check_archive(data, source)
        try:
            document = docx.Document(io.BytesIO(data))
        except (KeyError, ValueError, zipfile.BadZipFile) as e:
            raise DocumentParseError(source, f"not a valid .docx file ({e})") from e
        builder = _Builder()
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                builder.paragraph(block)
            else:
                builder.table(block)
        builder.flush()
        properties = document.core_properties
        metadata = {
            key: value
            for key, value in (("author", properties.author), ("subject", properties.subject))
            if value
        }
        return make_document(
            source,
            title=properties.title or builder.styled_title or builder.first_h1,
            media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            sections=builder.sections,
            metadata=metadata,
        )
