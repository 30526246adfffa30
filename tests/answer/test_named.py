"""A question which organisations of a kind the documents name ("Welke coalities zijn er?") is answered from the
who-is-who, each organisation with a sentence that names it, quoted; a question that asks more of them is not."""

from __future__ import annotations

import pytest
from conftest import indexed, manifest

from assistant.answer.answerer import Answerer
from assistant.answer.named import Named
from assistant.answer.responders import Asked


@pytest.fixture(scope="module")
def answerer(bundled):
    return Answerer(bundled, "extractive")


def _asked(answerer: Answerer, question: str) -> Asked:
    return Asked(question, "nl", [], [], None, answerer.searcher.bridged(question), "")


def test_the_coalitions_the_documents_name_are_listed_each_with_its_sentence(answerer):
    answer = answerer.ask("Welke coalities zijn er?")
    assert answer.answer.startswith("De documenten noemen deze coalities:\n- ")
    names = [line[2:].split(": “")[0] for line in answer.answer.splitlines()[1:]]
    assert "Nationale Coalitie Duurzame Digitalisering" in names and "Nederlandse AI-Coalitie" in names
    # "de coalitie AI in Actie" is the coalitie «AI in actie», whole and once
    assert "coalitie «AI in actie»" in names and "coalitie AI" not in names
    assert len(answer.citations) == len(names)
    for name, c in zip(names, answer.citations, strict=True):
        assert "coalitie" in name.lower()
        assert answerer.document(c.doc_id).text[c.start : c.end] == c.quote  # quoted where it stands


def test_an_english_question_names_them_through_the_translation_of_its_kind(answerer):
    answer = answerer.ask("Which coalitions does the letter mention?")
    assert answer.answer.startswith("The documents name these coalitions (quoted in Dutch):\n- ")


@pytest.mark.parametrize(("question", "kind"), [
    ("Welke coalities zijn er?", ("coalities", "coalitie")),
    ("Welke ministeries worden in de brief genoemd?", ("ministeries", "ministerie")),
    ("Welke organisaties komen in de agenda voor?", ("organisaties", "organisatie")),
    # more is asked of them than that they are named: who takes part, who forms which coalition
    ("Welke gemeenten doen mee aan de pilot?", None),
    ("Welke organisaties vormen de coalitie voor digitale ethiek?", None),
    ("Welke thema's zijn er?", None),  # no organisations
])
def test_only_a_question_for_the_organisations_of_a_kind_is_taken(answerer, question, kind):
    assert Named(answerer.scorer).asked_kind(_asked(answerer, question)) == kind


def test_the_organisations_of_the_document_the_question_calls_and_as_its_current_version_names_them(tmp_path):
    factsheet = "# Factsheet wallet\n\nAlle lidstaten van de Europese Unie bieden een wallet aan.\n"
    old = "# Plan hulp\n\nHet Bureau Digitale Hulp opent 650 hulppunten.\n"
    new = "# Plan hulp\n\nHet Bureau Digitale Hulp opent 720 hulppunten in bibliotheken.\n"
    settings = indexed(tmp_path, {"factsheet.md": factsheet, "plan-v1.md": old, "plan-v2.md": new,
                                  "manifest.toml": manifest(
        {"id": "factsheet", "title": "Factsheet wallet", "kind": "factsheet", "path": "factsheet.md"},
        {"id": "plan-v1", "title": "Plan hulp (versie 1)", "kind": "plan", "status": "replaced",
         "replaced_by": "plan-v2", "path": "plan-v1.md"},
        {"id": "plan-v2", "title": "Plan hulp (versie 2)", "kind": "plan", "path": "plan-v2.md"})})
    answerer = Answerer(settings, "extractive")
    everyone = answerer.ask("Which organisations are mentioned?")
    assert everyone.answer.startswith("The documents name these organisations (quoted in Dutch):")
    by_name = {line[2:].split(": “")[0]: c for line, c in zip(everyone.answer.splitlines()[1:], everyone.citations,
                                                              strict=True)}
    assert set(by_name) == {"Europese Unie", "Bureau Digitale Hulp"}
    assert by_name["Bureau Digitale Hulp"].doc_id == "plan-v2"  # as the current version says it
    # and the who-is-who reads the current version first, whose sentences its few places keep
    bureau = next(a for a in answerer.index.overview().actors if a.name == "Bureau Digitale Hulp")
    assert bureau.roles[0].doc_id == "plan-v2"
    called = answerer.ask("Welke organisaties noemt de factsheet?")
    assert [c.doc_id for c in called.citations] == ["factsheet"]


def test_the_organisations_of_a_document_named_by_what_it_is_about_each_sentence_cited_once(tmp_path):
    """"Welke organisaties worden genoemd in de nota over datadelen?" names the note by its subject, not its kind
    alone: it was answered from the evidence with an English paper's sentence about "an organisation". A sentence
    that names two organisations is one source, not two numbered ones with the same quote."""
    nota = ("# Beleidsnota Verantwoord datadelen\n\nHet toetsingskader wordt ontwikkeld door het Kenniscentrum "
            "Datadelen in samenwerking met de Autoriteit Persoonsgegevens.\n\nHet Bureau Digitale Hulp helpt "
            "burgers.\n")
    paper = "# Trustworthy AI\n\nAn algorithm register describes which algorithms an organisation uses.\n"
    settings = indexed(tmp_path, {"nota.md": nota, "paper.md": paper, "manifest.toml": manifest(
        {"id": "nota", "title": "Beleidsnota Verantwoord datadelen binnen de overheid", "kind": "nota",
         "path": "nota.md"},
        {"id": "paper", "title": "Trustworthy AI", "kind": "policy paper", "language": "en",
         "path": "paper.md"})})
    answer = Answerer(settings, "extractive").ask("Welke organisaties worden genoemd in de nota over datadelen?")
    assert answer.answer.startswith("De documenten noemen deze organisaties:\n- "), answer.answer
    names = [line[2:].split(": “")[0] for line in answer.answer.splitlines()[1:]]
    assert set(names) == {"Kenniscentrum Datadelen", "Autoriteit Persoonsgegevens", "Bureau Digitale Hulp"}
    assert [c.doc_id for c in answer.citations] == ["nota", "nota"]  # two sentences, three organisations
    assert len({c.quote for c in answer.citations}) == 2
