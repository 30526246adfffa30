"""Hybrid retrieval through its LangChain retriever interface and its filters."""

from __future__ import annotations

from assistant.retrieve import Filters, HybridRetriever, Searcher


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
