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


@pytest.fixture(scope="module", params=["html", "md"])
def answerer(request, tmp_path_factory):
    content = table_page(USE) if request.param == "html" else table_markdown(USE)
    return Answerer(indexed(tmp_path_factory.mktemp(request.param), {f"gebruik.{request.param}": content}),
                    "extractive")


@pytest.mark.parametrize(("question", "row"), [
    ("Hoeveel unieke gebruikers had DigiD in 2024?", USE[3]),
    ("Hoeveel inlogsessies met eHerkenning waren er in 2023?", USE[2]),
    ("How many unique users did DigiD have in 2022?", USE[3]),
])
def test_the_row_the_question_names_answers(answerer, question, row):
    answer = answerer.ask(question)
    assert not answer.abstained
    assert answer.citations[0].quote == " ".join(row)


@pytest.mark.parametrize("question", [
    # eHerkenning has a row of its own, of login sessions: the table gives no unique users of it
    "Hoeveel unieke gebruikers had eHerkenning in 2024?",
    "How many unique users did eHerkenning have in 2024?",
])
def test_the_row_beside_the_one_asked_does_not_answer(answerer, question):
    answer = answerer.ask(question)
    assert answer.abstained, [c.quote for c in answer.citations]


STATUS = [
    ["Bestuurslaag", "Getoetst", "Voldoet volledig", "Voldoet deels"],
    ["Rijksoverheid", "201", "57%", "36%"],
    ["Provincies en waterschappen samen", "141", "38%", "47%"],
    ["Gemeenten met minder dan 20.000 inwoners", "349", "24%", "52%"],
]


@pytest.fixture(scope="module")
def status(tmp_path_factory):
    page = table_markdown(STATUS).replace("# Monitor", "# Monitor toegankelijkheid\n\nVan de 691 getoetste websites "
                                            "voldeed 41 procent volledig aan de eisen.")
    return Answerer(indexed(tmp_path_factory.mktemp("status"), {"status.md": page}), "extractive")


@pytest.mark.parametrize(("question", "row"), [
    ("Welk percentage van de websites van alleen de gemeenten met minder dan 20.000 inwoners voldeed volledig?",
     STATUS[3]),
    ("Welk percentage van de websites van de provincies en waterschappen samen voldeed volledig?", STATUS[2]),
])
def test_the_group_the_question_restricts_itself_to_answers(status, question, row):
    answer = status.ask(question)
    assert not answer.abstained and answer.citations[0].quote == " ".join(row), answer.answer


@pytest.mark.parametrize("question", [
    # the whole is not the part; the two together are not one of them
    "Welk percentage van de websites van alleen de waterschappen voldeed volledig?",
    "Welk percentage van de websites van de provincies afzonderlijk voldeed volledig?",
])
def test_a_larger_group_or_two_together_do_not_answer_for_one(status, question):
    answer = status.ask(question)
    assert answer.abstained, [c.quote for c in answer.citations]
