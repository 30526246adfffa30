"""Words that shape a question say nothing about its subject: the words that ask what something means ("Wat houdt
… in", "Wat bedoelt de brief met …") are no terms the evidence must hold, and a question for a day or a year after
any preposition ("Van welke datum", "Over welk jaar") asks for a time."""

from __future__ import annotations

import pytest

from assistant.answer.answerer import Answerer
from assistant.answer.questions import has_asked_type


@pytest.fixture(scope="module")
def answerer(bundled):
    return Answerer(bundled, "extractive")


@pytest.mark.parametrize("question", [
    "Wat houdt 'tegengaan niet-gebruik' precies in, zoals de brief het noemt?",
    "Wat bedoelt de staatssecretaris eigenlijk met een reflex van risicobeheersing?",
])
def test_a_question_for_what_words_mean_is_answered_where_they_stand(answerer, question):
    answer = answerer.ask(question)
    assert not answer.abstained
    words = "niet-gebruik" if "niet-gebruik" in question else "reflex van risicobeheersing"
    assert words in answer.citations[0].quote


def test_the_words_that_ask_what_something_means_are_no_terms(answerer):
    terms = answerer.scorer.terms("Wat houdt tegengaan niet-gebruik in? What is it, exactly?")
    assert not {"houdt", "exact"} & terms.keys()
    assert {"tengaan", "bruik"} <= terms.keys()


@pytest.mark.parametrize(("question", "day"), [
    ("Over welk jaar gaan de toekomstbeelden?", False),
    ("Sinds welk jaar verschijnt de monitor?", False),
    ("Uit welke maand stamt de nota?", False),
    ("Van welke datum is de brief over de agenda?", True),
    ("Per welke datum wordt registreren verplicht?", True),
])
def test_a_time_asked_after_any_preposition_must_be_held(question, day):
    assert not has_asked_type(question, ["De toekomstbeelden gaan over samenlevingen die meer samenhang vertonen."])
    assert has_asked_type(question, ["De brief ging op 7 juli 2023 naar de Kamer."])
    # a day is answered by a date with its day, not by a year
    assert has_asked_type(question, ["Dat gebeurt in 2040."]) is not day
