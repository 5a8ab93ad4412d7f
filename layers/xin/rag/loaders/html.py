"""HTML (.html, .htm) with BeautifulSoup and the stdlib parser.

Page chrome (scripts, styles, navigation, headers, footers) is dropped; h1–h6 build the
heading path; paragraphs, list items, table rows and ``<pre>`` blocks become text.
"""

from __future__ import annotations

import codecs
import re

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from xin.domain import LoadedDocument, Section
from xin.errors import DocumentParseError
from xin.rag.loaders._common import (
    HeadingStack,
    collapse_spaces,
    join_blocks,
    looks_binary,
    make_document,
)

_DROPPED = frozenset(
    ("script", "style", "noscript", "nav", "footer", "header", "template", "svg", "head")
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "body", "caption", "dd", "details"),
        *("dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "hr"),
        *("html", "legend", "li", "main", "ol", "p", "section", "summary"),
        *("tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    )
)
_SPACES = re.compile(r"\s+")
_END_BLOCK, _END_ITEM = 0, 1  # markers on the walk stack: a block or a list item ends here
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class _Collector:
    """Walks the tree once, keeping block structure and the current heading path."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self._headings = HeadingStack()
        self._blocks: list[str] = []
        self._inline: list[str] = []
        self._prefix = ""

    def walk(self, root: Tag) -> None:
        """Depth-first without recursion: unclosed ``<li>`` and ``<p>`` can nest thousands deep."""
        stack: list[PageElement | int] = list(reversed(root.contents))
        while stack:
            node = stack.pop()
            if isinstance(node, int):
                self._end_paragraph()
                if node == _END_ITEM:
                    self._prefix = ""
            elif isinstance(node, PreformattedString):
                continue  # comments, doctype, CDATA, processing instructions
            elif isinstance(node, NavigableString):
                self._inline.append(_SPACES.sub(" ", str(node)))
            elif isinstance(node, Tag) and not _skipped(node) and not self._rendered_whole(node):
                if node.name in _BLOCKS:
                    self._end_paragraph()
                    item = node.name == "li"
                    if item:
                        self._prefix = "- "
                    stack.append(_END_ITEM if item else _END_BLOCK)
                stack.extend(reversed(node.contents))

    def finish(self) -> None:
        self._end_paragraph()
        self._end_section()

    def _rendered_whole(self, tag: Tag) -> bool:
        """Handle elements rendered in one go; False for containers to walk into."""
        name = tag.name
        if name in _HEADINGS:
            self._end_paragraph()
            self._end_section()
            self._headings.push(_HEADINGS[name], collapse_spaces(tag.get_text(" ")))
        elif name == "pre":
            self._end_paragraph()
            self._blocks.append(tag.get_text().strip("\n"))
        elif name == "table":
            self._end_paragraph()
            self._blocks.append(_table_text(tag))
        elif name == "br":
            self._inline.append("\n")
        else:
            return False
        return True

    def _end_paragraph(self) -> None:
        lines = (line.strip() for line in "".join(self._inline).split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            self._blocks.append(self._prefix + text)
            self._prefix = ""
        self._inline = []

    def _end_section(self) -> None:
        text = join_blocks(self._blocks)
        if text:
            self.sections.append(Section(text=text, heading_path=self._headings.path))
        self._blocks = []


class HtmlLoader:
    """Loads the readable text of an HTML page, structured by its headings."""

    extensions: tuple[str, ...] = (".html", ".htm")

    def load(self, data: bytes, source: str) -> LoadedDocument:
        if not data.startswith(_UTF16_BOMS) and looks_binary(data):
            raise DocumentParseError(source, "binary data, not an HTML page")
        soup = BeautifulSoup(data, "html.parser")
        title = _title(soup)
        collector = _Collector()
        collector.walk(soup)
        collector.finish()
        metadata = {}
        language = _language(soup)
        if language:
            metadata["language"] = language
        return make_document(
            source,
            title=title,
            media_type="text/html",
            sections=collector.sections,
            metadata=metadata,
        )


def _skipped(tag: Tag) -> bool:
    """Page chrome, scripts and hidden elements are not content."""
    return tag.name in _DROPPED or tag.has_attr("hidden")


def _table_text(table: Tag) -> str:
    """Caption, then one ``cell | cell`` line per row (rows of nested tables included)."""
    lines: list[str] = []
    caption = table.find("caption")
    if isinstance(caption, Tag):
        lines.append(collapse_spaces(caption.get_text(" ")))
    for row in table.find_all("tr"):
        cells = (collapse_spaces(c.get_text(" ")) for c in row.find_all(["td", "th"]))
        line = " | ".join(c for c in cells if c)
        if line:
            lines.append(line)
    return "\n".join(line for line in lines if line)


def _title(soup: BeautifulSoup) -> str:
    if soup.title is not None:
        title = collapse_spaces(soup.title.get_text(" "))
        if title:
            return title
    h1 = soup.find("h1")
    return collapse_spaces(h1.get_text(" ")) if isinstance(h1, Tag) else ""


def _language(soup: BeautifulSoup) -> str:
    html = soup.find("html")
    if isinstance(html, Tag):
        lang = html.get("lang")
        if isinstance(lang, str):
            return lang.strip()
    return ""
