"""Every version of what the index stores, in one table, with what each stored result depends on.

A stored result is stamped with its effective version: its own plus the effective versions of what it depends
on. Versions only ever go up, so bumping any of them raises the stamp of everything that depends on it, and a
stamp never comes back: whatever carries another stamp than `stamp(name)` was made by another version and is
made again (see `health` and `ingest`).

What each version guards (the place it guards says so too: "bump ... in `index/versions.py`"):

- `schema`: the layout of a generation (its files and `state.json`); another schema is rebuilt from scratch.
- `sentences`: where `text.sentences.sentence_spans` ends a sentence. Chunks, the references and the overview
  are all read sentence by sentence. It counts from 0 so that, until its first bump, the stamps of what
  depends on it are their own versions.
- `folding`: how `text.normalize.fold` folds text before it is read for words or embedded. The chunks' and
  sentences' vectors are made from folded text (so through `chunks`, every document is read again), and so are
  the lexical tokens.
- `chunks`: how a document is read into paragraphs (a PDF's table rows, `sources.loaders.tables`) and how
  `sources.chunking.chunk_document` cuts it, and which of its texts get vectors (`index.embedding`: chunks,
  sentences, footnotes); part of every document's content hash, so a document cut or embedded otherwise is read
  again as a whole (its references and overview with it).
- `lexical`: how `text.tokens.lexical_tokens` reads text; an index tokenised otherwise gets its BM25 index
  anew. It reads words, not sentences: the BM25 index is made anew at every ingest from the current chunks.
- `refs`: how `enrich.refs.extract` finds what a document cites (`docs/<id>.refs.json`).
- `overview`: how `enrich.overview.describe` makes a document's part of the overview (`docs/<id>.overview.json`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Version:
    """One stored result's own version and the names of the results it is made from."""

    own: int
    depends: tuple[str, ...] = ()


TABLE: dict[str, Version] = {
    "schema": Version(2),
    "sentences": Version(2),
    "folding": Version(1),
    "chunks": Version(24, ("sentences", "folding")),
    "lexical": Version(5, ("folding",)),
    "refs": Version(4, ("sentences",)),
    "overview": Version(21, ("sentences",)),
}


def stamp(name: str) -> int:
    """The effective version of the stored result `name`: its own plus those of what it depends on."""
    version = TABLE[name]
    return version.own + sum(stamp(d) for d in version.depends)
