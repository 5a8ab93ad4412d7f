"""Quotable units of a passage: prose sentences, each with the code block it introduces.

Markdown passages are hard-wrapped, hold tables and code; the extractive answerer quotes
whole sentences, so lines of a paragraph are joined first, table rules are dropped, and a
sentence ending in ":" keeps the code block that follows it ("Install the chart with:").
"""

from __future__ import annotations

import re

from xin.rag.text import split_sentences

_CODE_BLOCK = re.compile(r"```.*?(?:```|$)", re.DOTALL)
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")
# Lines that start a block of their own: list item, heading, table row, quote.
_BLOCK_START = re.compile(r"^\s*(?:[-*+>#|]|\d+[.)]\s)")


def units(text: str) -> list[tuple[str, str | None]]:
    """Prose sentences, each with the code block that follows it (if it introduces one).

    Code is never quoted on its own, but "Install the chart with:" keeps its command.
    """
    found: list[tuple[str, str | None]] = []
    position = 0
    for block in _CODE_BLOCK.finditer(text):
        found.extend((s, None) for s in _prose(text[position : block.start()]))
        if found and found[-1][0].rstrip().endswith(":") and found[-1][1] is None:
            found[-1] = (found[-1][0], block.group(0).strip())
        position = block.end()
    found.extend((s, None) for s in _prose(text[position:]))
    return found


def _prose(text: str) -> list[str]:
    return [s for s in split_sentences(_unwrap(text)) if not _TABLE_RULE.match(s)]


def _unwrap(text: str) -> str:
    """Join hard-wrapped lines of a paragraph ("arrives at our\nwarehouse."), so a sentence is
    never cut at a line break; list items, headings, tables and blank lines stay apart."""
    lines: list[str] = []
    for line in text.split("\n"):
        previous = lines[-1] if lines else ""
        joinable = previous.strip() and not re.match(r"\s*[#|]", previous)
        if joinable and line.strip() and not _BLOCK_START.match(line):
            lines[-1] = f"{previous.rstrip()} {line.strip()}"
        else:
            lines.append(line)
    return "\n".join(lines)
