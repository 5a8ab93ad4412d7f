"""The chunker: heading boundaries, sizes, overlap, stable ids and Persian sentences."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from xin.domain import Chunk, LoadedDocument, Section
from xin.rag.chunking import chunk_document, join_locations
from xin.rag.loaders import load_document

DOCUMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
ZWNJ = "\u200c"
WORDS = [
    *("invoice", "refund", "account", "password", "server", "region", "backup", "tenant"),
    *("upload", "search", "answer", "citation", "latency", "quota", "billing", "export"),
    *("import", "support", "ticket", "engineer"),
]


def sentence(n: int, length: int = 12) -> str:
    """A deterministic, distinguishable sentence: 'S<n> word word … word.'"""
    words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(length)]
    return f"S{n} " + " ".join(words) + "."


def paragraph(first: int, count: int, length: int = 12) -> str:
    return " ".join(sentence(n, length) for n in range(first, first + count))


def document(*sections: Section) -> LoadedDocument:
    return LoadedDocument(
        source="doc.md", title="Doc", media_type="text/markdown", sections=sections
    )


def chunks_of(doc: LoadedDocument, max_chars: int = 400, overlap_chars: int = 80) -> list[Chunk]:
    return chunk_document(
        doc, tenant="acme", document_id="doc-1", max_chars=max_chars, overlap_chars=overlap_chars
    )


def shared_edge(previous: str, following: str) -> str:
    """The longest end of ``previous`` that ``following`` starts with."""
    for size in range(min(len(previous), len(following)), 0, -1):
        if previous.endswith(following[:size]):
            return following[:size]
    return ""


LONG_DOC = document(
    Section(paragraph(0, 3), ("Guide", "Install"), "page 1"),
    Section(paragraph(3, 25) + "\n\n" + paragraph(28, 4), ("Guide", "Install"), "page 2"),
    Section(paragraph(32, 2), ("Guide", "Billing"), "page 3"),
    Section(paragraph(34, 40, length=30), ("Guide", "Billing"), "page 4"),
)


# --- arguments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("max_chars", "overlap_chars"), [(99, 0), (0, 0), (200, -1), (200, 100), (200, 150)]
)
def test_invalid_sizes_are_rejected(max_chars: int, overlap_chars: int) -> None:
    with pytest.raises(ValueError, match=r"max_chars|overlap_chars"):
        chunks_of(LONG_DOC, max_chars=max_chars, overlap_chars=overlap_chars)


@pytest.mark.parametrize(("tenant", "document_id"), [("", "doc"), ("acme", "")])
def test_tenant_and_document_are_required(tenant: str, document_id: str) -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        chunk_document(LONG_DOC, tenant=tenant, document_id=document_id)


def test_an_empty_document_has_no_chunks() -> None:
    assert chunks_of(document()) == []


# --- boundaries and sizes ---------------------------------------------------------------


def test_a_new_heading_starts_a_new_chunk() -> None:
    doc = document(
        Section("Short install note.", ("Install",)),
        Section("Short billing note.", ("Billing",)),
        Section("Another install note.", ("Install",)),
    )
    chunks = chunks_of(doc)
    assert [(c.heading_path, c.text) for c in chunks] == [
        (("Install",), "Short install note."),
        (("Billing",), "Short billing note."),
        (("Install",), "Another install note."),
    ]
    assert [c.heading for c in chunks] == ["Install", "Billing", "Install"]


def test_sections_under_the_same_heading_are_packed_and_located_together() -> None:
    doc = document(
        Section("Page one text.", (), "page 2"),
        Section("Page two text.", (), "page 3"),
        Section("Page three text.", (), "page 4"),
    )
    [chunk] = chunks_of(doc)
    assert chunk.text == "Page one text.\n\nPage two text.\n\nPage three text."
    assert chunk.location == "page 2–4"


@pytest.mark.parametrize(
    ("locations", "joined"),
    [
        (["page 2", "page 2"], "page 2"),
        (["page 2", "page 3"], "page 2–3"),
        (["row 1", "row 4", "row 5"], "row 1, 4, 5"),
        (["page 9", "", "section A"], "page 9, section A"),
        ([], ""),
    ],
)
def test_locations_are_joined_readably(locations: list[str], joined: str) -> None:
    assert join_locations(locations) == joined


@pytest.mark.parametrize(
    ("max_chars", "overlap_chars"), [(100, 0), (250, 40), (400, 80), (1000, 150)]
)
def test_chunks_respect_the_size_limit_and_lose_nothing(max_chars: int, overlap_chars: int) -> None:
    chunks = chunks_of(LONG_DOC, max_chars=max_chars, overlap_chars=overlap_chars)
    assert len(chunks) > 1
    assert all(0 < len(c.text) <= max_chars + overlap_chars for c in chunks)
    sentences = re.findall(r"S\d+ [a-z ]+\.", LONG_DOC.text)
    if max_chars >= 400:  # every sentence fits whole in a chunk
        for s in sentences:
            assert any(s in c.text for c in chunks), s
    words = " ".join(c.text for c in chunks).split()
    assert set(words) == set(LONG_DOC.text.split())


def test_chunks_never_cross_headings_and_keep_their_order() -> None:
    chunks = chunks_of(LONG_DOC)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    install = [c for c in chunks if c.heading_path == ("Guide", "Install")]
    billing = [c for c in chunks if c.heading_path == ("Guide", "Billing")]
    assert install and billing and len(install) + len(billing) == len(chunks)
    assert all("S33 " not in c.text for c in install)  # S32-S33 are billing sentences
    assert all("S31 " not in c.text for c in billing)
    assert chunks[0].location == "page 1–2"
    assert billing[-1].location == "page 4"


def test_paragraphs_are_kept_whole_when_they_fit() -> None:
    paragraphs = [paragraph(n * 2, 2) for n in range(6)]  # ~190 chars each
    chunks = chunks_of(document(Section("\n\n".join(paragraphs))), overlap_chars=0)
    for chunk in chunks:
        for part in chunk.text.split("\n\n"):
            assert part in paragraphs


def test_consecutive_chunks_overlap_with_whole_sentences() -> None:
    chunks = chunks_of(
        document(Section(paragraph(0, 30, length=6))), max_chars=300, overlap_chars=120
    )
    assert len(chunks) > 3
    for previous, following in itertools.pairwise(chunks):
        edge = shared_edge(previous.text, following.text)
        assert 20 <= len(edge) <= 120
        assert re.match(r"S\d+ ", following.text), following.text[:30]  # starts a sentence


def test_no_overlap_reproduces_the_text_exactly() -> None:
    text = paragraph(0, 40)
    chunks = chunks_of(document(Section(text)), max_chars=300, overlap_chars=0)
    assert " ".join(c.text for c in chunks) == text


def test_overlap_never_crosses_a_heading() -> None:
    chunks = chunks_of(LONG_DOC)
    first_billing = next(c for c in chunks if c.heading_path == ("Guide", "Billing"))
    assert first_billing.text.startswith("S32 ")


def test_a_tiny_tail_is_merged_into_the_previous_chunk() -> None:
    body = paragraph(0, 4) + " Short tail sentence."
    assert 391 < len(body) <= 400  # fills a chunk, so "Thanks!" would be left on its own
    chunks = chunks_of(document(Section(body + "\n\nThanks!")), max_chars=400, overlap_chars=50)
    assert [c.text for c in chunks] == [body + "\n\nThanks!"]


def test_a_larger_tail_gets_its_own_chunk() -> None:
    body = paragraph(0, 3) + " Short tail sentence. One more."
    tail = paragraph(10, 1)  # ~97 characters: more than a fifth of max_chars
    assert 400 < len(body) + 2 + len(tail) <= 450  # merging would fit, but is not wanted
    chunks = chunks_of(document(Section(body + "\n\n" + tail)), max_chars=400, overlap_chars=50)
    assert len(chunks) == 2
    assert chunks[0].text == body
    assert chunks[1].text.endswith(tail)


def test_a_tiny_tail_stays_apart_when_merging_would_be_too_long() -> None:
    body = (paragraph(0, 4) + " " + "z" * 40)[:400]
    tail = "A short closing sentence that is well under eighty characters."
    chunks = chunks_of(document(Section(body + "\n\n" + tail)), max_chars=400, overlap_chars=50)
    assert chunks[0].text == body
    assert chunks[-1].text.endswith(tail) and len(chunks) == 2
    assert all(len(c.text) <= 450 for c in chunks)


# --- long paragraphs and sentences -----------------------------------------------------


def test_a_long_paragraph_is_split_at_sentence_ends() -> None:
    chunks = chunks_of(document(Section(paragraph(0, 20))), max_chars=300, overlap_chars=0)
    assert len(chunks) > 3
    assert all(c.text.endswith(".") and re.match(r"S\d+ ", c.text) for c in chunks)


def test_persian_sentences_are_split_at_persian_punctuation() -> None:
    sentences = [
        f"آیا می{ZWNJ}توانم سفارش شماره {n} را تا پایان هفته لغو کنم و پولم را پس بگیرم؟"
        if n % 2
        else f"بله، سفارش شماره {n} را می{ZWNJ}توانید از صفحهٔ حساب کاربری لغو کنید۔"
        for n in range(20)
    ]
    text = " ".join(sentences)
    chunks = chunks_of(document(Section(text, ("پشتیبانی",))), max_chars=300, overlap_chars=0)
    assert len(chunks) > 2
    for chunk in chunks:
        assert chunk.text.endswith(("؟", "۔"))
        assert chunk.heading_path == ("پشتیبانی",)
        for part in re.split(r"(?<=[؟۔]) ", chunk.text):
            assert part in sentences
    assert all(f"می{ZWNJ}توان" in c.text for c in chunks)


def test_a_long_sentence_is_split_between_words() -> None:
    text = " ".join(WORDS * 20)  # no sentence end at all
    chunks = chunks_of(document(Section(text)), max_chars=150, overlap_chars=0)
    assert all(len(c.text) <= 150 for c in chunks)
    assert all(set(c.text.split()) <= set(WORDS) for c in chunks)  # no word was cut
    assert " ".join(c.text for c in chunks) == text


def test_text_without_spaces_is_cut_hard_as_a_last_resort() -> None:
    text = "x" * 2_500
    chunks = chunks_of(document(Section(text)), max_chars=1000, overlap_chars=0)
    assert [len(c.text) for c in chunks] == [1000, 1000, 500]


def test_newlines_split_long_paragraphs_too() -> None:
    lines = [f"- item {n}: {' '.join(WORDS[:8])}" for n in range(30)]
    chunks = chunks_of(document(Section("\n".join(lines))), max_chars=300, overlap_chars=0)
    for chunk in chunks:
        assert all(line in lines for line in chunk.text.split("\n"))


# --- ids --------------------------------------------------------------------------------


def test_ids_are_stable_unique_and_short() -> None:
    first = chunks_of(LONG_DOC)
    again = chunks_of(LONG_DOC)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    assert len({c.chunk_id for c in first}) == len(first)
    assert all(re.fullmatch(r"doc-1:\d+:[0-9a-f]{12}", c.chunk_id) for c in first)


def test_an_edit_changes_only_the_ids_of_changed_chunks() -> None:
    before = chunks_of(LONG_DOC)
    edited = document(
        *LONG_DOC.sections[:3],
        Section("Completely new billing text.", ("Guide", "Billing"), "page 4"),
    )
    after = chunks_of(edited)
    unchanged = [c for c in before if c.heading_path == ("Guide", "Install")]
    assert [c.chunk_id for c in after[: len(unchanged)]] == [c.chunk_id for c in unchanged]
    assert after[-1].chunk_id not in {c.chunk_id for c in before}


def test_ids_depend_on_the_tenant() -> None:
    ours = chunk_document(LONG_DOC, tenant="acme", document_id="doc-1")
    theirs = chunk_document(LONG_DOC, tenant="globex", document_id="doc-1")
    assert not {c.chunk_id for c in ours} & {c.chunk_id for c in theirs}
    assert all(c.tenant == "acme" and c.document_id == "doc-1" for c in ours)


# --- with the loaders -------------------------------------------------------------------


def test_loaded_markdown_chunks_keep_headings_and_code() -> None:
    doc = load_document((DOCUMENTS / "guide.md").read_bytes(), "guide.md")
    chunks = chunk_document(doc, tenant="acme", document_id="guide")
    assert [c.heading for c in chunks] == [
        "Installing Xin",
        "Installing Xin > Requirements",
        "Installing Xin > Requirements > Python packages",
        "Installing Xin > Configuration",
        "Operating Xin",
    ]
    assert "## this is a shell comment, not a heading" in chunks[2].text


def test_loaded_pdf_pages_share_a_chunk_with_a_page_range() -> None:
    doc = load_document((DOCUMENTS / "guide.pdf").read_bytes(), "guide.pdf")
    [chunk] = chunk_document(doc, tenant="acme", document_id="guide-pdf")
    assert chunk.location == "page 1–2"
    assert "Refunds are issued within 14 days" in chunk.text
