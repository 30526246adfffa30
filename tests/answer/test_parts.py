"""A question which things there are is answered by the parts of a document that name them, when no sentence
does: the subsections of the section it names ("Welke uitgangspunten noemt de nota?"), or its headings numbered
after the word it asks for ("Welke thema's heeft de agenda?"), each cited by the sentence its section opens with.
A sentence that names the parts itself answers instead, and so does the evidence for a question about one part."""

from __future__ import annotations

import pytest
from conftest import indexed, manifest

from assistant.answer.answerer import Answerer
from assistant.answer.parts import Parts
from assistant.answer.questions import listed
from assistant.answer.responders import Asked

NOTA = """# Beleidsnota Registers

## 1. Aanleiding

Overheden houden steeds meer registers bij over hun algoritmes.

## 2. Uitgangspunten

Voor alle registers van de overheid gelden dezelfde regels.

### 2.1 Doelbinding

Een register vermeldt waarvoor elk algoritme wordt gebruikt.

### 2.2 Leesbaarheid

Elke registratie is in gewone taal geschreven.

### 2.3 Actualiteit

Een organisatie werkt haar registraties elk kwartaal bij.
"""
AGENDA = """# Agenda Digitale Registers

## Inleiding

Het kabinet werkt langs drie thema's aan betere registers.

## Thema 1: Open algoritmes

Burgers moeten kunnen zien welke algoritmes de overheid gebruikt.

## Thema 2: Veilige gegevens

Gegevens van burgers worden alleen gedeeld als dat nodig is.

De overheid zet gegevens in voor maatschappelijke opgaven als wonen en zorg.

## Thema 3: Digitale vaardigheden

Iedereen moet mee kunnen doen in de digitale samenleving.
"""
PLAN = """# Plan Registerbeheer

## Maatregelen

De drie maatregelen zijn een centraal register, een vaste contactpersoon en een jaarlijkse controle.

### Centraal register

Alle organisaties publiceren in één centraal register.

### Vaste contactpersoon

Elke organisatie wijst een vaste contactpersoon aan.

### Jaarlijkse controle

Een onafhankelijke partij controleert het register elk jaar.
"""
MANIFEST = manifest(
    {"id": "nota", "title": "Beleidsnota Registers", "kind": "nota", "language": "nl", "path": "nota.md"},
    {"id": "agenda", "title": "Agenda Digitale Registers", "kind": "agenda", "language": "nl", "path": "agenda.md"},
    {"id": "plan", "title": "Plan Registerbeheer", "kind": "plan", "language": "nl", "path": "plan.md"},
)


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    base = tmp_path_factory.mktemp("parts")
    files = {"nota.md": NOTA, "agenda.md": AGENDA, "plan.md": PLAN, "manifest.toml": MANIFEST}
    return Answerer(indexed(base, files), "extractive")


def _verbatim(answerer: Answerer, answer) -> None:
    for c in answer.citations:
        assert answerer.document(c.doc_id).text[c.start:c.end] == c.quote
        assert f"[{c.n}]" in answer.answer


def test_the_subsections_of_the_section_a_question_names_are_the_things_it_asks_for(answerer):
    answer = answerer.ask("Welke uitgangspunten noemt de nota?")
    assert [c.section.split(" › ")[-1] for c in answer.citations] == ["2.1 Doelbinding", "2.2 Leesbaarheid",
                                                                     "2.3 Actualiteit"]
    assert answer.citations[1].quote == "Elke registratie is in gewone taal geschreven."
    assert "onder “2. Uitgangspunten”" in answer.answer and "- 2.1 Doelbinding: “Een register" in answer.answer
    _verbatim(answerer, answer)


def test_headings_numbered_after_the_word_asked_for_are_the_things_it_asks_for(answerer):
    answer = answerer.ask("Welke thema's heeft de agenda?")
    assert [c.section.split(" › ")[-1] for c in answer.citations] == [
        "Thema 1: Open algoritmes", "Thema 2: Veilige gegevens", "Thema 3: Digitale vaardigheden"]
    assert all(c.doc_id == "agenda" for c in answer.citations)
    _verbatim(answerer, answer)
    english = answerer.ask("Which themes does the agenda have?")
    assert english.answer.startswith("Agenda Digitale Registers names them in its headings (quoted in Dutch):")
    assert len(english.citations) == 3


def test_a_sentence_that_names_the_parts_answers_before_the_headings(answerer):
    answer = answerer.ask("Welke maatregelen noemt het plan?")
    assert answer.citations[0].quote.startswith("De drie maatregelen zijn een centraal register")
    assert "in zijn koppen" not in answer.answer


@pytest.mark.parametrize("question", [
    "Wat is het doel van thema 2?",
    "Voor welke opgaven zet de overheid gegevens in, volgens thema 2?",
])
def test_a_question_about_one_part_or_about_something_else_is_answered_from_the_evidence(answerer, question):
    answer = answerer.ask(question)
    assert "in zijn koppen" not in answer.answer


def test_what_a_list_question_asks_for_follows_its_question_word():
    assert listed("Welke uitgangspunten noemt de nota?") == " uitgangspunten noemt de nota?"
    assert listed("Op welke thema's richt de agenda zich?") == " thema's richt de agenda zich?"
    assert listed("Wat is het doel van thema 2?") is None


def test_a_question_how_many_is_answered_by_their_number_and_the_parts(answerer):
    answer = answerer.ask("Hoeveel thema's heeft de agenda?")
    assert answer.answer.startswith("Agenda Digitale Registers noemt er 3 in zijn koppen:")
    assert len(answer.citations) == 3
    english = answerer.ask("How many themes does the agenda have?")
    assert english.answer.startswith("Agenda Digitale Registers names 3 in its headings (quoted in Dutch):")


def test_the_number_a_question_asks_for_is_accounted_for_by_as_many_parts(answerer):
    def score(question: str) -> float:
        hits = answerer.searcher.search(question, 5)
        draft = Parts(answerer.scorer).propose(Asked(question, "nl", hits, answerer.scorer.evidence(question, hits)))
        assert draft is not None
        return draft.score

    assert score("Wat zijn de drie thema's van de agenda?") == pytest.approx(1.0)
    assert score("Wat zijn de vijf thema's van de agenda?") < 0.8  # three parts are no answer to "vijf"


@pytest.mark.parametrize("question", [
    "Welke vier doorsnijdende thema's worden in coalities opgepakt?",
    "Wat zijn de vier thema's?",
    "Which four cross-cutting themes does the agenda address?",
])
def test_the_sentence_that_names_the_parts_answers_where_retrieval_did_not_reach_it(bundled, question):
    # the agenda names its four themes in one sentence, which the question's words do not retrieve among the
    # best passages; its headings "Thema 1" … "Thema 4" lead to it
    answer = Answerer(bundled, "extractive").ask(question)
    assert answer.citations[0].quote.startswith("Doorsnijdende thema’s zijn daarmee digitale ethiek (waardengedreven)")


def test_a_question_for_a_documents_chapters_is_answered_by_its_sections(answerer):
    answer = answerer.ask("Uit welke hoofdstukken bestaat de nota?")
    assert [c.section.split(" › ")[-1] for c in answer.citations] == ["1. Aanleiding", "2. Uitgangspunten"]
    under = answerer.ask("Welke paragrafen vallen onder de Uitgangspunten van de nota?")
    assert [c.section.split(" › ")[-1] for c in under.citations] == ["2.1 Doelbinding", "2.2 Leesbaarheid",
                                                                    "2.3 Actualiteit"]


def test_a_word_for_parts_that_means_something_else_asks_for_no_parts(answerer):
    # "part" translates to "onderdeel", but "took part" asks who did
    answer = answerer.ask("Which organisations took part in the register?")
    assert "headings" not in answer.answer


def test_a_question_for_the_part_about_something_is_answered_by_that_part(answerer):
    answer = answerer.ask("Welk thema gaat over veilige gegevens?")
    assert [c.section.split(" › ")[-1] for c in answer.citations] == ["Thema 2: Veilige gegevens"]
    assert answer.answer.startswith("Agenda Digitale Registers, in zijn koppen:")
    # the document's own title ("Agenda Digitale Registers") narrows nothing: "Thema 3: Digitale vaardigheden"
    titled = answerer.ask("Welke thema's heeft de Agenda Digitale Registers?")
    assert len(titled.citations) == 3
