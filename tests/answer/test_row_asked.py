"""A table's row answers for the row the question names: the figures of the row beside it are no answer."""

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
