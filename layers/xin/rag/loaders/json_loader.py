"""JSON and JSON Lines (.json, .jsonl, .ndjson).

FAQ records (question/answer, q/a, title/body, prompt/response, سوال/پاسخ, …) become one
section each, headed by the question. Any other JSON is flattened into ``key: value`` lines,
one section per top-level record.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from xin.domain import LoadedDocument, Section
from xin.errors import DocumentParseError
from xin.rag.loaders._common import (
    collapse_spaces,
    decode_text,
    extension_of,
    faq_fields,
    make_document,
)

_LINES_EXTENSIONS = (".jsonl", ".ndjson")
_MAX_SEARCH_DEPTH = 3


def parse_json_lines(text: str, source: str) -> list[Any]:
    records: list[Any] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise DocumentParseError(
                    source, f"invalid JSON on line {number}, column {e.colno}: {e.msg}"
                ) from e
    return records


def parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":  # several documents, one per line: JSON Lines named .json
            try:
                return parse_json_lines(text, source)
            except DocumentParseError:
                pass
        raise DocumentParseError(
            source, f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}"
        ) from e


def _faq_pair(record: Any) -> tuple[str, str] | None:
    """(question, answer) text of an FAQ record, or None."""
    if not isinstance(record, dict):
        return None
    fields = faq_fields(str(k) for k in record)
    if fields is None:
        return None
    question, answer = (_as_text(record[name]) for name in fields)
    return (question, answer) if question and answer else None


def _is_faq_list(value: Any) -> bool:
    if not isinstance(value, list) or not value:
        return False
    objects = [item for item in value if isinstance(item, dict)]
    return bool(objects) and sum(_faq_pair(item) is not None for item in objects) * 2 >= len(
        objects
    )


def _find_faq_list(value: Any, depth: int = 0) -> list[Any] | None:
    """The first list of FAQ records in ``value``, searching nested objects breadth-first."""
    if _is_faq_list(value):
        return list(value)
    if not isinstance(value, dict) or depth >= _MAX_SEARCH_DEPTH:
        return None
    for child in value.values():
        if _is_faq_list(child):
            return list(child)
    for child in value.values():
        found = _find_faq_list(child, depth + 1) if isinstance(child, dict) else None
        if found is not None:
            return found
    return None


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "\n".join(_as_text(v) for v in value if _as_text(v))
    if isinstance(value, dict | list):
        return "\n".join(flatten(value))
    return json.dumps(value, ensure_ascii=False)  # numbers and booleans as JSON spells them


def flatten(value: Any, prefix: str = "") -> Iterator[str]:
    """Readable ``key: value`` lines; nested keys joined with dots, list items numbered."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from flatten(child, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        for index, child in enumerate(value, start=1):
            yield from flatten(child, f"{prefix}.{index}" if prefix else str(index))
    else:
        text = (
            _as_text(value)
            if not isinstance(value, list)
            else ", ".join(_as_text(v) for v in value if _as_text(v))
        )
        if text:
            yield f"{prefix}: {text}" if prefix else text


def _record_section(record: Any, number: int) -> Section:
    location = f"record {number}"
    pair = _faq_pair(record)
    if pair is not None:
        question, answer = pair
        return Section(
            text=f"{question}\n{answer}",
            heading_path=(collapse_spaces(question),),
            location=location,
        )
    return Section(text="\n".join(flatten(record)), location=location)


def _sections(parsed: Any) -> tuple[list[Section], bool]:
    """Sections for a parsed document, and whether it was read as an FAQ."""
    records = _find_faq_list(parsed)
    if records is not None:
        return [_record_section(r, n) for n, r in enumerate(records, start=1)], True
    if isinstance(parsed, list):
        return [_record_section(r, n) for n, r in enumerate(parsed, start=1)], False
    if isinstance(parsed, dict) and _faq_pair(parsed) is None:
        return _object_sections(parsed), False
    return [_record_section(parsed, 1)], _faq_pair(parsed) is not None


def _object_sections(parsed: dict[str, Any]) -> list[Section]:
    """Plain values of a top-level object together first, then one section per nested key."""
    plain = [key for key, value in parsed.items() if not _is_nested(value)]
    sections = [
        Section(text="\n".join(line for key in plain for line in flatten(parsed[key], key)))
    ]
    sections.extend(
        Section(text="\n".join(flatten(value, str(key))), heading_path=(str(key),))
        for key, value in parsed.items()
        if _is_nested(value)
    )
    return sections


def _is_nested(value: Any) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
    )


class JsonLoader:
    """Loads JSON documents, JSON Lines files and FAQ collections in either form."""

    extensions: tuple[str, ...] = (".json", ".jsonl", ".ndjson")

    def load(self, data: bytes, source: str) -> LoadedDocument:
        text = decode_text(data, source)
        lines = extension_of(source) in _LINES_EXTENSIONS
        parsed = parse_json_lines(text, source) if lines else parse_json(text, source)
        sections, is_faq = _sections(parsed)
        title = parsed.get("title") if isinstance(parsed, dict) and not _faq_pair(parsed) else None
        return make_document(
            source,
            title=title if isinstance(title, str) else "",
            media_type="application/x-ndjson" if lines else "application/json",
            sections=sections,
            metadata={"format": "faq", "records": str(len(sections))} if is_faq else {},
        )
