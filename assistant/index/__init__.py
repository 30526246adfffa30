"""The index: Chroma (dense) and bm25s (lexical) side by side, in crash-safe generations.

A generation directory holds::

    state.json       schema and lexical versions, embedder, chunking settings, and per document its metadata,
                     content hash, files and chunk ids
    chunks.jsonl     every chunk, in the order of the lexical index
    bm25/            the lexical index (`lexical`)
    chroma/          the chunk vectors in embedded mode (`vectors`; with a server, a collection of its own)
    words.npz        each stem of the indexed text with its commonest word's embedding (`embedding`)
    docs/<id>.json   a document's clean text (`documents`), beside <id>.sentences.npz (sentence and footnote vectors),
                     <id>.refs.json (what it cites, see `enrich.refs`) and <id>.overview.json (its map,
                     glossary, timeline, actors, see `enrich.overview`)

`generations` keeps which generation is live and lets one writer at a time make the next; `writer` builds it
from what ingest derived; `reader` reads the live one; `versions` stamps everything stored.
"""

from assistant.index.generations import check_writable, current_generation, ingest_lock
from assistant.index.reader import Index
from assistant.index.writer import Analyses, Writer

__all__ = ["Analyses", "Index", "Writer", "check_writable", "current_generation", "ingest_lock"]
