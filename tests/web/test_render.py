"""The chat's source panel, rendered without a browser."""

from __future__ import annotations

from conftest import ROWS, indexed, table_report

from assistant.answer.answerer import Answerer
from assistant.web.render import sources_html


def test_a_cited_row_is_shown_under_its_tables_header(tmp_path):
    settings = indexed(tmp_path, {"monitor.pdf": lambda path: table_report(path, ROWS)})
    answerer = Answerer(settings, "extractive")
    answer = answerer.ask("Hoeveel is er gerealiseerd voor berichtenverkeer?")
    page = sources_html(answer, "nl", answerer, settings)
    header = page.index("In de tabel onder: Onderdeel Begroot Gerealiseerd Verschil")
    assert header < page.index("<mark>Berichtenverkeer (MijnOverheid en Berichtenbox) 96,5 91,2 -5,3</mark>")
    assert "In the table under: Onderdeel" in sources_html(answer, "en", answerer, settings)
