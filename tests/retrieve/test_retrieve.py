"""Hybrid retrieval through its LangChain retriever interface and its filters."""

from __future__ import annotations

import numpy as np

from assistant.retrieve import Filters, HybridRetriever, Searcher
from assistant.text.tokens import lexical_tokens, vocabulary


def test_langchain_retriever_returns_cited_documents(bundled):
    retriever = HybridRetriever(searcher=Searcher(bundled), k=3)
    docs = retriever.invoke("Basis Data Infrastructuur goederenvervoer")
    assert len(docs) == 3
    top = docs[0]
    assert "Basis Data Infrastructuur (BDI)" in top.page_content
    assert top.id == top.metadata["chunk_id"]
    assert top.metadata["doc_id"] == "kst-26643-1055"
    assert top.metadata["pages"] == [12]
    assert top.metadata["section"][-1] == "Thema overstijgende vraagstukken"
    assert top.metadata["lexical_rank"] is not None and top.metadata["dense_rank"] is not None
    assert [d.metadata["rank"] for d in docs] == [1, 2, 3]


def test_filters_exclude_everything_that_does_not_match(bundled):
    searcher = Searcher(bundled)
    assert searcher.search("datacenters", 5, Filters(doc_ids=["kst-26643-1055"]))
    assert searcher.search("datacenters", 5, Filters(doc_ids=["other-doc"])) == []
    assert searcher.search("datacenters", 5, Filters(kinds=["Kamerbrief"]))
    assert searcher.search("datacenters", 5, Filters(kinds=["motie"])) == []
    assert searcher.search("datacenters", 5, Filters(date_from="2023-07-01", date_to="2023-07-31"))
    assert searcher.search("datacenters", 5, Filters(date_from="2024-01-01")) == []


def test_dense_similarity_is_a_cosine(bundled):
    hits = Searcher(bundled).search("energieverbruik van datacenters", 3)
    assert all(h.similarity is not None and 0.5 < h.similarity <= 1.0 for h in hits)


def test_vocabulary_keeps_each_stem_once_with_its_commonest_word():
    forms = vocabulary(["De doelen en het doel.", "Doelen, doelen! 2040 is ok; de coalities."])
    assert forms["doel"] == "doelen"  # three "doelen" against one "doel"
    assert "coalities" in forms.values()
    assert forms == {"doel": "doelen", "coalitie": "coalities"}  # no stop words, short words or numbers


def test_a_footnote_marker_is_no_part_of_the_word_it_follows():
    assert lexical_tokens("de inzet van algoritmen¹¹ in de uitvoering¹⁹.") == lexical_tokens(
        "de inzet van algoritmen in de uitvoering.") == ["inzet", "algoritm", "uitvoer"]


def test_an_english_question_also_searches_the_dutch_words_nearest_in_meaning(bundled):
    searcher = Searcher(bundled)
    stems, words, vectors = searcher.index.words
    assert len(stems) == len(words) == len(vectors) > 500
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-2)

    bridged = searcher.bridged("Which examples of WRR advice on the goals of the agenda does the letter give?")
    assert "doel" in {lexical_tokens(w)[0] for w in bridged["goals"]}
    assert "voorbeeld" in {lexical_tokens(w)[0] for w in bridged["examples"]}
    assert not {"which", "the", "does", "give", "wrr", "agenda"} & set(bridged)  # function words, names, shared
    assert searcher.bridged("Wat zijn de doelen van de agenda?") == {}  # the documents' own language

    question = "Which organisation was asked to help develop the future scenarios?"

    def finds(query: str) -> bool:
        return any("Argumentenfabriek is gevraagd" in searcher.index.chunks[p].text for p in searcher.lexical(query, 3))

    assert finds(searcher.lexical_query(question)) and not finds(question)
    assert any(h.lexical_rank and "Argumentenfabriek is gevraagd" in h.chunk.text for h in searcher.search(question, 5))



def test_a_word_the_documents_write_only_in_compounds_is_met_by_those_compounds(bundled):
    searcher = Searcher(bundled)
    assert searcher.bridged("Welke kamerstukken worden genoemd over cybersecurity?") == {
        "cybersecurity": ["cybersecuritystrategie"]}
    assert searcher.bridged("Which strategy on cybersecurity is cited?")["cybersecurity"] == ["cybersecuritystrategie"]
    # an inflected form is no compound, nor is a word of another language that begins the same
    assert "grote" not in searcher.bridged("Welke grote vraag ligt achter de scenario's?")
    assert "grotere" in searcher._document_words
    # a word with a translation is met by that, not by the compounds it starts
    assert "digitaliseringsvraagstukken" not in searcher.bridged("What drives the digital transition?")["digital"]
    assert "digitaal" in searcher.bridged("What drives the digital transition?")["digital"]


def test_a_topic_too_short_to_tell_its_language_is_searched_as_its_question_says(bundled):
    """"older people" cut from "What does the letter say about older people?" reads as Dutch by its words
    alone; searched as English, BM25 also searches the letter's "ouderen"."""
    searcher = Searcher(bundled)
    assert "ouder" not in lexical_tokens(searcher.lexical_query("older people"))
    assert "ouder" in lexical_tokens(searcher.lexical_query("older people", "en"))
    assert any(h.lexical_rank and "ouderen" in h.chunk.text for h in searcher.search("older people", 5, language="en"))


def test_a_query_typed_in_capitals_finds_what_it_finds_as_the_documents_write_it(bundled):
    searcher = Searcher(bundled)
    query = "Welke rol heeft de Minister van IenW bij de Basis Data Infrastructuur?"
    # each word as the documents most often write it
    assert searcher.unshouted(query.upper()) == "Welke rol heeft de Minister van IenW bij de basis data infrastructuur?"
    written, shouted = searcher.search(query, 5), searcher.search(query.upper(), 5)
    assert [h.chunk.chunk_id for h in shouted] == [h.chunk.chunk_id for h in searcher.search(
        searcher.unshouted(query.upper()), 5)]
    assert shouted[0].chunk.chunk_id == written[0].chunk.chunk_id
    assert "Basis Data Infrastructuur (BDI)" in shouted[0].chunk.text
    assert searcher.unshouted(query) == query  # a query not in capitals is searched as typed


def test_an_abbreviation_the_documents_only_write_out_is_read_as_they_write_it(bundled):
    """The letter cites "Rapport nr. 105 van de Wetenschappelijke Raad voor het Regeringsbeleid" and never writes
    "WRR"; it writes "BZK" and "EU" itself, which stay as they are."""
    searcher = Searcher(bundled)
    assert searcher.spelled_out("Naar welk WRR-rapport verwijst de brief?") == (
        "Naar welk Wetenschappelijke Raad voor het Regeringsbeleid-rapport verwijst de brief?")
    assert searcher.spelled_out("Welke rol speelt BZK in de EU?") == "Welke rol speelt BZK in de EU?"
    assert searcher.spelled_out("Which WRR report does the letter cite?") == (
        "Which Wetenschappelijke Raad voor het Regeringsbeleid report does the letter cite?")
    hits = searcher.search("Naar welk WRR-rapport verwijst de brief?", 5)
    assert any("Opgave AI" in note.text for h in hits for note in h.chunk.footnotes)
