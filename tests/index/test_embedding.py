"""What ingest embeds: each distinct text once, and the same vector however texts are grouped into batches."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import make_settings

from assistant.index import embedding
from assistant.index.embedding import Passages, embed_words
from assistant.models.embeddings import get_embeddings


class Counting:
    """An embedder that records what it is given; a text's vector is its length and first letter."""

    def __init__(self) -> None:
        self.given: list[list[str]] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.given.append(list(texts))
        return [[float(len(t)), float(ord(t[0]))] for t in texts]


def test_each_distinct_text_is_embedded_once_and_rows_keep_their_order(tmp_path: Path, monkeypatch) -> None:
    counting = Counting()
    monkeypatch.setattr(embedding, "get_embeddings", lambda _settings: counting)
    passages = Passages(make_settings(tmp_path, tmp_path / "index", embeddings={"batch_size": 2}))

    first = passages.vectors(["gemeenten", "wijkteams", "gemeenten", "loket"])
    again = passages.vectors(["loket", "armoede"])

    assert counting.given == [["gemeenten", "wijkteams"], ["loket"], ["armoede"]]
    assert first[:, 0].tolist() == [9, 9, 9, 5] and first[1, 1] == ord("w")
    assert again[:, 0].tolist() == [5, 7]
    assert passages.embedded == 4


def test_batches_never_change_a_vector(tmp_path: Path) -> None:
    texts = ["Het kabinet investeert in digitale vaardigheden van burgers.", "algoritmes", "Bibliotheken helpen.",
             "De toezichthouder rapporteert jaarlijks aan de Tweede Kamer over de risico's van algoritmes."]
    settings = make_settings(tmp_path, tmp_path / "index", embeddings={"batch_size": 3})
    alone = np.array([get_embeddings(settings).embed_documents([t])[0] for t in texts], dtype=np.float32)

    together = Passages(settings).vectors(texts)

    assert np.abs(together - alone).max() < 1e-6
    words = embed_words(Passages(settings), ["algoritmes", "burgers"])
    assert abs(float(np.linalg.norm(words["burgers"])) - 1.0) < 1e-6
    assert np.abs(words["algoritmes"] - alone[1] / np.linalg.norm(alone[1])).max() < 1e-6
