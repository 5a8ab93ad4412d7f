"""Document loaders, chosen by file extension.

Format modules are imported only when a file of that type is loaded: pypdf, python-docx
and BeautifulSoup are slow to import, and a function that only chats must not pay for them.
"""

from __future__ import annotations

from collections.abc import Callable

from xin.domain import LoadedDocument
from xin.errors import DocumentError, DocumentParseError, EmptyDocument, UnsupportedDocument
from xin.ports import Loader
from xin.rag.loaders._common import extension_of

__all__ = ["SUPPORTED_EXTENSIONS", "load_document", "loader_for"]


def _text() -> Loader:
    from xin.rag.loaders.text import TextLoader

    return TextLoader()


def _markdown() -> Loader:
    from xin.rag.loaders.markdown import MarkdownLoader

    return MarkdownLoader()


def _html() -> Loader:
    from xin.rag.loaders.html import HtmlLoader

    return HtmlLoader()


def _pdf() -> Loader:
    from xin.rag.loaders.pdf import PdfLoader

    return PdfLoader()


def _docx() -> Loader:
    from xin.rag.loaders.docx import DocxLoader

    return DocxLoader()


def _csv() -> Loader:
    from xin.rag.loaders.csv_loader import CsvLoader

    return CsvLoader()


def _json() -> Loader:
    from xin.rag.loaders.json_loader import JsonLoader

    return JsonLoader()


_FACTORIES: dict[str, Callable[[], Loader]] = {
    ".txt": _text,
    ".md": _markdown,
    ".markdown": _markdown,
    ".html": _html,
    ".htm": _html,
    ".pdf": _pdf,
    ".docx": _docx,
    ".csv": _csv,
    ".tsv": _csv,
    ".json": _json,
    ".jsonl": _json,
    ".ndjson": _json,
}

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(_FACTORIES)


def loader_for(source: str) -> Loader:
    """The loader for ``source``'s extension; ``UnsupportedDocument`` for any other type."""
    extension = extension_of(source)
    factory = _FACTORIES.get(extension)
    if factory is None:
        kind = f"'{extension}' files" if extension else "files without an extension"
        supported = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        raise UnsupportedDocument(source, f"{kind} are not supported (supported: {supported})")
    try:
        return factory()
    except ImportError as e:
        raise UnsupportedDocument(
            source, f"support for '{extension}' files is not installed (missing {e.name})"
        ) from e


def load_document(data: bytes, source: str) -> LoadedDocument:
    """Parse one file. Every failure is a ``DocumentError``; nothing else escapes.

    Raises ``UnsupportedDocument`` for unknown types, ``DocumentParseError`` for broken
    files (including any unexpected exception from a parser library) and ``EmptyDocument``
    when the file holds no text.
    """
    loader = loader_for(source)
    if not data or data.isspace():
        raise EmptyDocument(source, "the file is empty")
    try:
        document = loader.load(data, source)
    except DocumentError:
        raise
    except Exception as e:  # a parser library's own failure: report it, never crash a batch
        detail = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
        raise DocumentParseError(
            source, f"could not parse {extension_of(source)} file ({detail})"
        ) from e
    if not document.text.strip():
        raise EmptyDocument(source, "no text found in the document")
    return document
