"""CSV and TSV (.csv, .tsv): one section per row, or one question per row for an FAQ."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from xin.domain import LoadedDocument, Section
from xin.errors import DocumentParseError
from xin.rag.loaders._common import (
    collapse_spaces,
    decode_text,
    extension_of,
    faq_fields,
    make_document,
    normalize_text,
)

_SNIFF_CHARS = 8 * 1024  # csv.Sniffer's patterns get slow on large samples
_DELIMITERS = ",;\t|"


def _dialect(text: str, tsv: bool) -> type[csv.Dialect] | csv.Dialect:
    default: type[csv.Dialect] = csv.excel_tab if tsv else csv.excel
    sample = text[:_SNIFF_CHARS]
    if "\n" in sample:
        sample = sample[: sample.rfind("\n")]  # never sniff a half row
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        return default
    if tsv and sniffed.delimiter != "\t":
        return default
    return sniffed


def _rows(text: str, dialect: type[csv.Dialect] | csv.Dialect, source: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        yield from reader
    except csv.Error as e:
        raise DocumentParseError(source, f"malformed CSV at line {reader.line_num}: {e}") from e


def _header(row: list[str]) -> list[str]:
    return [collapse_spaces(name) or f"column {i}" for i, name in enumerate(row, start=1)]


def _row_text(header: list[str], row: list[str]) -> str:
    names = header + [f"column {i}" for i in range(len(header) + 1, len(row) + 1)]
    pairs = ((name, value.strip()) for name, value in zip(names, row, strict=False))
    return "; ".join(f"{name}: {value}" for name, value in pairs if value)


class CsvLoader:
    """Rows become ``col: value; col: value`` sections; FAQ sheets become Q&A sections."""

    extensions: tuple[str, ...] = (".csv", ".tsv")

    def load(self, data: bytes, source: str) -> LoadedDocument:
        text = normalize_text(decode_text(data, source))
        tsv = extension_of(source) == ".tsv"
        rows = _rows(text, _dialect(text, tsv), source)
        header: list[str] | None = None
        sections: list[Section] = []
        faq: tuple[int, int] | None = None
        number = 0
        for row in rows:
            if header is None:
                if any(cell.strip() for cell in row):
                    header = _header(row)
                    faq = _faq_columns(header)
                continue
            number += 1
            section = _section(header, row, faq, number)
            if section is not None:
                sections.append(section)
        metadata = {"rows": str(number), "columns": ", ".join(header or [])}
        if faq is not None:
            metadata["format"] = "faq"
        return make_document(
            source,
            title="",
            media_type="text/tab-separated-values" if tsv else "text/csv",
            sections=sections,
            metadata=metadata,
        )


def _faq_columns(header: list[str]) -> tuple[int, int] | None:
    found = faq_fields(header)
    if found is None:
        return None
    return header.index(found[0]), header.index(found[1])


def _section(
    header: list[str], row: list[str], faq: tuple[int, int] | None, number: int
) -> Section | None:
    location = f"row {number}"
    if faq is not None:
        q_col, a_col = faq
        question = row[q_col].strip() if q_col < len(row) else ""
        answer = row[a_col].strip() if a_col < len(row) else ""
        if question and answer:
            return Section(
                text=f"{question}\n{answer}",
                heading_path=(collapse_spaces(question),),
                location=location,
            )
    text = _row_text(header, row)
    return Section(text=text, location=location) if text else None
