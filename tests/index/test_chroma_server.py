"""Server mode: the same ingest and search code against a real `chroma run` on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_settings

from assistant.ingest import ingest
from assistant.retrieve import Searcher

pytestmark = pytest.mark.slow


def test_ingest_and_search_through_server(tmp_path: Path, chroma_server: int) -> None:
    import chromadb

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("# Datacenters\n\nHet energieverbruik van datacenters is sterk gestegen.\n")
    (corpus / "b.md").write_text("# Onderwijs\n\nHet Nationaal Onderwijslab werkt aan AI in het onderwijs.\n")
    settings = make_settings(corpus, tmp_path / "index", chroma={"host": "127.0.0.1", "port": chroma_server})

    first = ingest(settings)
    assert not first.failed and first.embedded == 2
    hits = Searcher(settings).search("energieverbruik datacenters", k=1)
    assert hits[0].chunk.doc_id == "a"
    assert not (settings.index_dir / first.generation / "chroma").exists(), "vectors must live on the server"

    (corpus / "b.md").write_text("# Onderwijs\n\nLeraren en scholen onderzoeken intelligente technologie.\n")
    second = ingest(settings)
    assert second.embedded == 1, "only the changed document is embedded; the rest is copied server-side"
    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server)
    names = {c.name for c in client.list_collections()}
    assert f"assistant-{second.generation}" in names
    live = client.get_collection(f"assistant-{second.generation}")
    assert live.count() == 2
    assert Searcher(settings).search("intelligente technologie leraren", k=1)[0].chunk.doc_id == "b"
