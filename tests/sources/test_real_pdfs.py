"""PDFs nobody here wrote (`tests/fixtures/real/`, with their sources and licences): pages, printed page numbers,
titles, sections, known sentences on their pages, and the web addresses the reference registry takes from them;
and, on a PDF made here, how an outline decides the headings."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assistant.enrich.refs.extract import extract
from assistant.sources.documents import build_document
from assistant.sources.loaders import load
from assistant.text import rules
from assistant.types import Document, DocumentMeta

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
CODE = rules.rule("layout", "code-line")


@cache
def _document(name: str) -> tuple[Document, int]:
    """The document as ingest reads it (title from the file), and its number of PDF pages."""
    from pypdf import PdfReader

    path = REAL / f"{name}.pdf"
    rendering = load(path)
    doc = build_document(DocumentMeta(name, rendering.metadata.get("title", name)), [rendering], "h")
    return doc, len(PdfReader(path).pages)


def _page_of(doc: Document, sentence: str) -> int:
    start = doc.text.index(sentence)
    return doc.pages_between(start, start + len(sentence))[0]


def test_the_title_a_running_head_repeats_is_the_title():
    doc, pages = _document("shared-mime-info-spec")
    assert doc.meta.title == "Shared MIME-info Database", "the first line, not the affiliation under it"
    assert pages == 17 and [p.number for p in doc.pages] == list(range(1, 18))
    assert "Shared MIME-info Database\n" not in doc.text, "the running head is no text of the pages"
    assert doc.markers == [] and '<?xml version="1.0"?>' in doc.text and "README.mp3" in doc.text, "no markers"


@pytest.mark.parametrize(("name", "sentence", "page", "section"), [
    ("shared-mime-info-spec", "This is version 0.21 of the Shared MIME-info Database specification, last updated "
     "2 October 2018.", 1, "1.1. Version"),
    ("shared-mime-info-spec", "The default weight value is 50, and the maximum is 100.", 4,
     "2.2. The source XML files"),
    ("libtasn1", "This version doesn’t handle the REAL type.", 3, "2.1 ASN.1 syntax"),
    ("libtasn1", "errorDescription: return the error description.", 9, "4.2 ASN.1 field functions"),
    # the body's numbers start again after the roman front matter (T-1, T-2, i, 1, 2): the PDF's page labels
    ("libtasn1", "The parser is case sensitive.", 2, "2.1 ASN.1 syntax"),
])
def test_a_known_sentence_on_its_printed_page_and_in_its_section(name, sentence, page, section):
    doc, _ = _document(name)
    assert _page_of(doc, sentence) == page
    path = doc.section_at(doc.text.index(sentence))
    assert (path[-1] if path else "") == section


def test_a_running_head_that_ends_in_the_page_number_is_furniture_and_gives_the_number():
    doc, pages = _document("libtasn1")
    assert doc.meta.title == "Libtasn1" and pages == 36
    assert "structure handling 3" not in doc.text and "Function reference 9" not in doc.text
    assert not any(part.startswith("Chapter ") for s in doc.sections for part in s.path)


@pytest.mark.parametrize("name", ["shared-mime-info-spec", "libtasn1"])
def test_no_line_of_code_opens_a_section(name):
    doc, _ = _document(name)
    assert len(doc.sections) >= 20
    assert [s.path[-1] for s in doc.sections if CODE.search(s.path[-1])] == []


@pytest.mark.parametrize(("name", "path"), [
    ("shared-mime-info-spec", ("2. Unified system", "2.5. The magic files")),
    ("libtasn1", ("4 Function reference", "4.2 ASN.1 field functions")),
    ("libtasn1", ("1 Introduction",)),  # a chapter's "1 Introduction" at the head of a page is no footnote
])
def test_the_outline_gives_the_sections_and_their_levels(name, path):
    doc, _ = _document(name)
    assert path in [s.path for s in doc.sections]
    assert doc.footnotes == {}


def test_web_addresses_in_markup_are_no_references_and_a_reference_list_is():
    spec, _ = _document("shared-mime-info-spec")
    pages = {}
    for m in extract(spec):
        pages.setdefault(m.id, set()).add(m.place.page)
    assert pages["url-freedesktop-org-standards-shared-mime-info"] == {4}, "not the xmlns= of the XML examples"
    assert {"url-kde-org", "url-gnome-org", "url-ietf-org-rfc-rfc2119-txt-number-2119"} <= set(pages)
    manual = {m.id for m in extract(_document("libtasn1")[0])}
    assert "url-gnu-org-gethelp" not in manual and "url-gnu-org-software-libtasn1" not in manual, "<https://...>"
    assert "url-gnu-org-copyleft" in manual, "'See http://www.gnu.org/copyleft/' cites it"


def test_an_outline_decides_which_lines_are_headings(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    body = "De gemeente werkt samen met de bibliotheek aan digitale hulp voor inwoners die dat nodig hebben. " * 2

    def line(text: str) -> None:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)

    line("Jaarplan Digitale Hulp")
    pdf.start_section("1 Inleiding", level=0)
    line("1 Inleiding")
    line(body)
    line("Losse regel zonder punt")  # stands alone like a heading, but the outline does not name it
    line(body)
    pdf.start_section("1.1 Doel", level=1)
    line("1.1 Doel")
    line(body)
    path = tmp_path / "jaarplan.pdf"
    pdf.output(str(path))
    rendering = load(path)
    assert [(b.text, b.level) for b in rendering.blocks if b.kind == "heading"] == [("1 Inleiding", 1), ("1.1 Doel", 2)]
    assert rendering.metadata["title"] == "Jaarplan Digitale Hulp"
    doc = build_document(DocumentMeta("j", "j"), [rendering], "h")
    assert ("1 Inleiding", "1.1 Doel") in [s.path for s in doc.sections]
