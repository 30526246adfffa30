"""The order an answer's quotes are read in: the one that answers first, then the rest as the document has them,
each footnote after the sentence that points to it (its span starts where its passage does)."""

from __future__ import annotations

import pytest

from assistant.answer.answerer import Answerer
from assistant.answer.chosen import Evidence, led, without_title
from assistant.types import Chunk, Footnote, Span

TEXT = ("Het kabinet richtte een coalitie op¹. Daarna volgden er drie². De coalitie werkt aan ethiek. "
        "Zij rapporteert jaarlijks.")
CHUNK = Chunk(chunk_id="c1", doc_id="d", ordinal=0, text=TEXT, start=0, end=len(TEXT), section=("1. Coalities",),
              pages=(1,),
              footnotes=(Footnote(1, "Zie Kamerstuk 26 643, nr. 940.", 1), Footnote(2, "Zie de bijlage.", 1)))


def unread(ev: Evidence) -> str:
    """What a sentence is read under: nothing, here."""
    return ""


def sentence(quote: str, score: float) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(1, CHUNK, Span(doc_id="d", quote=quote, start=start, end=start + len(quote)), 0.5, score)


def note(number: int, score: float) -> Evidence:
    text = CHUNK.footnotes[number - 1].text
    return Evidence(1, CHUNK, Span(doc_id="d", quote=text, footnote=number, start=0, end=0), 0.5, score)


def test_a_footnote_follows_the_sentence_that_points_to_it():
    lead = sentence("De coalitie werkt aan ethiek.", 3.0)
    first, second = sentence("Het kabinet richtte een coalitie op¹.", 2.5), sentence("Daarna volgden er drie².", 2.4)
    last = sentence("Zij rapporteert jaarlijks.", 2.3)
    chosen = [lead, last, second, first, note(2, 2.0), note(1, 2.0)]
    assert [ev.span.footnote or ev.span.quote for ev in led(chosen, "Waar werkt de coalitie aan?", unread)] == [
        "De coalitie werkt aan ethiek.", "Het kabinet richtte een coalitie op¹.", 1, "Daarna volgden er drie².", 2,
        "Zij rapporteert jaarlijks."]


ORGS = ("Het doel van de coalitie is ethiek. "
        "In deze fase wordt de coalitie gevormd door IPO, UWV, Rijks ICT-Gilde en VNG.")
ORG_CHUNK = Chunk(chunk_id="c2", doc_id="d", ordinal=1, text=ORGS, start=0, end=len(ORGS), section=(), pages=(1,))


@pytest.mark.parametrize(("question", "first"), [
    # asked which organisations: the sentence that names them leads, not the best-scoring one
    ("Welke organisaties vormen de coalitie?", "In deze fase"),
    ("Which parties form the coalition?", "In deze fase"),
    ("Wat is het doel van de coalitie?", "Het doel"),
])
def test_a_question_for_which_organisations_is_answered_first_by_the_sentence_that_names_them(question, first):
    def at(quote: str, score: float) -> Evidence:
        start = ORGS.index(quote)
        return Evidence(1, ORG_CHUNK, Span(doc_id="d", quote=quote, start=start, end=start + len(quote)), 0.5, score)

    chosen = [at("Het doel van de coalitie is ethiek.", 3.0),
              at("In deze fase wordt de coalitie gevormd door IPO, UWV, Rijks ICT-Gilde en VNG.", 2.5)]
    assert led(chosen, question, unread)[0].span.quote.startswith(first)


def test_a_footnote_no_chosen_sentence_points_to_closes_its_passage():
    lead, other = sentence("De coalitie werkt aan ethiek.", 3.0), sentence("Daarna volgden er drie².", 2.4)
    order = led([lead, note(1, 2.5), other, note(2, 2.0)], "Waar werkt de coalitie aan?", unread)
    assert [ev.span.footnote or ev.span.quote for ev in order] == [
        "De coalitie werkt aan ethiek.", "Daarna volgden er drie².", 2, 1]



def test_a_word_its_heading_holds_counts_a_little_for_a_sentence(tmp_path):
    from conftest import indexed

    from assistant.answer.answerer import Answerer
    from assistant.text.tokens import lexical_tokens

    agenda = ("# Agenda\n\n## Thema 1: Digitale ethiek\n\n"
              "In deze fase wordt de coalitie gevormd door IPO, UWV en VNG.\n\n"
              "## Thema 2: AI in actie\n\nIn deze fase wordt de coalitie gevormd door TNO, SURF en NWO.\n")
    scorer = Answerer(indexed(tmp_path, {"agenda.md": agenda}), "extractive").scorer
    terms = scorer.terms("Door wie wordt de coalitie voor ethiek gevormd?")
    sentence = "In deze fase wordt de coalitie gevormd door IPO, UWV en VNG."
    alone = scorer.coverage(terms, sentence)
    under = scorer.coverage(terms, sentence, heading=frozenset(lexical_tokens("Thema 1: Digitale ethiek")))
    held = scorer.coverage(terms, f"{sentence} Het gaat om ethiek.")
    assert alone < under < held
    assert under - alone == pytest.approx(scorer.settings.answer.heading_weight * (held - alone))


@pytest.mark.parametrize("name", ["nota.html", "nota.docx"])
def test_a_sentence_that_announces_a_web_pages_or_word_list_takes_its_items_along(tmp_path, name):
    """The items of a list in a web page or a Word document carry their bullets into the text, as a PDF's do, so
    the sentence that announces them is quoted with them."""
    from conftest import indexed, word_document, word_list_item, word_paragraph

    items = ["gegevens worden alleen voor een vastgelegd doel gedeeld;", "er wordt niet meer gevraagd dan nodig;",
             "burgers zien wie hun gegevens opvroeg."]
    lead = "Het kabinet maakt drie afspraken over het delen van gegevens:"
    other = "De nota verschijnt in het najaar en wordt daarna besproken met gemeenten en provincies."
    if name.endswith(".html"):
        content: object = (f"<html><body><h1>Nota datadeling</h1><p>{other}</p><p>{lead}</p><ul>"
                           + "".join(f"<li>{i}</li>" for i in items) + "</ul></body></html>")
    else:
        body = (word_paragraph("Nota datadeling", "Heading1") + word_paragraph(other) + word_paragraph(lead)
                + "".join(map(word_list_item, items)))
        content = lambda path: word_document(path, body)  # noqa: E731
    answer = Answerer(indexed(tmp_path, {name: content}), "extractive").ask("Welke afspraken maakt het kabinet?")
    assert answer.citations[0].quote.startswith(lead)
    assert all(i in answer.citations[0].quote for i in items)


def test_a_year_in_the_documents_title_dates_nothing_a_sentence_says(tmp_path):
    """"Wanneer treedt de regeling in werking?" led with "Deze regeling wordt aangehaald als: Regeling subsidie
    digitale hulppunten 2025.": the year of the regulation's name was read as the time asked for, and put that
    sentence before the one that says when it takes effect."""
    from conftest import indexed, manifest

    regeling = ("# Regeling subsidie digitale hulppunten 2025\n\n## Artikel 9\n\n1. Deze regeling treedt in werking "
                "met ingang van de dag na de datum van uitgifte van de Staatscourant waarin zij wordt geplaatst.\n\n"
                "2. Deze regeling wordt aangehaald als: Regeling subsidie digitale hulppunten 2025.\n")
    settings = indexed(tmp_path, {"regeling.md": regeling, "manifest.toml": manifest(
        {"id": "regeling", "title": "Regeling subsidie digitale hulppunten 2025", "kind": "regeling",
         "path": "regeling.md"})})
    chosen = [ev for ev in [Evidence(1, CHUNK, Span(doc_id="regeling", quote=q, start=0, end=0), 0.5, 0.0)
                            for q in ("1. Deze regeling treedt in werking met ingang van de dag na de datum van "
                                      "uitgifte van de Staatscourant waarin zij wordt geplaatst.", "2. Deze regeling "
                                      "wordt aangehaald als: Regeling subsidie digitale hulppunten 2025.")]]
    answerer = Answerer(settings, "extractive")
    title = answerer.scorer.index.meta("regeling").title
    lead = led(chosen, "Wanneer treedt de regeling in werking?", unread,
               said=lambda ev: without_title(ev.span.quote, title))[0]
    assert "treedt in werking" in lead.span.quote
    # as any question asks it: the answer leads with the sentence that says when it takes effect
    answer = answerer.ask("Wanneer is de regeling voor digitale hulppunten in werking getreden?")
    assert "treedt in werking" in answer.citations[0].quote, answer.answer
