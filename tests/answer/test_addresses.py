"""A web address alone says where something is, not what: it is quoted only for a question that asks where
something is found."""

from __future__ import annotations

import pytest
from conftest import indexed

from assistant.answer.answerer import Answerer
from assistant.answer.questions import asks_address
from assistant.text import rules

WEB = rules.rule("evidence", "web-address")

ADDRESS = "https://toekomstnederland2040.nl/scenarios"
AGENDA = f"""# Toekomstbeelden digitale samenleving 2040

## Scenario's

De Argumentenfabriek werkte vier scenario's voor de digitale samenleving in 2040 uit.

{ADDRESS}

De scenario's helpen bij het gesprek over de richting van de digitale samenleving.

## Coalities

Het kabinet start coalities met gemeenten, bedrijven en kennisinstellingen.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    return Answerer(indexed(tmp_path_factory.mktemp("addresses"), {"agenda.md": AGENDA}), "extractive")


@pytest.mark.parametrize(("question", "answered_by"), [
    ("Met welke organisatie bespreekt de staatssecretaris de samenwerking in relatie tot het Toekomstbeeld 2040 van "
     "die organisatie?", "Met VNG bespreek ik de samenwerking"),
    ("What is NOLAI and how is it funded?", "De ministeries van EZK en OCW investeren"),
])
def test_a_web_address_is_no_answer_to_what_something_is(bundled, question, answered_by):
    """The sentence that answers points to a footnote that is a web address ("https://toekomstnederland2040.nl/",
    "www.nationaalgroeifonds.nl/..."): the address was quoted with it, as if it said something."""
    answer = Answerer(bundled, "extractive").ask(question)
    assert answer.citations and answered_by in answer.citations[0].quote, answer.answer
    assert not any(WEB.match(c.quote) for c in answer.citations), answer.answer


def test_a_web_address_answers_where_the_scenarios_are_found(answerer):
    answer = answerer.ask("Op welke website staan de scenario's voor de digitale samenleving in 2040?")
    assert any(c.quote.strip() == ADDRESS for c in answer.citations), answer.answer


LETTER = """# Voortgang van het Algoritmeregister

Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Met deze brief informeer ik uw Kamer over de voortgang van het Algoritmeregister van de overheid.

Op 1 maart 2025 stonden 1.146 algoritmes in het Algoritmeregister, gepubliceerd door 212 overheidsorganisaties.
"""


def test_a_question_for_a_website_is_not_answered_without_one(tmp_path):
    """The letter gives no web address: the addressee line ("… der Staten-Generaal", whose stem is that of "staat")
    and the sentences that name the register are no answer to where it stands online."""
    answerer = Answerer(indexed(tmp_path, {"brief.md": LETTER}), "extractive")
    for question in ("Waar staat het algoritmeregister online?", "Op welke website staat het algoritmeregister?"):
        answer = answerer.ask(question)
        assert answer.abstained, answer.answer
    assert not answerer.ask("Hoeveel algoritmes stonden er op 1 maart 2025 in het register?").abstained


def test_a_question_for_a_website_is_answered_by_one(answerer):
    found = answerer.ask("Waar staan de scenario's voor de digitale samenleving online?")
    assert found.citations and found.citations[0].quote.strip() == ADDRESS, found.answer


@pytest.mark.parametrize(("question", "asks"), [
    ("Op welke website staan de scenario's?", True),
    ("Where can the report be found?", True),
    ("In welke publicatie beschrijft de Raad de kaders?", True),
    ("Hoeveel scenario's werkte de Argumentenfabriek uit?", False),
    ("Met welke organisatie bespreekt de staatssecretaris het Toekomstbeeld 2040?", False),
])
def test_which_questions_ask_where_something_is_found(question, asks):
    assert asks_address(question) is asks
