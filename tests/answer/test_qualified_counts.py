"""A count is of what the question's own numbers say it is of: "in 2023", "op 10 februari 2025", "jonger dan 25
jaar". A sentence that gives a count of something near it (another year, another age group) does not answer. So
for any question: its years and figures say which instance it asks about, unless it asks why (`names_its_numbers`)."""

from __future__ import annotations

import pytest
from conftest import indexed

from assistant.answer.answerer import Answerer
from assistant.answer.questions import counted_noun, counts, has_asked_type, names_its_numbers

FACTSHEET = """# Factsheet pilots digitale identiteit 2024

## Deelnemers

Aan de pilots namen 3.200 testers deel, van wie ruim een derde ouder was dan 55 jaar.

## Cursussen

In 2025 volgen naar verwachting 60.000 mensen een cursus digitale basisvaardigheden.

## Gebruik

| Inlogmiddel | 2023 | 2024 |
|---|---|---|
| DigiD | 13,4 | 13,8 |

## Storingen

De langste storing van DigiD vond plaats op 22 oktober 2024 en duurde vier uur.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    return Answerer(indexed(tmp_path_factory.mktemp("counts"), {"factsheet.md": FACTSHEET}), "extractive")


@pytest.mark.parametrize("question", [
    "Hoeveel testers in de pilots waren jonger dan 25 jaar?",
    "Hoeveel mensen volgden in 2023 een cursus digitale basisvaardigheden?",
])
def test_a_count_of_something_near_what_is_asked_is_declined(answerer, question):
    answer = answerer.ask(question)
    assert answer.abstained, answer.answer


@pytest.mark.parametrize(("question", "answered_by"), [
    ("Hoeveel testers namen deel aan de pilots?", "3.200 testers"),
    ("Hoeveel mensen volgen in 2025 een cursus digitale basisvaardigheden?", "60.000 mensen"),
    # the year is in the document's title: the factsheet's figures are of 2024
    ("Hoeveel testers namen in 2024 deel aan de pilots?", "3.200 testers"),
])
def test_a_count_of_what_is_asked_is_answered(answerer, question, answered_by):
    answer = answerer.ask(question)
    assert answer.citations and answered_by in answer.citations[0].quote, answer.answer


@pytest.mark.parametrize(("question", "text", "setting", "has"), [
    ("Hoeveel testers waren jonger dan 25 jaar?", "3.200 testers, van wie een derde ouder dan 55 jaar.", "", False),
    ("Hoeveel testers waren ouder dan 55 jaar?", "3.200 testers, van wie 1.100 ouder dan 55 jaar.", "", True),
    ("How many websites were tested in 2023?", "In 2024, 1,203 websites were tested.", "", False),
    # a table's row holds the year in its header
    ("Hoeveel gebruikers had DigiD in 2024?", "DigiD 13,4 13,8", "Inlogmiddel 2023 2024", True),
    ("Hoeveel gebruikers had DigiD in 2022?", "DigiD 13,4 13,8", "Inlogmiddel 2023 2024", False),
    # the number that opens a list's item says where it stands, it counts nothing
    ("Hoeveel aanvragen zijn er ingediend?", "3. Indien het plafond wordt overschreden, worden aanvragen gerangschikt.",
     "", False),
    ("Hoeveel aanvragen zijn er ingediend?", "3. Er zijn tot nu toe 45 aanvragen ingediend.", "", True),
    # all the members an enumeration names count them; some named as examples do not
    ("Uit hoeveel organisaties bestaat de coalitie?", "De coalitie wordt gevormd door IPO, UWV, SVB, ICT-Gilde en VNG.",
     "", True),
    ("Hoeveel organisaties zijn aangesloten?", "Er is een programma waarin instrumenten worden gefinancierd zoals een "
     "Ketenproject, ELSA labs, Learning Communities en Innovatielabs.", "", False),
    # a share is no count of what is counted; asked for a share, it answers
    ("Hoeveel inlogsessies waren er in 2024?", "Aandeel sessies via de app 44% 52% 59% 66%", "Gebruik 2021 2022 2023 "
     "2024", False),
    ("Hoeveel inlogsessies waren er in 2024?", "Inlogsessies (miljoen) 561 623 681 742", "Gebruik 2021 2022 2023 2024",
     True),
    ("How many websites complied?", "38 per cent of the websites complied in full.", "", False),
    ("Hoeveel procent van de sessies liep via de app?", "Het aandeel steeg naar 66 procent.", "", True),
    # nor is an amount of money per thing counted; asked for money, or how much one gets, it answers
    ("Hoeveel hulppunten zijn er in 2025?", "U kunt maximaal € 25.000 per digitaal hulppunt krijgen.",
     "Regeling subsidie digitale hulppunten 2025", False),
    ("How many projects were funded?", "Each project received €5 million.", "", False),
    ("Hoeveel subsidie krijgt een hulppunt?", "U kunt maximaal € 25.000 per digitaal hulppunt krijgen.", "", True),
    ("Hoeveel krijgt een bibliotheek per hulppunt?", "U kunt maximaal € 25.000 per digitaal hulppunt krijgen.", "",
     True),
    # a question joined to the one before by "En" asks for a count as it would alone
    ("En hoeveel krijgt een bibliotheek?", "Subsidie kan uitsluitend worden aangevraagd door een bibliotheek.", "",
     False),
    # the numbers of a question that asks no count are not checked here
    ("Wat gebeurde er in 2023?", "Er werden coalities gevormd.", "", True),
])
def test_the_count_holds_the_questions_own_numbers(question, text, setting, has):
    assert has_asked_type(question, [text], settings=[setting]) is has


@pytest.mark.parametrize(("question", "noun"), [
    ("Hoeveel digitale hulppunten zijn er?", "hulppunt"),  # the noun, not the adjective before it
    ("Hoeveel doorsnijdende thema's kent de agenda?", "thema"),
    ("Hoeveel scenario's stelde de Argumentenfabriek op?", "scenario"),
    ("How many people took part?", "peopl"),  # an English word in "-e" is no inflected adjective
    ("En hoeveel scholen doen mee?", "school"),  # a follow-up joined by a conjunction
    # a word the question's subject follows is its verb: such a question counts nothing by name
    ("Hoeveel krijgt een bibliotheek per hulppunt?", None),
    ("Hoeveel kost de wallet?", None),
])
def test_what_a_count_question_counts(question, noun):
    assert counted_noun(question) == noun


@pytest.mark.parametrize(("text", "gives"), [
    ("Zo stellen we per jaar 50.000 apparaten beschikbaar.", True),
    ("Er zijn vier scenario’s ontstaan.", False),  # of scenarios, not of devices
    ("U kunt maximaal € 25.000 per apparaat krijgen.", False),  # an amount per device counts none
    ("Aan 44% van de apparaten is geen gebrek.", False),
])
def test_a_sentence_gives_a_number_of_the_things_counted(text, gives):
    assert counts(text, "apparaat") is gives


@pytest.mark.parametrize(("question", "lead_holds"), [
    ("Hoe lang duurde de langste storing van DigiD in 2024?", "22 oktober 2024"),
    # the longest outage of 2024 is not the longest of 2023: the question's year says which one it asks about
    ("Hoe lang duurde de langste storing van DigiD in 2023?", None),
    ("How long did the longest DigiD outage last in 2023?", None),
    # a question that asks why presumes what it says: the sentence with the right year corrects it
    ("Waarom duurde de langste storing van DigiD in 2023 vier uur?", "22 oktober 2024"),
])
def test_the_questions_year_says_which_instance_it_asks_about(answerer, question, lead_holds):
    answer = answerer.ask(question)
    assert answer.abstained is (lead_holds is None)
    assert lead_holds is None or lead_holds in answer.citations[0].quote


@pytest.mark.parametrize(("question", "said", "named"), [
    ("Wat gebeurde er in 2023?", ["In 2023 werden coalities gevormd."], True),
    ("Wat gebeurde er in 2023?", ["In 2024 werden coalities gevormd."], False),
    # what a document is known by: its identifier and date, next to the sentence
    ("Wat staat er in Kamerstuk 26 643, nr. 1055 over AI?", ["AI verandert de samenleving. 26 643, nr. 1055"], True),
    ("Wat schreef de staatssecretaris op 7 juli 2023 over AI?", ["AI verandert de samenleving. 2023-07-07"], True),
    # a footnote marker is no number of the sentence
    ("Wat gebeurde er in 2023?", ["In 2024 werden coalities gevormd²⁰²³."], False),
    ("Why did the strategy run from 2025 to 2030?", ["The strategy runs from 2022 to 2028."], True),
    # an ordinal says which one: in words or digits, in either language, or as a list item's number
    ("Op welke datum vond de tweede storing plaats?", ["De langste storing vond plaats op 22 oktober 2024."], False),
    ("Op welke datum vond de tweede storing plaats?", ["De tweede storing vond plaats op 2 november 2024."], True),
    ("Wat was de beschikbaarheid in het eerste kwartaal?", ["Beschikbaarheid 1 januari tot 31 december 99,9%"],
     False),
    ("Wat was de beschikbaarheid in het eerste kwartaal?", ["In het 1e kwartaal was dat 99,9%."], True),
    ("By when should the first cabinet vision be ready?", ["om eind dit jaar tot een (eerste) kabinetsvisie te komen"],
     True),
    ("Wat is de tweede actielijn?", ["1. Bewustzijn over de impact;", "2. Minimale digitale geletterdheid;"], True),
    ("Wat is de derde actielijn?", ["1. Bewustzijn over de impact;", "2. Minimale digitale geletterdheid;"], False),
    # or as the number after the ordinal's noun
    ("Wat stond er in de eerste versie over registers?", ["Registers worden gekoppeld. Plan (versie 1.0)"], True),
    ("Wat stond er in de tweede versie over registers?", ["Registers worden gekoppeld. Plan (versie 1.0)"], False),
    # no ordinal of which one: when something is done first, or the name of a chamber
    ("When will the cabinet first report on its progress?", ["Het kabinet informeert de Kamer jaarlijks."], True),
    ("Why did the Tweede Kamer vote it down?", ["De coalitie werkt aan drie actielijnen."], True),
    ("Wat heeft de Tweede Kamer gevraagd?", ["De Kamer vroeg om een visie."], True),
])
def test_the_evidence_holds_the_questions_own_numbers(question, said, named):
    assert names_its_numbers(question, said) is named


PLAN = """# Voortgang algoritmes

## Kader

Het kabinet werkt dit jaar aan een implementatiekader voor algoritmes bij de overheid.

Van het implementatiekader voor algoritmes wordt een eerste versie ontwikkeld, met hulp van gemeenten.

## Metingen

De eerste meting van de voortgang verschijnt in oktober 2025.
"""


@pytest.mark.parametrize(("question", "lead_holds"), [
    ("Wanneer verschijnt de eerste meting van de voortgang?", "oktober 2025"),
    # the time is of the framework, the ordinal of another sentence: no quote says when the first version is ready
    ("Wanneer is de eerste versie van het implementatiekader voor algoritmes klaar?", None),
])
def test_one_quote_says_what_is_asked_of_the_instance_asked(tmp_path, question, lead_holds):
    answer = Answerer(indexed(tmp_path, {"plan.md": PLAN}), "extractive").ask(question)
    assert answer.abstained is (lead_holds is None), [c.quote for c in answer.citations]
    assert lead_holds is None or lead_holds in answer.citations[0].quote
