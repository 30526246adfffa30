"""A question for what has already happened is not answered by a sentence that only says what is planned or
possible: "Hoeveel apparaten zijn al uitgedeeld?" is not answered by "Zo ben ik voornemens om per jaar 50.000
apparaten beschikbaar te stellen" (`questions.says_what_was_done`)."""

from __future__ import annotations

import pytest
from conftest import indexed

from assistant.answer.answerer import Answerer
from assistant.answer.questions import says_what_was_done

PLAN = """# Digitale inclusie

## Apparaten

Zo ben ik voornemens om samen met de alliantie per jaar 50.000 laptops beschikbaar te stellen aan kwetsbare groepen.

## Vraagstukken

Vraagstukken over datadeling die al worden opgepakt zijn onder meer de beschikbaarheid van data en het
Federatief Datastelsel.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    return Answerer(indexed(tmp_path_factory.mktemp("done"), {"plan.md": PLAN}), "extractive")


@pytest.mark.parametrize(("question", "lead_holds"), [
    ("Hoeveel laptops wil de alliantie per jaar beschikbaar stellen?", "50.000 laptops"),
    ("Hoeveel laptops heeft de alliantie al beschikbaar gesteld?", None),
    ("How many laptops has the alliance already handed out?", None),
    # what is under way is done
    ("Welke vraagstukken over datadeling worden al opgepakt?", "Federatief Datastelsel"),
])
def test_a_plan_does_not_say_what_was_done(answerer, question, lead_holds):
    answer = answerer.ask(question)
    assert answer.abstained is (lead_holds is None)
    assert lead_holds is None or lead_holds in answer.citations[0].quote


@pytest.mark.parametrize(("question", "lead", "answers"), [
    ("Hoeveel apparaten zijn al uitgedeeld?", "Zo ben ik voornemens om 50.000 apparaten te geven.", False),
    ("Which experts have already taken part?", "Experts from science will take part in the sessions.", False),
    ("Hoeveel apparaten zijn al uitgedeeld?", "Er zijn 12.000 apparaten uitgedeeld.", True),
    # a plan that says what is already under way
    ("Welke vraagstukken worden al opgepakt?", "Vraagstukken die al worden opgepakt, zullen we versnellen.", True),
    # to a question to answer yes or no, the plan is the answer: not yet
    ("Is er al een coalitie voor duurzaamheid?", "Ik zal verkennen of een brede coalitie van toegevoegde waarde is.",
     True),
    # no question for what was done
    ("Hoeveel apparaten worden uitgedeeld?", "Zo ben ik voornemens om 50.000 apparaten te geven.", True),
    ("Wat doen al die coalities?", "Zo ben ik voornemens om coalities te vormen.", True),
    ("Al met al: wat is het doel?", "Zo ben ik voornemens om coalities te vormen.", True),
    ("Welke instrumenten gebruikt het UWV al?", "Het UWV kan instrumenten delen.", False),
    ("Hoeveel aanvragen zijn er inmiddels ingediend?", "Aanvragen kunnen tot 31 oktober worden ingediend.", False),
])
def test_what_a_lead_says_was_done(question, lead, answers):
    assert says_what_was_done(question, lead) is answers
