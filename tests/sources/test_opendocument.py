"""An OpenDocument text (.odt) is read from its content: headings with their outline levels, footnotes lifted
with their markers kept, list items with a bullet, a table row by row under its header rows, the title from its
metadata; a table of contents is left out."""

from __future__ import annotations

import pytest
from conftest import AFTER, BEFORE, ROWS, odf_document, odf_paragraph, odf_table

from assistant.sources.documents import build_document
from assistant.sources.loaders import SUPPORTED, load
from assistant.types import AssistantError, DocumentMeta

NOTE = "Kamerstukken II 2022/23, 26 643, nr. 1055."
CONTENTS = ('<text:table-of-content><text:index-body><text:p>Afspraken 2</text:p><text:p>Uitzonderingen 3</text:p>'
            "</text:index-body></text:table-of-content>")


def _nota(tmp_path, title: str | None = "Nota verantwoord datadelen", header: bool = True):
    body = (odf_paragraph("Nota datadeling", 1) + CONTENTS
            + odf_paragraph("De nota is vastgesteld op 3 maart 2023.", note=(1, NOTE))
            + odf_paragraph("Afspraken", 2) + odf_paragraph(BEFORE)
            + "<text:list><text:list-item>" + odf_paragraph("eerste afspraak;") + "</text:list-item>"
            + "<text:list-item>" + odf_paragraph('tweede<text:s text:c="2"/>afspraak.')
            + "</text:list-item></text:list>"
            + odf_table(ROWS, header=header) + odf_paragraph("Uitzonderingen", 3) + odf_paragraph(AFTER))
    return load(odf_document(tmp_path / "nota.odt", body, title))


def test_an_opendocument_text_is_read_by_its_structure(tmp_path):
    assert ".odt" in SUPPORTED
    rendering = _nota(tmp_path)
    assert rendering.format == "odt"
    assert [(b.text, b.level) for b in rendering.blocks if b.kind == "heading"] == [
        ("Nota datadeling", 1), ("Afspraken", 2), ("Uitzonderingen", 3)]
    assert rendering.metadata == {"title": "Nota verantwoord datadelen", "date": "2023-03-03"}
    paragraphs = [b.text for b in rendering.blocks]
    assert "• eerste afspraak;" in paragraphs and "• tweede afspraak." in paragraphs
    assert not any(p.startswith("Afspraken 2") for p in paragraphs), "the table of contents is left out"
    doc = build_document(DocumentMeta("n", "n"), [rendering], "h")
    assert doc.section_at(doc.text.index(AFTER))[-2:] == ("Afspraken", "Uitzonderingen")


def test_an_opendocument_footnote_is_lifted_and_its_marker_kept(tmp_path):
    rendering = _nota(tmp_path)
    assert [(n, f.text) for n, f in rendering.footnotes.items()] == [(1, NOTE)]
    doc = build_document(DocumentMeta("n", "n"), [rendering], "h")
    assert "vastgesteld op 3 maart 2023.¹" in doc.text and NOTE not in doc.text
    assert [number for _, number in doc.markers] == [1]


def test_an_opendocument_tables_rows_are_read_under_its_header_rows(tmp_path):
    rendering = _nota(tmp_path)
    assert [b.text for b in rendering.blocks if b.table is not None] == [" ".join(row) for row in ROWS]
    doc = build_document(DocumentMeta("n", "n"), [rendering], "h")
    assert doc.table_header(doc.text.index("Berichtenverkeer")) == " ".join(ROWS[0])


def test_an_opendocument_table_without_header_rows_keeps_its_rows(tmp_path):
    rendering = _nota(tmp_path, header=False)
    assert " ".join(ROWS[0]) in [b.text for b in rendering.blocks]
    assert all(b.table is None for b in rendering.blocks)


def test_without_a_title_in_its_metadata_the_first_heading_is_the_title(tmp_path):
    assert _nota(tmp_path, title=None).metadata["title"] == "Nota datadeling"


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"%PDF-1.7 renamed"])
def test_a_file_that_is_no_opendocument_text_gets_a_clear_error(tmp_path, content):
    path = tmp_path / "kapot.odt"
    path.write_bytes(content)
    with pytest.raises(AssistantError, match=r"kapot\.odt: not a readable OpenDocument text"):
        load(path)


def test_an_entity_in_an_opendocument_is_not_expanded(tmp_path):
    """The file is not trusted: an entity that would read a local file stays unexpanded."""
    import zipfile

    path = tmp_path / "entiteit.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", '<!DOCTYPE x [<!ENTITY geheim SYSTEM "file:///etc/passwd">]>'
                         '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                         'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
                         f"<text:p>{BEFORE} &geheim;</text:p></office:text></office:body></office:document-content>")
    rendering = load(path)
    assert rendering.blocks[0].text.startswith(BEFORE) and "root:" not in rendering.plain
