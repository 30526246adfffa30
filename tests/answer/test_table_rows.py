"""A cited row of a table comes with the table's header, which names its figures."""

from __future__ import annotations

import pytest
from conftest import ROWS, indexed, table_markdown, table_odf, table_page, table_report, table_text, table_word

from assistant.answer.answerer import Answerer


@pytest.mark.parametrize(("name", "content"), [
    ("monitor.pdf", lambda path: table_report(path, ROWS)),
    ("monitor.html", table_page(ROWS)),  # a web page's table, and a Markdown file's, are read as a PDF's
    ("monitor.md", table_markdown(ROWS)),
    ("monitor.docx", lambda path: table_word(path, ROWS)),
    ("monitor.odt", lambda path: table_odf(path, ROWS)),
    ("monitor.txt", table_text(ROWS)),  # a text file's table: cells parted by tabs, or by runs of spaces
    ("monitor-aligned.txt", table_text(ROWS, aligned=True)),
])
def test_a_cited_row_carries_its_tables_header(tmp_path, name, content):
    settings = indexed(tmp_path, {name: content})
    answer = Answerer(settings, "extractive").ask("Hoeveel is er gerealiseerd voor berichtenverkeer?")
    assert not answer.abstained
    assert answer.citations[0].quote == " ".join(ROWS[2])  # the row, not a cell of it, nor the whole table
    for c in answer.citations:  # a row has its table's header; a sentence about the table has none
        is_row = any(c.quote.startswith(row[0].split()[0]) for row in ROWS[1:])
        assert c.table_header == ("Onderdeel Begroot Gerealiseerd Verschil" if is_row else None), c.quote


def test_a_tables_header_row_alone_is_no_evidence(tmp_path):
    settings = indexed(tmp_path, {"monitor.pdf": lambda path: table_report(path, ROWS)})
    answer = Answerer(settings, "extractive").ask("Wat was het verschil tussen begroot en gerealiseerd?")
    header = " ".join(ROWS[0])
    assert answer.citations  # the rows answer, read under the header that names their figures
    assert all(c.quote.strip() != header for c in answer.citations)
    assert any(c.table_header == header for c in answer.citations)
