"""Loaders on real files: what a user sees in titles, sections and error messages."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from xin.domain import LoadedDocument
from xin.errors import DocumentError, DocumentParseError, EmptyDocument, UnsupportedDocument
from xin.ports import Loader
from xin.rag.loaders import SUPPORTED_EXTENSIONS, load_document, loader_for

DOCUMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
ZWNJ = "\u200c"


def fixture(name: str) -> bytes:
    return (DOCUMENTS / name).read_bytes()


def load(name: str) -> LoadedDocument:
    return load_document(fixture(name), name)


def paths(doc: LoadedDocument) -> list[tuple[str, ...]]:
    return [s.heading_path for s in doc.sections]


# --- registry -------------------------------------------------------------------------


def test_supported_extensions_cover_every_documented_format() -> None:
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"} <= SUPPORTED_EXTENSIONS
    assert {".csv", ".tsv", ".json", ".jsonl", ".ndjson"} <= SUPPORTED_EXTENSIONS


@pytest.mark.parametrize("source", sorted(f"file{ext}" for ext in SUPPORTED_EXTENSIONS))
def test_every_loader_implements_the_port(source: str) -> None:
    loader = loader_for(source)
    assert isinstance(loader, Loader)
    assert source[source.rfind(".") :] in loader.extensions


@pytest.mark.parametrize(
    "source", ["REPORT.PDF", "s3://bucket/tenant/guide.Md", "C:\\docs\\faq.JSONL", "a/b.c/x.HTM"]
)
def test_extension_is_matched_case_insensitively_on_the_last_path_part(source: str) -> None:
    assert loader_for(source).extensions


@pytest.mark.parametrize("source", ["setup.exe", "archive.tar.gz", "README", ".env"])
def test_unsupported_types_name_the_supported_ones(source: str) -> None:
    with pytest.raises(UnsupportedDocument) as info:
        loader_for(source)
    assert ".pdf" in info.value.reason and ".docx" in info.value.reason
    assert info.value.source == source


def test_importing_the_registry_does_not_import_parser_libraries() -> None:
    code = (
        "import sys, xin.rag.loaders as l; l.loader_for('a.txt');"
        "heavy = {'pypdf', 'docx', 'bs4'} & set(sys.modules); assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n"])
def test_empty_files_are_empty_documents(data: bytes) -> None:
    with pytest.raises(EmptyDocument):
        load_document(data, "notes.txt")


def test_library_exceptions_become_parse_errors() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000  # json raises RecursionError
    with pytest.raises(DocumentParseError) as info:
        load_document(deep, "deep.json")
    assert "could not parse .json file" in info.value.reason


def test_malformed_word_xml_is_a_parse_error() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(DocumentParseError):
        load_document(buffer.getvalue(), "broken.docx")


# --- plain text ------------------------------------------------------------------------


def test_text_paragraphs_title_and_whitespace_normalisation() -> None:
    doc = load("release-notes.txt")
    assert doc.title == "Release notes 2.4"
    assert doc.media_type == "text/plain"
    assert [s.text for s in doc.sections] == [
        "Release notes 2.4",
        "Xin 2.4 adds Persian language support and faster ingestion.\n"
        "Large PDFs now load page by page.",
        "Known issues: scanned PDFs still need OCR.",
    ]


def test_text_legacy_windows_encoding_is_decoded() -> None:
    doc = load("windows-notes.txt")
    assert doc.title == "Café hours"
    assert "The café opens at 8 – bring your “badge”." in doc.text


def test_text_utf16_with_bom_and_persian() -> None:
    doc = load("utf16-notes.txt")
    assert doc.sections[-1].text == "سلام، خوش آمدید."


def test_text_utf8_bom_crlf_and_nfc() -> None:
    data = "\ufeffCafe\u0301 menu\r\n\r\nSoup of the day.\r\n".encode()
    doc = load_document(data, "menu.txt")
    assert doc.title == "Café menu"  # composed to U+00E9
    assert "\r" not in doc.text and "\ufeff" not in doc.text


def test_text_title_falls_back_to_the_file_stem() -> None:
    doc = load_document(("word " * 40 + "\n\nSecond paragraph.").encode(), "uploads/long-line.txt")
    assert doc.title == "long-line"


def test_binary_text_file_is_rejected() -> None:
    with pytest.raises(DocumentParseError) as info:
        load("binary.txt")
    assert "binary" in info.value.reason
    with pytest.raises(DocumentParseError, match="binary"):
        load_document(b"Quarterly report\n" * 100 + b"\x00", "report.txt")


# --- markdown ---------------------------------------------------------------------------


def test_markdown_front_matter_and_heading_paths() -> None:
    doc = load("guide.md")
    assert doc.title == "Xin Admin Guide"
    assert doc.media_type == "text/markdown"
    assert doc.metadata["author"] == "Docs Team"
    assert doc.metadata["tags"] == "setup, admin"
    assert paths(doc) == [
        ("Installing Xin",),
        ("Installing Xin", "Requirements"),
        ("Installing Xin", "Requirements", "Python packages"),
        ("Installing Xin", "Configuration"),  # setext H2 replaces its sibling and the H3
        ("Operating Xin",),
    ]


def test_markdown_code_fences_are_kept_intact() -> None:
    doc = load("guide.md")
    packages = doc.sections[2].text
    assert (
        "```bash\n# create the environment\npython -m venv .venv\n"
        "## this is a shell comment, not a heading\npip install xin\n```"
    ) in packages
    assert '~~~python\n# Not a heading either\nprint("ok")\n~~~' in doc.sections[-1].text


def test_markdown_markup_is_cleaned_but_code_kept() -> None:
    doc = load("guide.md")
    text = doc.text
    assert "Xin runs on AWS Lambda" in text and "**" not in text
    assert "See the quickstart\nfor the five-minute version." in text
    assert "https://example.com" not in text and "arch.png" not in text
    assert "generated from the wiki" not in text and "<!--" not in text
    assert "- Optional: Docker for the local stack" in text
    assert "the standard CloudWatch metrics" in text
    assert "`XIN_*`" in text and "`__init__`" in text
    assert "|------" not in text and "| rag.chunk_size | 1000 |" in text


def test_markdown_persian_text_survives_unchanged() -> None:
    doc = load("persian.md")
    source = fixture("persian.md").decode()
    assert doc.title == "راهنمای پشتیبانی"
    assert paths(doc)[1] == ("راهنمای پشتیبانی", "ساعات کاری")
    for section in doc.sections:
        assert section.text in source
    assert f"می{ZWNJ}توانید" in doc.text


@pytest.mark.parametrize(
    ("markdown", "title"),
    [
        ("Intro text.\n\n# First H1\n\nBody.\n\n# Second H1\n", "First H1"),
        ("Setext title\n============\n\nBody.\n", "Setext title"),
        ("No headings here, just text.\n", "plain-notes"),
    ],
)
def test_markdown_title_without_front_matter(markdown: str, title: str) -> None:
    assert load_document(markdown.encode(), "docs/plain-notes.md").title == title


def test_markdown_closing_hashes_are_stripped_but_not_from_words() -> None:
    doc = load_document(b"## C# tips ##\n\nUse `var`.\n\n### F#\n\nPipes.\n", "langs.md")
    assert paths(doc) == [("C# tips",), ("C# tips", "F#")]


def test_markdown_hash_without_space_and_thematic_breaks_are_not_headings() -> None:
    doc = load_document(b"# Tags\n\n#hashtag stays text\n\n---\n\nAfter the rule.\n", "t.md")
    assert paths(doc) == [("Tags",)]
    assert doc.text == "#hashtag stays text\n\nAfter the rule."


# --- html -------------------------------------------------------------------------------


def test_html_title_and_headings() -> None:
    doc = load("help-center.html")
    assert doc.title == "Help Center – Xin"
    assert doc.metadata == {"language": "en"}
    assert paths(doc) == [
        ("Help Center",),
        ("Help Center", "Accounts"),
        ("Help Center", "Accounts", "Deleting an account"),
        ("Help Center", "Plans"),
    ]


def test_html_page_chrome_and_hidden_content_are_dropped() -> None:
    text = load("help-center.html").text
    for unwanted in ("analytics", "font-family", "Sign in", "Pricing", "rights reserved"):
        assert unwanted not in text
    for unwanted in ("enable JavaScript", "Template text", "Internal note"):
        assert unwanted not in text


def test_html_blocks_become_readable_text() -> None:
    sections = load("help-center.html").sections
    assert sections[1].text == (
        "You can reset your password from the sign-in page.\n\n"
        "- Passwords expire after 90 days.\n- Two-factor authentication is recommended."
    )
    assert sections[2].text.endswith("within 30 days.\nThis cannot be undone.")
    assert "Plan | Price\nStarter | 10 EUR\nBusiness | 49 EUR" in sections[3].text
    assert 'curl https://api.example.com/v1/chat\n  -d \'{"question": "hi"}\'' in sections[3].text


def test_html_unclosed_list_items_and_deep_nesting_still_load() -> None:
    doc = load_document(b"<ul><li>Tea<li>Coffee<li>Water</ul>", "drinks.html")
    assert doc.text == "- Tea\n- Coffee\n- Water"
    deep = b"<ul>" + b"<li>item " * 5_000  # the stdlib parser nests every unclosed <li>
    assert load_document(deep, "deep.html").text.count("- item") == 5_000


def test_html_title_falls_back_to_first_h1() -> None:
    doc = load_document(b"<body><h1>Opening  hours</h1><p>9 to 5.</p></body>", "hours.htm")
    assert doc.title == "Opening hours"


# --- pdf --------------------------------------------------------------------------------


def test_pdf_one_section_per_page() -> None:
    doc = load("guide.pdf")
    assert doc.title == "Xin User Guide"
    assert doc.media_type == "application/pdf"
    assert [s.location for s in doc.sections] == ["page 1", "page 2"]
    assert "Every answer cites the page it came from." in doc.sections[0].text
    assert doc.sections[1].text.startswith("Billing and refunds\nRefunds are issued")


def test_pdf_with_owner_password_only_opens() -> None:
    assert load("restricted.pdf").sections[1].location == "page 2"


@pytest.mark.parametrize(
    ("name", "error", "reason"),
    [
        ("encrypted.pdf", DocumentParseError, "password-protected"),
        ("truncated.pdf", DocumentParseError, "corrupt or truncated"),
        ("scanned.pdf", EmptyDocument, "scanned PDFs need OCR"),
    ],
)
def test_broken_pdfs(name: str, error: type[DocumentError], reason: str) -> None:
    with pytest.raises(error) as info:
        load(name)
    assert type(info.value) is error
    assert reason in info.value.reason


def test_a_renamed_file_is_not_a_pdf() -> None:
    with pytest.raises(DocumentParseError, match="not a PDF"):
        load_document(fixture("faq.csv"), "faq.pdf")


# --- docx -------------------------------------------------------------------------------


def test_docx_headings_lists_and_tables() -> None:
    doc = load("handbook.docx")
    assert doc.title == "Xin Operations Handbook"
    assert doc.metadata["author"] == "Xin Team"
    assert paths(doc) == [
        ("Operations Handbook", "Support"),
        ("Operations Handbook", "Support", "Escalation"),
        ("Operations Handbook", "Pricing"),
    ]
    assert doc.sections[1].text.endswith("- Page the on-call engineer\n- Open an incident ticket")
    assert doc.sections[2].text == (
        "Plans are billed monthly.\n\n"
        "Plan | Price | Seats\nStarter | 10 EUR | 3\nBusiness | 49 EUR | 25\n"
        "Enterprise | Contact sales\n\n"  # a merged cell appears once
        "Prices exclude VAT."
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("not-a-zip.docx", "not a valid .docx file"),
        ("zip-bomb.docx", "exceeds the 100 MB limit"),
    ],
)
def test_broken_docx(name: str, reason: str) -> None:
    with pytest.raises(DocumentParseError) as info:
        load(name)
    assert reason in info.value.reason


def test_a_zip_without_a_word_body_is_rejected() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DocumentParseError, match=r"word/document\.xml is missing"):
        load_document(buffer.getvalue(), "spreadsheet.docx")


# --- csv --------------------------------------------------------------------------------


def test_csv_faq_rows_become_questions() -> None:
    doc = load("faq.csv")
    assert doc.title == "faq"
    assert doc.metadata["format"] == "faq"
    assert [s.location for s in doc.sections] == ["row 1", "row 2", "row 3"]
    first = doc.sections[0]
    assert first.heading_path == ("How do I reset my password?",)
    assert first.text == (
        'How do I reset my password?\nOpen the sign-in page and choose "Forgot password".'
    )
    assert doc.sections[2].heading_path == ("چگونه اشتراک را لغو کنم؟",)


def test_csv_rows_with_sniffed_delimiter() -> None:
    doc = load("products.csv")
    assert "format" not in doc.metadata
    assert doc.sections[0].text == "sku: A-100; name: Desk lamp; price: 29.90; in stock: yes"
    assert [s.location for s in doc.sections] == ["row 1", "row 2", "row 4"]  # row 3 is blank
    assert all(s.heading_path == () for s in doc.sections)


@pytest.mark.parametrize(
    "header", ["question,answer", "Q,A", "سوال,پاسخ", "Frage,Antwort", "Prompt,Response"]
)
def test_csv_faq_column_names(header: str) -> None:
    data = f"{header}\nWhat?,That.\n".encode()
    section = load_document(data, "faq.csv").sections[0]
    assert section.heading_path == ("What?",)
    assert section.text == "What?\nThat."


def test_tsv_and_header_only_files() -> None:
    doc = load_document(b"city\tphone\nBerlin\t+49 30 1234\n", "offices.tsv")
    assert doc.media_type == "text/tab-separated-values"
    assert doc.sections[0].text == "city: Berlin; phone: +49 30 1234"
    with pytest.raises(EmptyDocument):
        load_document(b"question,answer\n", "empty.csv")


# --- json -------------------------------------------------------------------------------


def test_json_faq_nested_in_an_object() -> None:
    doc = load("faq.json")
    assert doc.title == "Billing FAQ"
    assert paths(doc) == [("When am I billed?",), ("Do you accept PayPal?",), ("Is VAT included?",)]
    assert [s.location for s in doc.sections] == ["record 1", "record 2", "record 3"]
    assert doc.sections[1].text == (
        "Do you accept PayPal?\nYes, for annual plans.\nMonthly plans need a card."
    )


def test_jsonl_faq_with_prompt_response_and_persian() -> None:
    doc = load("faq.jsonl")
    assert doc.media_type == "application/x-ndjson"
    assert doc.sections[0].text == "What is Xin?\nAn open-source RAG chatbot platform."
    assert doc.sections[2].heading_path == ("آیا Xin رایگان است؟",)
    assert f"متن{ZWNJ}باز" in doc.sections[2].text


def test_other_json_is_flattened_with_nested_keys_as_headings() -> None:
    doc = load("settings.json")
    assert [(s.heading_path, s.text) for s in doc.sections] == [
        ((), "languages: en, de, fa\nsupport_email: help@acme.example\npremium: true"),
        (
            ("company",),
            "company.name: Acme GmbH\ncompany.address.city: Berlin\ncompany.address.zip: 10115",
        ),
        (
            ("opening_hours",),
            "opening_hours.1.day: Mon-Fri\nopening_hours.1.hours: 9-17\n"
            "opening_hours.2.day: Sat\nopening_hours.2.hours: 10-14",
        ),
    ]


def test_json_list_of_plain_records_is_one_section_per_record() -> None:
    records = [{"name": "Lamp", "price": 29.9}, {"name": "Chair", "price": 149}]
    doc = load_document(json.dumps(records).encode(), "products.json")
    assert [s.text for s in doc.sections] == ["name: Lamp\nprice: 29.9", "name: Chair\nprice: 149"]
    assert [s.location for s in doc.sections] == ["record 1", "record 2"]


def test_json_lines_in_a_json_file_are_accepted() -> None:
    doc = load_document(fixture("faq.jsonl"), "faq.json")
    assert len(doc.sections) == 3


def test_malformed_jsonl_names_the_line() -> None:
    with pytest.raises(DocumentParseError) as info:
        load("broken.jsonl")
    assert "line 3" in info.value.reason


def test_malformed_json_names_the_position() -> None:
    with pytest.raises(DocumentParseError) as info:
        load_document(b'{\n  "faq": [\n    {"q": "x", "a": "y"},\n  ]\n}', "faq.json")
    assert "line 4, column 3" in info.value.reason


# --- a batch ----------------------------------------------------------------------------

EXPECTED_FAILURES: dict[str, type[DocumentError]] = {
    "binary.txt": DocumentParseError,
    "broken.jsonl": DocumentParseError,
    "encrypted.pdf": DocumentParseError,
    "not-a-zip.docx": DocumentParseError,
    "scanned.pdf": EmptyDocument,
    "setup.exe": UnsupportedDocument,
    "truncated.pdf": DocumentParseError,
    "zip-bomb.docx": DocumentParseError,
}


def test_one_broken_file_never_stops_the_batch() -> None:
    loaded: dict[str, LoadedDocument] = {}
    failed: dict[str, DocumentError] = {}
    files = sorted(DOCUMENTS.iterdir())
    for path in files:
        try:
            loaded[path.name] = load_document(path.read_bytes(), path.name)
        except DocumentError as e:
            failed[path.name] = e
    assert {name: type(e) for name, e in failed.items()} == EXPECTED_FAILURES
    assert all(e.reason and e.source == name for name, e in failed.items())
    assert len(loaded) == len(files) - len(EXPECTED_FAILURES) >= 14
    for doc in loaded.values():
        assert doc.title and doc.sections
        assert all(s.text.strip() and s.text == s.text.strip() for s in doc.sections)


def test_fixtures_stay_small() -> None:
    assert all(p.stat().st_size < 20_000 for p in DOCUMENTS.iterdir())
