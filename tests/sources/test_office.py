"""Word (.docx) and OpenDocument (.odt) files, read by their structure: headings with their levels, list items
with their bullets, footnotes lifted with their markers kept, a table row by row under its header row, the title
from the file's properties; a file that is none of them gets a clear error."""

from __future__ import annotations

import zipfile

import pytest
from conftest import (
    AFTER,
    BEFORE,
    ROWS,
    odf_document,
    odf_paragraph,
    odf_table,
    word_document,
    word_list_item,
    word_paragraph,
    word_table,
)

from assistant.sources.documents import build_document
from assistant.sources.loaders import SUPPORTED, load
from assistant.types import AssistantError, DocumentMeta

NOTE = "Kamerstukken II 2022/23, 26 643, nr. 1055."
ITEMS = ["eerste afspraak;", "tweede afspraak."]
# A table of contents repeats the headings: it is left out.
CONTENTS = ('<text:table-of-content><text:index-body><text:p>Afspraken 2</text:p><text:p>Uitzonderingen 3</text:p>'
            "</text:index-body></text:table-of-content>")
NAMES = {"docx": "Word document", "odt": "OpenDocument text"}


def _word(tmp_path, title: str | None, header: bool):
    body = (word_paragraph("Nota datadeling", "Heading1")
            + word_paragraph("Afspraken 2", "TOC1") + word_paragraph("Uitzonderingen 3", "TOC1")
            + word_paragraph("De nota is vastgesteld op 3 maart 2023.", note=1)
            + word_paragraph("Afspraken", "Heading2") + word_paragraph(BEFORE) + "".join(map(word_list_item, ITEMS))
            + word_table(ROWS, header=header) + word_paragraph("Uitzonderingen", "Heading3") + word_paragraph(AFTER))
    return load(word_document(tmp_path / "nota.docx", body, [NOTE], title))


def _odf(tmp_path, title: str | None, header: bool):
    written = [ITEMS[0], ITEMS[1].replace(" ", '<text:s text:c="2"/>')]  # spaces as OpenDocument writes them
    items = "".join(f"<text:list-item>{odf_paragraph(i)}</text:list-item>" for i in written)
    body = (odf_paragraph("Nota datadeling", 1) + CONTENTS
            + odf_paragraph("De nota is vastgesteld op 3 maart 2023.", note=(1, NOTE))
            + odf_paragraph("Afspraken", 2) + odf_paragraph(BEFORE) + f"<text:list>{items}</text:list>"
            + odf_table(ROWS, header=header) + odf_paragraph("Uitzonderingen", 3) + odf_paragraph(AFTER))
    return load(odf_document(tmp_path / "nota.odt", body, title))


def _nota(tmp_path, fmt: str, title: str | None = "Nota verantwoord datadelen", header: bool = True):
    return (_word if fmt == "docx" else _odf)(tmp_path, title, header)


FORMATS = pytest.mark.parametrize("fmt", ["docx", "odt"])


@FORMATS
def test_a_document_is_read_by_its_structure(tmp_path, fmt):
    assert f".{fmt}" in SUPPORTED
    rendering = _nota(tmp_path, fmt)
    assert rendering.format == fmt
    headings = [(b.text, b.level) for b in rendering.blocks if b.kind == "heading"]
    top = headings[0][1]  # Word's "heading 1" stands a level below its Title style
    assert headings == [("Nota datadeling", top), ("Afspraken", top + 1), ("Uitzonderingen", top + 2)]
    assert rendering.metadata == {"title": "Nota verantwoord datadelen", "date": "2023-03-03"}
    paragraphs = [b.text for b in rendering.blocks]
    assert [f"• {i}" for i in ITEMS] == [p for p in paragraphs if p.startswith("•")]
    assert not any(p.startswith("Afspraken 2") for p in paragraphs), "no table of contents"
    doc = build_document(DocumentMeta("n", "n"), [rendering], "h")
    assert doc.section_at(doc.text.index(AFTER))[-2:] == ("Afspraken", "Uitzonderingen")


@FORMATS
def test_a_footnote_is_lifted_and_its_marker_kept(tmp_path, fmt):
    rendering = _nota(tmp_path, fmt)
    assert [(n, f.text) for n, f in rendering.footnotes.items()] == [(1, NOTE)]
    doc = build_document(DocumentMeta("n", "n"), [rendering], "h")
    assert "vastgesteld op 3 maart 2023.¹" in doc.text  # glued to its word, as a PDF's marker is
    assert NOTE not in doc.text and "↑" not in doc.text and "[1]" not in doc.text
    assert [number for _, number in doc.markers] == [1]


@FORMATS
def test_a_tables_rows_are_read_under_its_header_row(tmp_path, fmt):
    rendering = _nota(tmp_path, fmt)
    assert [b.text for b in rendering.blocks if b.table is not None] == [" ".join(row) for row in ROWS]
    doc = build_document(DocumentMeta("n", "n"), [rendering], "h")
    assert doc.table_header(doc.text.index("Berichtenverkeer")) == " ".join(ROWS[0])


def test_a_word_tables_first_row_is_its_header_even_unmarked(tmp_path):
    """Word marks a header row only where it repeats on every page; a table's first row is read as its header
    anyway, as a PDF's is."""
    rendering = _nota(tmp_path, "docx", header=False)
    assert [b.text for b in rendering.blocks if b.table is not None] == [" ".join(row) for row in ROWS]


def test_an_opendocument_table_without_header_rows_keeps_its_rows(tmp_path):
    """Writer marks a table's header rows unless asked not to: a table without them has none."""
    rendering = _nota(tmp_path, "odt", header=False)
    assert " ".join(ROWS[0]) in [b.text for b in rendering.blocks]
    assert all(b.table is None for b in rendering.blocks)


@FORMATS
def test_without_a_title_in_its_properties_the_first_heading_is_the_title(tmp_path, fmt):
    assert _nota(tmp_path, fmt, title=None).metadata["title"] == "Nota datadeling"


@FORMATS
def test_a_paragraph_in_the_title_style_heads_the_document(tmp_path, fmt):
    """The title heads the document and its first heading opens a section right under it, before any paragraph
    (Writer writes an edited title in a style of its own, "P1", made from "Title")."""
    if fmt == "docx":
        body = word_paragraph("Nota verantwoord datadelen", "Title") + word_paragraph("Aanleiding", "Heading1") + \
            word_paragraph(BEFORE)
        rendering = load(word_document(tmp_path / "nota.docx", body))
    else:
        body = ('<text:p text:style-name="P1">Nota verantwoord datadelen</text:p>' + odf_paragraph("Aanleiding", 1)
                + odf_paragraph(BEFORE))
        rendering = load(odf_document(tmp_path / "nota.odt", body,
                                      styles='<style:style style:name="P1" style:parent-style-name="Title"/>'))
    assert [(b.kind, b.text) for b in rendering.blocks][:2] == [
        ("heading", "Nota verantwoord datadelen"), ("heading", "Aanleiding")]
    assert rendering.metadata["title"] == "Nota verantwoord datadelen"
    doc = build_document(DocumentMeta("n", "n"), [rendering], "h")  # the first section opens right under it
    assert doc.section_at(doc.text.index(BEFORE)) == ("Aanleiding",)


@FORMATS
@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"%PDF-1.7 renamed"])
def test_a_file_that_is_no_such_document_gets_a_clear_error(tmp_path, fmt, content):
    path = tmp_path / f"kapot.{fmt}"
    path.write_bytes(content)
    with pytest.raises(AssistantError, match=rf"kapot\.{fmt}: not a readable {NAMES[fmt]}"):
        load(path)


def test_an_entity_in_an_opendocument_is_not_expanded(tmp_path):
    """The file is not trusted: an entity that would read a local file stays unexpanded."""
    path = tmp_path / "entiteit.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", '<!DOCTYPE x [<!ENTITY geheim SYSTEM "file:///etc/passwd">]>'
                         '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                         'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
                         f"<text:p>{BEFORE} &geheim;</text:p></office:text></office:body></office:document-content>")
    rendering = load(path)
    assert rendering.blocks[0].text.startswith(BEFORE) and "root:" not in rendering.plain


def test_an_opendocument_numbered_list_keeps_its_numbers(tmp_path):
    """A list whose style numbers its items is quoted with the numbers Writer shows; a bulleted one with bullets."""
    numbered = ('<text:list-style style:name="L1"><text:list-level-style-number text:level="1" style:num-format="1"/>'
                "</text:list-style>")
    items = "".join(f"<text:list-item>{odf_paragraph(i)}</text:list-item>" for i in ITEMS)
    body = (odf_paragraph("Nota", 1) + odf_paragraph("De afspraken:") + f'<text:list text:style-name="L1">{items}'
            + "</text:list>" + f"<text:list>{items}</text:list>")
    blocks = [b.text for b in load(odf_document(tmp_path / "nota.odt", body, styles=numbered)).blocks]
    assert blocks[2:] == [f"1. {ITEMS[0]}", f"2. {ITEMS[1]}", f"• {ITEMS[0]}", f"• {ITEMS[1]}"]
