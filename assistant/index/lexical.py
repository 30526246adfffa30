"""The lexical side of a generation: a bm25s index of every chunk's indexed text, in `bm25/`.

It is made anew from all chunks at every commit (cheap next to embedding), so it always matches them; its
tokens are read by `text.tokens.lexical_tokens` in each document's language, whose version `state.json` records
as `lexical`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.index.documents import indexed_text
from assistant.text.tokens import lexical_tokens
from assistant.types import Chunk, DocumentMeta


def write_lexical(gen_dir: Path, chunks: list[Chunk], metas: dict[str, DocumentMeta]) -> None:
    """Index `chunks` (in this order: a hit's number is its position) for BM25 and save it in `gen_dir`."""
    import bm25s

    retriever = bm25s.BM25()
    tokens = [lexical_tokens(indexed_text(c, metas[c.doc_id]), metas[c.doc_id].language) for c in chunks]
    # bm25s cannot index an empty corpus; an empty index is still a valid, searchable state
    retriever.index(tokens or [["\u2205"]], show_progress=False)
    retriever.save(str(gen_dir / "bm25"), show_progress=False)


def load_lexical(gen_dir: Path) -> Any:
    """The BM25 index saved in `gen_dir`."""
    import bm25s

    return bm25s.BM25.load(str(gen_dir / "bm25"), mmap=False)
