"""Markdown (.md, .markdown): front matter, ATX and setext headings, fenced code kept intact.

Markup is cleaned lightly so the text reads well to a person and to an embedding model:
link syntax keeps its text, images and HTML comments go, emphasis markers go. Code
(fenced blocks and inline spans) and list markers are left exactly as written.
"""

from __future__ import annotations

import re
from typing import Any

from xin.domain import LoadedDocument, Section
from xin.rag.loaders._common import HeadingStack, decode_text, make_document, normalize_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*$\n?", re.DOTALL | re.MULTILINE)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_TABLE_RULE = re.compile(r"^ *\|? *:?-+:? *(?:\| *:?-+:? *)+\|? *$")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+")
_NOT_SETEXT_TEXT = re.compile(r"^ *(?:[-*+] |\d+[.)] |\|)")
_BLOCKQUOTE = re.compile(r"^(?: {0,3}> ?)+")
# Every repetition below is bounded or anchored so a hostile file cannot make a pattern
# quadratic: spans longer than the bounds are simply left as written.
_CODE_SPAN = re.compile(r"(?<!`)(`++)(?!`).{0,200}?(?<!`)\1(?!`)")
_CLEANUPS = (  # (a character the pattern needs, pattern, replacement)
    ("[", re.compile(r"!\[[^\[\]]{0,300}\](?:\([^()]{0,2000}\)|\[[^\[\]]{0,300}\])?"), ""),
    ("[", re.compile(r"\[([^\[\]]{1,300})\](?:\([^()]{0,2000}\)|\[[^\[\]]{0,300}\])"), r"\1"),
    ("<", re.compile(r"<((?:https?|mailto):[^<>\s]{1,2000})>"), r"\1"),  # autolinks
    ("*", re.compile(r"\*\*(?=\S)(.{1,300}?)(?<=\S)\*\*"), r"\1"),  # **strong**
    ("_", re.compile(r"__(?=\S)(.{1,300}?)(?<=\S)__"), r"\1"),  # __strong__
    ("~", re.compile(r"~~(?=\S)(.{1,300}?)(?<=\S)~~"), r"\1"),  # ~~strikethrough~~
    ("*", re.compile(r"(?<![\w*])\*(?=[^\s*])(.{1,300}?)(?<=[^\s*])\*(?![\w*])"), r"\1"),
    ("_", re.compile(r"(?<![\w_])_(?=[^\s_])(.{1,300}?)(?<=[^\s_])_(?![\w_])"), r"\1"),
)


def _clean_markup(text: str) -> str:
    for needed, pattern, replacement in _CLEANUPS:
        if needed in text:
            text = pattern.sub(replacement, text)
    return text


def clean_inline(line: str) -> str:
    """Remove link, image and emphasis syntax outside inline code spans."""
    if "`" not in line:
        return _clean_markup(line)
    parts: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(line):
        parts.append(_clean_markup(line[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_clean_markup(line[position:]))
    return "".join(parts)


def _strip_closing_hashes(text: str) -> str:
    """``Title ##`` → ``Title``; ``C#`` stays (a closing sequence needs a space before it)."""
    text = text.strip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        return bare.rstrip()
    return text


def _metadata_value(value: Any) -> str | None:
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value if v is not None)
    return str(value)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML front matter as string metadata, and the rest of the text.

    A block that is not valid YAML mapping is left in the text: losing content to a
    wrong guess is worse than showing a few ``key: value`` lines.
    """
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    import yaml

    try:
        parsed = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(parsed, dict):
        return {}, text
    metadata = {}
    for key, value in parsed.items():
        rendered = _metadata_value(value)
        if rendered is not None:
            metadata[str(key)] = rendered
    return metadata, text[match.end() :]


class _MarkdownParser:
    """A line scanner that knows just enough CommonMark to find headings and code."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.first_h1 = ""
        self._headings = HeadingStack()
        self._body: list[str] = []
        self._paragraph_start = 0
        self._fence = ""  # the opening fence while inside a fenced block
        self._in_comment = False

    def feed(self, line: str) -> None:
        if self._fence:
            self._body.append(line)
            closing = line.strip()
            if closing.startswith(self._fence) and not closing.strip(self._fence[0]):
                self._fence = ""
                self._paragraph_start = len(self._body)
            return
        stripped = self._drop_comments(line)
        if stripped is not None:
            self._feed_markdown(_BLOCKQUOTE.sub("", stripped))

    def finish(self) -> None:
        self._flush(len(self._body))

    def _feed_markdown(self, line: str) -> None:
        fence = _FENCE_OPEN.match(line)
        if fence:
            self._fence = fence.group(1)
            self._body.append(line)
            return
        atx = _ATX.match(line)
        if atx:
            self._flush(len(self._body))
            self._heading(len(atx.group(1)), _strip_closing_hashes(atx.group(2) or ""))
            return
        if _SETEXT.match(line) and self._setext_candidate():
            text = " ".join(s.strip() for s in self._body[self._paragraph_start :])
            self._flush(self._paragraph_start)
            self._heading(1 if line.strip().startswith("=") else 2, text)
            return
        if _THEMATIC_BREAK.match(line):
            if self._body and self._body[-1].strip():
                self._body.append("")  # a rule ends the paragraph above it
            self._paragraph_start = len(self._body)
            return
        if _TABLE_RULE.match(line) or _LINK_DEFINITION.match(line):
            return
        if not line.strip():
            if self._body and self._body[-1].strip():
                self._body.append("")
            self._paragraph_start = len(self._body)
            return
        self._body.append(clean_inline(line))

    def _setext_candidate(self) -> bool:
        lines = self._body[self._paragraph_start :]
        return bool(lines) and not _NOT_SETEXT_TEXT.match(lines[0])

    def _heading(self, level: int, raw: str) -> None:
        text = clean_inline(raw).strip()
        if level == 1 and not self.first_h1:
            self.first_h1 = text
        self._headings.push(level, text)

    def _flush(self, end: int) -> None:
        """Emit body lines before ``end`` as a section under the current headings."""
        text = "\n".join(self._body[:end])
        if text.strip():
            self.sections.append(Section(text=text, heading_path=self._headings.path))
        self._body = []
        self._paragraph_start = 0

    def _drop_comments(self, line: str) -> str | None:
        """``line`` without HTML comments; None when the whole line was a comment."""
        kept: list[str] = []
        rest = line
        while rest:
            if self._in_comment:
                end = rest.find("-->")
                if end < 0:
                    rest = ""
                    break
                rest = rest[end + 3 :]
                self._in_comment = False
            else:
                start = rest.find("<!--")
                if start < 0:
                    break
                kept.append(rest[:start])
                rest = rest[start + 4 :]
                self._in_comment = True
        kept.append(rest)
        result = "".join(kept)
        if line.strip() and not result.strip():
            return None
        return result


class MarkdownLoader:
    """Loads Markdown into one section per heading, with YAML front matter as metadata."""

    extensions: tuple[str, ...] = (".md", ".markdown")

    def load(self, data: bytes, source: str) -> LoadedDocument:
        text = normalize_text(decode_text(data, source))
        metadata, body = split_front_matter(text)
        parser = _MarkdownParser()
        for line in body.split("\n"):
            parser.feed(line)
        parser.finish()
        return make_document(
            source,
            title=metadata.get("title") or parser.first_h1,
            media_type="text/markdown",
            sections=parser.sections,
            metadata=metadata,
        )
