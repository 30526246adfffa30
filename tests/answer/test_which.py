"""A table's row answers for the row the question names: the figures of the row beside it are no answer; a question
restricted to one group is answered for that group alone (`answer.which`)."""

from __future__ import annotations

import pytest
from conftest import indexed, table_markdown, table_page

from assistant.answer.answerer import Answerer

USE = [
    ["Kenmerk", "2021", "2022", "2023", "2024"],
    ["Inlogsessies met DigiD (miljoen)", "561", "623", "681", "742"],
    ["Inlogsessies met eHerkenning (miljoen)", "38", "45", "51", "57"],
    ["Unieke gebruikers van DigiD (miljoen)", "13,1", "13,4", "13,8", "14,2"],
]
STATUS = [
    ["Bestuurslaag", "Getoetst", "Voldoet volledig", "Voldoet deels"],
    ["Rijksoverheid (ministeries en agentschappen)", "201", "57%", "36%"],
    ["Provincies en waterschappen samen", "141", "38%", "47%"],
    ["Gemeenten met minder dan 20.000 inwoners", "349", "24%", "52%"],
]
STATUS_PAGE = table_markdown(STATUS).replace(
    "# Monitor", "# Monitor toegankelijkheid\n\nVan de 691 getoetste websites voldeed 41 procent volledig.")


@pytest.fixture(scope="module")
def answerers(tmp_path_factory):
    """An answerer over each document: the table of use as a web page and in Markdown, the table of status."""
    files = {"use-html": ("gebruik.html", table_page(USE)), "use-md": ("gebruik.md", table_markdown(USE)),
             "status": ("status.md", STATUS_PAGE)}
    return {key: Answerer(indexed(tmp_path_factory.mktemp(key), {name: content}), "extractive")
            for key, (name, content) in files.items()}


ANSWERED = [
    ("Hoeveel unieke gebruikers had DigiD in 2024?", USE[3]),
    ("Hoeveel inlogsessies met eHerkenning waren er in 2023?", USE[2]),
    ("How many unique users did DigiD have in 2022?", USE[3]),
]
DECLINED = [
    # eHerkenning has a row of its own, of login sessions: the table gives no unique users of it
    "Hoeveel unieke gebruikers had eHerkenning in 2024?",
    "How many unique users did eHerkenning have in 2024?",
]


@pytest.mark.parametrize(("table", "question", "row"), [
    *[(table, question, row) for table in ("use-html", "use-md") for question, row in ANSWERED],
    # a question restricted to one group is answered by that group's row
    ("status", "Welk percentage van de websites van alleen de gemeenten met minder dan 20.000 inwoners voldeed "
     "volledig?", STATUS[3]),
    ("status", "Welk percentage van de websites van de provincies en waterschappen samen voldeed volledig?", STATUS[2]),
    # a count of one group's things is answered by that group's row, though the total shares more words with it
    ("status", "Hoeveel websites van de Rijksoverheid zijn getoetst?", STATUS[1]),
    # so is a share of one group's things, though the share of all shares more words with it
    ("status", "Hoeveel procent van de websites van gemeenten voldeed volledig?", STATUS[3]),
])
def test_the_row_the_question_names_answers(answerers, table, question, row):
    answer = answerers[table].ask(question)
    assert not answer.abstained and answer.citations[0].quote == " ".join(row), answer.answer


@pytest.mark.parametrize(("table", "question"), [
    *[(table, question) for table in ("use-html", "use-md") for question in DECLINED],
    # the whole is not the part; the two together are not one of them
    ("status", "Welk percentage van de websites van alleen de waterschappen voldeed volledig?"),
    ("status", "Welk percentage van de websites van de provincies afzonderlijk voldeed volledig?"),
    ("status", "Hoeveel websites van de waterschappen zijn getoetst?"),
    ("status", "What share of the websites of provinces complied fully?"),
])
def test_the_row_beside_the_one_asked_does_not_answer(answerers, table, question):
    answer = answerers[table].ask(question)
    assert answer.abstained, [c.quote for c in answer.citations]
