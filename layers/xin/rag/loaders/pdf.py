"""PDF (.pdf) with pypdf: one section per page, located as ``"page N"``."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import DependencyError, PdfReadError, PyPdfError

from xin.domain import LoadedDocument, Section
from xin.errors import DocumentParseError, EmptyDocument
from xin.rag.loaders._common import make_document

logger = logging.getLogger(__name__)

_HEADER_WINDOW = 1024  # the PDF spec lets "%PDF-" start anywhere in the first kilobyte


def _open(data: bytes, source: str) -> PdfReader:
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise DocumentParseError(source, "not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader, source)
        if len(reader.pages) == 0:
            raise DocumentParseError(source, "PDF has no pages (truncated or corrupt file)")
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise DocumentParseError(source, f"corrupt or truncated PDF ({e})") from e
    return reader


def _decrypt(reader: PdfReader, source: str) -> None:
    try:
        opened = reader.decrypt("")
    except DependencyError as e:
        raise DocumentParseError(
            source, "PDF is encrypted with AES; decrypting it needs the 'cryptography' package"
        ) from e
    except (PdfReadError, NotImplementedError) as e:
        raise DocumentParseError(source, f"PDF uses unsupported encryption ({e})") from e
    if not opened:  # PasswordType.NOT_DECRYPTED == 0
        raise DocumentParseError(source, "PDF is password-protected; remove the password first")


def _title(reader: PdfReader) -> str:
    try:
        info = reader.metadata
        return str(info.title or "") if info is not None else ""
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        return ""


class PdfLoader:
    """Extracts the text layer of each page. Scanned PDFs without text need OCR first."""

    extensions: tuple[str, ...] = (".pdf",)

    def load(self, data: bytes, source: str) -> LoadedDocument:
        reader = _open(data, source)
        sections: list[Section] = []
        failed = 0
        for number, page in enumerate(reader.pages, start=1):
            try:
                text = page.extract_text() or ""
            except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as e:
                logger.warning("%s: cannot extract text from page %d: %s", source, number, e)
                failed += 1
                continue
            sections.append(Section(text=text, location=f"page {number}"))
        total = len(reader.pages)
        if failed == total:
            raise DocumentParseError(source, "text extraction failed on every page")
        metadata = {"pages": str(total)}
        if failed:
            metadata["pages_failed"] = str(failed)
        document = make_document(
            source,
            title=_title(reader),
            media_type="application/pdf",
            sections=sections,
            metadata=metadata,
        )
        if not document.sections:
            raise EmptyDocument(source, "no extractable text; scanned PDFs need OCR")
        return document
