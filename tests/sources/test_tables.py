"""A PDF's ruled tables are read row by row: each row, its wrapped cells joined, is a paragraph of its own."""

from __future__ import annotations

import json

import pytest
from conftest import AFTER, BEFORE, ROWS, table_markdown, table_page, table_text
from conftest import table_report as _report

from assistant.sources.documents import build_document
from assistant.sources.loaders import load
from assistant.sources.loaders.tables import Table, draws_rules, split
from assistant.text.sentences import sentence_spans
from assistant.types import Document, DocumentMeta, TableSpan


def test_each_row_of_a_ruled_table_is_a_paragraph_with_its_wrapped_cells_joined(tmp_path):
    rendering = load(_report(tmp_path / "monitor.pdf", ROWS))
    paragraphs = [b.text for b in rendering.blocks if b.kind == "para"]
    rows = [" ".join(row) for row in ROWS]
    assert all(row in paragraphs for row in rows), paragraphs
    assert paragraphs.index(rows[0]) + 3 == paragraphs.index(rows[-1]), "the rows in their order, nothing between"
    assert BEFORE in paragraphs and AFTER in paragraphs, "the text around the table is read as before"
    doc = build_document(DocumentMeta("m", "m"), [rendering], "h")
    sentences = [doc.text[a:b] for a, b in sentence_spans(doc.text)]
    assert "Identificatie en authenticatie (DigiD en eHerkenning) 148,0 156,3 +8,3" in sentences
    assert all(b.page == 1 for b in rendering.blocks)


def test_a_table_without_rulings_is_read_as_text(tmp_path):
    rendering = load(_report(tmp_path / "plain.pdf", ROWS, ruled=False))
    text = " ".join(b.text for b in rendering.blocks)
    assert "Basisregistraties 122,4 119,8 -2,6" in text
    assert "Identificatie en authenticatie (DigiD en eHerkenning) 148,0 156,3 +8,3" not in [
        b.text for b in rendering.blocks], "no rows are made up where pdfplumber finds no table"


TABLE = Table(["Kenmerk 2021 2022", "Inlogsessies met DigiD (miljoen) 561 623", "Aandeel via de DigiD-app 44% 52%"])


@pytest.mark.parametrize(("lines", "kept"), [
    (["Tekst ervoor.", "Kenmerk 2021 2022", "Inlogsessies met DigiD", "(miljoen)", "561 623",
      "Aandeel via de DigiD-", "app 44% 52%", "Tekst erna."], (["Tekst ervoor."], ["Tekst erna."])),
    (["Kenmerk 2021 2022", "Inlogsessies met DigiD (miljoen) 561 623", "Aandeel via de", "DigiD-app 44% 52%"],
     ([], [])),
])
def test_the_lines_that_hold_a_table_are_replaced_by_it(lines, kept):
    before, after = kept
    assert split(lines, [TABLE]) == [p for p in (before, TABLE, after) if p]


@pytest.mark.parametrize("lines", [
    ["Kenmerk 2021 2022", "Inlogsessies met eHerkenning", "38 45"],  # other words: another table
    ["Tekst ervoor.", "Inlogsessies met DigiD (miljoen) 561 623"],  # not from its first word
])
def test_lines_that_do_not_hold_the_table_stay(lines):
    assert split(lines, [TABLE]) == [lines]


def test_a_tables_rows_stay_in_one_passage_with_their_header(tmp_path):
    from assistant.config import ChunkingSettings
    from assistant.sources.chunking import chunk_document

    doc = build_document(DocumentMeta("m", "m"), [load(_report(tmp_path / "monitor.pdf", ROWS))], "h")
    [table] = doc.tables
    assert doc.text[table.start : table.header_end] == "Onderdeel Begroot Gerealiseerd Verschil"
    row = doc.text.index("Berichtenverkeer")
    assert doc.table_header(row) == "Onderdeel Begroot Gerealiseerd Verschil"
    assert doc.table_header(doc.text.index("Onderdeel")) is None and doc.table_header(doc.text.index(AFTER)) is None
    # the rows a row stands among, each whole, itself and the header left out; none outside the rows
    assert doc.rows_beside(row) == [" ".join(ROWS[1]), " ".join(ROWS[3])]
    assert doc.rows_beside(doc.text.index("Basisregistraties")) == [" ".join(r) for r in ROWS[1:3]]
    assert doc.rows_beside(doc.text.index("Onderdeel")) == [] and doc.rows_beside(doc.text.index(AFTER)) == []
    small = ChunkingSettings(target_chars=200, max_chars=400, overlap_sentences=0)
    holding = [c for c in chunk_document(doc, small) if "Berichtenverkeer" in c.text]
    assert holding and all("Onderdeel Begroot" in c.text and "Basisregistraties" in c.text for c in holding)


def test_the_index_keeps_where_the_tables_are(tmp_path):
    from assistant.index.documents import document_from_dict, document_to_dict

    doc = build_document(DocumentMeta("m", "m"), [load(_report(tmp_path / "monitor.pdf", ROWS))], "h")
    again = document_from_dict(json.loads(json.dumps(document_to_dict(doc))))
    assert again.tables == doc.tables and len(again.tables) == 1
    assert again.table_header(again.text.index("Basisregistraties")) == "Onderdeel Begroot Gerealiseerd Verschil"


@pytest.mark.parametrize(("content", "draws"), [
    (b"q 0.5 w 56.7 700.2 120 18 re S Q", True),  # a cell's border
    (b"0 0 m 100.5 0 l S", True),  # a rule
    (b"BT /F1 12 Tf 72 712 Td (Tabel 1 re l) Tj ET", False),  # text only, whatever it says
    (b"", False),
])
def test_only_a_page_that_draws_rules_is_searched_for_tables(content, draws):
    assert draws_rules(content) is draws


def test_a_caption_opens_no_section(tmp_path):
    """The sentences after a table stand in the section the caption stands in, not under the caption."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    for line in ["Rapport uitgaven", "", BEFORE * 2, "", "2. Kosten en financiering", "", BEFORE, "",
                 "Tabel 4. Uitgaven generieke digitale infrastructuur 2024 (miljoen euro)", "", AFTER * 2]:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "rapport.pdf"))
    doc = build_document(DocumentMeta("r", "r"), [load(tmp_path / "rapport.pdf")], "h")
    assert "Tabel 4." in doc.text
    assert doc.section_at(doc.text.index(AFTER)) == ("2. Kosten en financiering",)


@pytest.mark.parametrize(("name", "write"), [
    ("monitor.html", table_page), ("monitor.md", table_markdown), ("monitor.txt", table_text),
    ("aligned.txt", lambda rows: table_text(rows, aligned=True))])
def test_a_web_page_markdown_or_text_tables_rows_are_paragraphs_under_its_header(tmp_path, name, write):
    """A row is one paragraph, its cells in reading order, not one paragraph per cell (a figure alone, "91,2")
    nor the whole table as one; the table is marked, so its header is what its rows are read under."""
    (tmp_path / name).write_text(write(ROWS), encoding="utf-8")
    rendering = load(tmp_path / name)
    paragraphs = [b.text for b in rendering.blocks]
    assert [b.text for b in rendering.blocks if b.table is not None] == [" ".join(row) for row in ROWS]
    assert BEFORE in paragraphs and AFTER in paragraphs and "91,2" not in paragraphs
    doc = build_document(DocumentMeta("m", "m"), [rendering], "h")
    assert len(doc.tables) == 1
    assert doc.table_header(doc.text.index("Berichtenverkeer")) == "Onderdeel Begroot Gerealiseerd Verschil"
    assert doc.table_header(doc.text.index(AFTER)) is None


def test_a_web_page_table_without_a_header_row_keeps_its_rows_but_marks_none(tmp_path):
    """Without `<thead>` or a row of `<th>`, the first row holds figures too: it must not be read as a header
    (which is no evidence)."""
    rows = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in ROWS[1:])
    (tmp_path / "t.html").write_text(f"<html><body><p>{BEFORE}</p><table>{rows}</table></body></html>",
                                     encoding="utf-8")
    rendering = load(tmp_path / "t.html")
    assert [b.text for b in rendering.blocks][1:] == [" ".join(row) for row in ROWS[1:]]
    assert all(b.table is None for b in rendering.blocks)


def test_a_layout_table_of_single_cells_is_read_as_its_text(tmp_path):
    """Old pages lay out their text in tables: a row of one cell is no table row, its paragraphs stay apart and
    its headings open sections; a quotation of several paragraphs keeps them apart too."""
    (tmp_path / "t.html").write_text(
        f"<html><body><table><tr><td>Menu</td></tr><tr><td><h1>Nota</h1><p>{BEFORE}</p><h2>1. Kosten</h2>"
        f"<p>{AFTER}</p>Losse regel.</td></tr></table><blockquote><p>Citaat een.</p><p>Citaat twee.</p>"
        "</blockquote></body></html>", encoding="utf-8")
    rendering = load(tmp_path / "t.html")
    assert [(b.kind, b.text) for b in rendering.blocks] == [
        ("para", "Menu"), ("heading", "Nota"), ("para", BEFORE), ("heading", "1. Kosten"), ("para", AFTER),
        ("para", "Losse regel."), ("para", "Citaat een."), ("para", "Citaat twee.")]
    assert all(b.table is None for b in rendering.blocks)


def test_a_markdown_line_with_a_pipe_but_no_dashes_under_it_is_text(tmp_path):
    (tmp_path / "t.md").write_text(f"# T\n\nKies ja | nee in het formulier.\n\n{AFTER}\n", encoding="utf-8")
    rendering = load(tmp_path / "t.md")
    assert [b.text for b in rendering.blocks][1] == "Kies ja | nee in het formulier."
    assert all(b.table is None for b in rendering.blocks)


def test_a_markdown_cell_may_hold_an_escaped_pipe(tmp_path):
    (tmp_path / "t.md").write_text("| Teken | Betekenis |\n|:--|--:|\n| a \\| b | of |\n", encoding="utf-8")
    assert [b.text for b in load(tmp_path / "t.md").blocks] == ["Teken Betekenis", "a | b of"]


def test_a_text_files_table_may_leave_the_row_labels_column_unheaded(tmp_path):
    (tmp_path / "t.txt").write_text("Inlogsessies\n\n             2023    2024\nDigiD         681     742\n"
                                    "eHerkenning   51      57\n", encoding="utf-8")
    rendering = load(tmp_path / "t.txt")
    assert [(b.text, b.table) for b in rendering.blocks][1:] == [
        ("2023 2024", 0), ("DigiD 681 742", 0), ("eHerkenning 51 57", 0)]


@pytest.mark.parametrize("text", [
    # prose typed with two spaces after a full stop: its "cells" are long
    "De monitor meet elk jaar.  Het gebruik van DigiD steeg opnieuw\nflink in het afgelopen jaar.  Dat geldt ook\n"
    "voor eHerkenning, dat door bedrijven.  Wordt gebruikt om in te loggen.",
    # lines whose runs of spaces part them unevenly
    "Naam    Functie\nJansen    directeur    Den Haag\nDe Vries    adviseur",
    # two lines are no table
    "Jaar    Aantal\n2024    742",
])
def test_text_that_only_looks_spaced_stays_text(tmp_path, text):
    (tmp_path / "t.txt").write_text(f"Titel\n\n{text}\n", encoding="utf-8")
    assert all(b.table is None for b in load(tmp_path / "t.txt").blocks)


def test_a_markdown_files_html_block_is_read_as_a_browser_shows_it(tmp_path):
    """Markup is no text and a comment no evidence (a reader never sees it); a table in HTML is a table."""
    (tmp_path / "r.md").write_text(
        "# Rapport\n\n| Jaar | Aantal |\n|---|---|\n| 2024 | 742 |\n\n<!-- intern: niet publiceren -->\n\n"
        "<table>\n<tr><th>Middel</th><th>2024</th></tr>\n<tr><td>DigiD</td><td>742</td></tr>\n</table>\n\n"
        "<div align='center'>\n<img src='logo.png' alt='Logo'>\n</div>\n\n<details><summary>Meer weten?</summary>\n"
        "Uitleg in een uitklapblok.\n</details>\n", encoding="utf-8")
    blocks = [(b.text, b.table) for b in load(tmp_path / "r.md").blocks]
    assert blocks[1:] == [("Jaar Aantal", 0), ("2024 742", 0), ("Middel 2024", 1), ("DigiD 742", 1),
                          ("Meer weten?", None), ("Uitleg in een uitklapblok.", None)]


def test_a_table_cells_loose_text_and_paragraphs_are_read_once_in_its_row(tmp_path):
    (tmp_path / "t.html").write_text("<html><body><table><tr><th>Middel</th><th>Aantal</th></tr><tr><td>DigiD "
                                     "<p>(miljoen)</p></td><td>742</td></tr></table></body></html>", encoding="utf-8")
    assert [(b.text, b.table) for b in load(tmp_path / "t.html").blocks] == [
        ("Middel Aantal", 0), ("DigiD (miljoen) 742", 0)]


def _tables(*parts: str) -> tuple[str, list[TableSpan]]:
    """A text of paragraphs and tables (each a (header, row, ...) tuple), and where its tables stand."""
    text, tables = "", []
    for part in parts:
        if isinstance(part, tuple):
            start = len(text)
            text += part[0] + "\n\n"
            header_end = start + len(part[0])
            text += "\n\n".join(part[1:]) + "\n\n"
            tables.append(TableSpan(start, header_end, len(text) - 2))
        else:
            text += part + "\n\n"
    return text, tables


def test_a_tables_rows_are_read_under_its_caption_on_every_page():
    """The line before a table ("Tabel 4. … (miljoen euro)") says what its figures are and in which unit; a table
    continued on a later page, its header repeated, keeps its first part's caption."""
    header = "Onderdeel Begroot Gerealiseerd"
    text, tables = _tables("De uitgaven stegen.", "Tabel 4. Uitgaven 2024 (miljoen euro)",
                           (header, "Berichtenverkeer 96,5 91,2"), (header, "Basisregistraties 122,4 119,8"),
                           "Een lange alinea die de tabel hierna inleidt, " * 6, ("Kenmerk 2023 2024", "DigiD 1 2"))
    doc = Document(DocumentMeta("t", "t"), text, [], [], {}, [], "h", tables)
    assert doc.table_caption(text.index("Berichtenverkeer")) == "Tabel 4. Uitgaven 2024 (miljoen euro)"
    assert doc.table_caption(text.index("Basisregistraties")) == "Tabel 4. Uitgaven 2024 (miljoen euro)"
    assert doc.table_caption(text.index("DigiD")) == ""  # a paragraph before a table is no caption
    assert doc.table_caption(text.index("De uitgaven")) == ""
