"""A Word document (.docx) is read by its styles: headings with their levels, footnotes lifted with their markers
kept, a table row by row under its header row, the title from the file's properties."""

from __future__ import annotations

import pytest
from conftest import AFTER, BEFORE, ROWS, word_document, word_paragraph, word_table

from assistant.sources.documents import build_document
from assistant.sources.loaders import SUPPORTED, load
from assistant.types import AssistantError, DocumentMeta

NOTE = "Kamerstukken II 2022/23, 26 643, nr. 1055."


def _nota(tmp_path, title: str | None = "Nota verantwoord datadelen", header: bool = True):
    body = (word_paragraph("Nota datadeling", "Heading1")
            + word_paragraph("De nota is vastgesteld op 3 maart 2023.", note=1)
            + word_paragraph("Afspraken", "Heading2") + word_paragraph(BEFORE)
            + word_table(ROWS, header=header) + word_paragraph("Uitzonderingen", "Heading3") + word_paragraph(AFTER))
    return load(word_document(tmp_path / "nota.docx", body, [NOTE], title))


def test_a_word_document_is_read_by_its_styles(tmp_path):
    assert ".docx" in SUPPORTED
    rendering = _nota(tmp_path)
    assert rendering.format == "docx"
    assert [(b.text, b.level) for b in rendering.blocks if b.kind == "heading"] == [
        ("Nota datadeling", 1), ("Afspraken", 2), ("Uitzonderingen", 3)]
    assert rendering.metadata == {"title": "Nota verantwoord datadelen", "date": "2023-03-03"}
    doc = build_document(DocumentMeta("n", "n"), [rendering], "h")
    assert doc.section_at(doc.text.index(AFTER))[-2:] == ("Afspraken", "Uitzonderingen")


def test_a_word_documents_footnote_is_lifted_and_its_marker_kept(tmp_path):
    rendering = _nota(tmp_path)
    assert [(n, f.text) for n, f in rendering.footnotes.items()] == [(1, NOTE)]
    doc = build_document(DocumentMeta("n", "n"), [rendering], "h")
    assert "vastgesteld op 3 maart 2023.¹" in doc.text  # glued to its word, as a PDF's marker is
    assert NOTE not in doc.text and "↑" not in doc.text and "[1]" not in doc.text
    assert [number for _, number in doc.markers] == [1]


def test_a_word_tables_rows_are_read_under_its_header_row(tmp_path):
    rendering = _nota(tmp_path)
    assert [b.text for b in rendering.blocks if b.table is not None] == [" ".join(row) for row in ROWS]
    doc = build_document(DocumentMeta("n", "n"), [rendering], "h")
    assert doc.table_header(doc.text.index("Berichtenverkeer")) == " ".join(ROWS[0])


def test_a_word_tables_first_row_is_its_header_even_unmarked(tmp_path):
    """Word marks a header row only where it repeats on every page; a table's first row is read as its header
    anyway, as a PDF's is."""
    rendering = _nota(tmp_path, header=False)
    assert [b.text for b in rendering.blocks if b.table is not None] == [" ".join(row) for row in ROWS]
    doc = build_document(DocumentMeta("n", "n"), [rendering], "h")
    assert doc.table_header(doc.text.index("Berichtenverkeer")) == " ".join(ROWS[0])


def test_without_a_title_in_its_properties_the_first_heading_is_the_title(tmp_path):
    assert _nota(tmp_path, title=None).metadata["title"] == "Nota datadeling"


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"%PDF-1.7 renamed"])
def test_a_file_that_is_no_word_document_gets_a_clear_error(tmp_path, content):
    path = tmp_path / "kapot.docx"
    path.write_bytes(content)
    with pytest.raises(AssistantError, match=r"kapot\.docx: not a readable Word document"):
        load(path)


def test_a_paragraph_in_words_title_style_heads_the_document(tmp_path):
    body = word_paragraph("Nota verantwoord datadelen", "Title") + word_paragraph("Aanleiding", "Heading1") + \
        word_paragraph(BEFORE)
    rendering = load(word_document(tmp_path / "nota.docx", body))
    assert [(b.kind, b.text) for b in rendering.blocks][:2] == [
        ("heading", "Nota verantwoord datadelen"), ("heading", "Aanleiding")]
    assert rendering.metadata["title"] == "Nota verantwoord datadelen"
