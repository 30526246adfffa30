"""Hybrid retrieval: BM25 (Dutch stemming) and dense embeddings, fused by weighted reciprocal rank.

Exposed both as plain `search()` (ranked `Hit`s with their chunks) and as a LangChain `BaseRetriever`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.config import Settings
from assistant.index import Index
from assistant.models.embeddings import get_embeddings
from assistant.text.lexicon import LANGUAGES, lemma, translations
from assistant.text.normalize import FUNCTION_WORDS_EN, language_of, shouted, unaccented, unshouted, written_forms
from assistant.text.spelling import american
from assistant.text.tokens import lexical_tokens, query_tokens
from assistant.types import Chunk, DocumentMeta, SearchHit

_WORD = re.compile(r"[^\W\d_]{3,}")
_OTHER_PART = 4  # the fewest letters of a compound's other part ("algoritme|register", not "grote|re")
# How Dutch joins the parts of a compound ("hulp|punt", "gegeven|s|deling") and ends it ("hulppunt|en").
_LINKS = ("", "s", "e", "en")
_ENDINGS = ("", "en", "s", "e", "n")


@dataclass
class Filters:
    """Restrict a search to some documents, kinds or a date range (ISO dates, inclusive)."""

    doc_ids: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None

    def allows(self, meta: dict[str, Any]) -> bool:
        date = meta.get("date") or ""
        return (
            (not self.doc_ids or meta["doc_id"] in self.doc_ids)
            and (not self.kinds or meta["kind"] in self.kinds)
            and (not self.date_from or (date and date >= self.date_from))
            and (not self.date_to or (date and date[: len(self.date_to)] <= self.date_to))
        )


@dataclass
class Hit:
    """A fused search result."""

    chunk: Chunk
    score: float
    lexical_rank: int | None = None
    dense_rank: int | None = None
    similarity: float | None = None  # cosine similarity to the query, when among the dense candidates


class Searcher:
    """Holds the opened index and embedder so repeated queries pay no start-up cost."""

    def __init__(self, settings: Settings, index: Index | None = None) -> None:
        self.settings = settings
        self.index = index or Index.open(settings)
        self._expansions: dict[str, str] | None = None
        self._bridged: dict[tuple[str, str], dict[str, list[str]]] = {}
        self._inflections: dict[str, dict[str, set[str]]] = {}
        self._spelled: dict[str, dict[str, str]] = {}  # by language: the abbreviations `spelled_out` replaces

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or not (filters.doc_ids or filters.kinds or filters.date_from or filters.date_to):
            return None
        docs = self.index.documents
        ok = {doc_id for doc_id, d in docs.items() if filters.allows(d["meta"])}
        return np.array([c.doc_id in ok for c in self.index.chunks], dtype=bool)

    def lexical(self, query: str, n: int, allowed: np.ndarray | None = None) -> list[int]:
        """Chunk positions by BM25 score, best first (only chunks that share a term with the query)."""
        tokens = query_tokens(query)
        if not tokens or not self.index.chunks:
            return []
        scores = self.index.bm25.get_scores(tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:n]
        return [int(i) for i in top if scores[i] > 0]

    def dense(self, query: str, n: int, allowed: np.ndarray | None = None) -> list[int]:
        """Chunk positions by embedding similarity, best first."""
        return [pos for pos, _ in self.dense_scored(query, n, allowed)]

    def dense_scored(self, query: str, n: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(chunk position, cosine similarity) by similarity, best first."""
        if not self.index.chunks:
            return []
        where = None
        if allowed is not None:
            ids = sorted({c.doc_id for c, ok in zip(self.index.chunks, allowed, strict=True) if ok})
            if not ids:
                return []
            where = {"doc_id": {"$in": ids}}
        found = self.index.vectors.similarity_search_with_score(
            query, k=min(n, len(self.index.chunks)), filter=where
        )
        return [(self.index.position(d.id), 1.0 - distance) for d, distance in found]

    @cached_property
    def _written(self) -> dict[str, str]:
        """The documents' words as they write them ("IenW", "Huffelen"), for a query typed in capitals: read
        once per process, at the first such query."""
        return written_forms(self.index.document(doc_id).text for doc_id in self.index.documents)

    def unshouted(self, text: str) -> str:
        """`text` as the documents write its words when it is typed in capitals ("WIE IS DE MINISTER VAN BZK?" ->
        "wie is de minister van BZK?"): the embedder reads capitals as other words. Any other text as it is."""
        return unshouted(text, self._written) if shouted(text) else text

    def search(self, query: str, k: int | None = None, filters: Filters | None = None,
               language: str | None = None) -> list[Hit]:
        """The `k` best chunks for `query` (read as the documents write it, `unshouted`), fused from both
        rankings; `language` is the query's where its words are too few to tell (see `bridged`)."""
        query = self.spelled_out(self.unshouted(query))
        r = self.settings.retrieval
        k = k or r.k
        allowed = self._allowed(filters)
        n = max(r.candidates, k)
        lexical = self.lexical(self.lexical_query(query, language), n, allowed) if r.lexical_weight else []
        groups = [self._dense_group(language_mask, allowed) for language_mask in self._language_masks]
        scored = [self.dense_scored(query, n, group) for group in groups] if r.dense_weight else []
        similarity = {pos: sim for ranking in scored for pos, sim in ranking}
        scores: dict[int, float] = {}
        ranks: dict[int, list[int | None]] = {}
        rankings = [(0, lexical, r.lexical_weight), *((1, [pos for pos, _ in g], r.dense_weight) for g in scored)]
        for which, ranking, weight in rankings:
            for rank, pos in enumerate(ranking, 1):
                scores[pos] = scores.get(pos, 0.0) + weight / (r.rrf_k + rank)
                ranks.setdefault(pos, [None, None])[which] = rank
        best = sorted(scores, key=lambda p: (-scores[p], p))[:k]
        return [Hit(self.index.chunks[p], scores[p], *ranks[p], similarity.get(p)) for p in best]

    def lexical_query(self, query: str, language: str | None = None) -> str:
        """The query as BM25 reads it: with what its abbreviations stand for, and the documents' words that
        translate its words or are nearest in meaning to those the documents lack."""
        return " ".join([self.expanded(query),
                         *(w for words in self.bridged(query, language).values() for w in words)])

    def expanded(self, query: str) -> str:
        """The query with what its abbreviations stand for (the glossary of the overview), so "NOLAI" also
        finds "Nationaal Onderwijslab" and the other way round."""
        if self._expansions is None:
            from assistant.enrich.overview import expansions

            self._expansions = expansions(self.index.overview().glossary)
        extra = [exp for abbr, exp in self._expansions.items()
                 if re.search(rf"(?<![\w-]){re.escape(abbr)}(?![\w])", query)]
        extra += [abbr for abbr, exp in self._expansions.items() if exp.lower() in query.lower()]
        return " ".join([query, *extra])

    @cached_property
    def _language_masks(self) -> list[np.ndarray | None]:
        """The chunks of each language's documents, when there is more than one: an embedding's similarity to a
        question is comparable only among texts of one language (a Dutch question is nearer to any Dutch
        passage than to the English one that answers it), so each language's passages are ranked among
        themselves."""
        if len(self._languages) < 2:
            return [None]
        of = self._document_languages
        return [np.array([of[c.doc_id] == lang for c in self.index.chunks], dtype=bool)
                for lang in sorted(self._languages)]

    @staticmethod
    def _dense_group(mask: np.ndarray | None, allowed: np.ndarray | None) -> np.ndarray | None:
        return allowed if mask is None else mask if allowed is None else mask & allowed

    def spelled_out(self, text: str) -> str:
        """`text` with each abbreviation the documents never write, but do write out, replaced by what it stands
        for (the curated list, `assistant/abbreviations.toml`): "Naar welk WRR-rapport verwijst de brief?" asks
        for the "Rapport nr. 105 van de Wetenschappelijke Raad voor het Regeringsbeleid" the letter cites, and
        no word of the letter is "WRR", nor does the embedder know it. An abbreviation the documents write
        ("BZK") is kept: it is their word for it."""
        for abbr, expansion in self._unwritten(language_of(text)).items():
            text = re.sub(rf"(?<![\w-]){re.escape(abbr)}(?!\w)", expansion, text)
        return text

    def _unwritten(self, language: str) -> dict[str, str]:
        """The curated abbreviations, written out for a question in `language` ("EU" is "European Union" in an
        English question, "Europese Unie" in a Dutch one), that the documents lack and whose every word they hold,
        read in either language; found once per language."""
        if language not in self._spelled:
            from assistant.enrich.overview import curated_expansions

            indexed = self.index.bm25.vocab_dict  # every token, "AI" too (the word list keeps longer words only)

            def held(text: str) -> bool:
                return any(set(lexical_tokens(text, lg)) <= indexed.keys() for lg in LANGUAGES)
            self._spelled[language] = {abbr: expansion for abbr, expansion in curated_expansions(language).items()
                                       if not held(abbr) and held(expansion)}
        return self._spelled[language]

    @cached_property
    def _document_languages(self) -> dict[str, str]:
        return {doc_id: DocumentMeta(**d["meta"]).language for doc_id, d in self.index.documents.items()}

    @cached_property
    def _languages(self) -> set[str]:
        return set(self._document_languages.values())

    @cached_property
    def _known_stems(self) -> set[str]:
        return set(self.index.words[0])

    def bridged(self, query: str, language: str | None = None) -> dict[str, list[str]]:
        """For a query in another language than some documents: each of its words with the documents' words
        that translate it, so "goals" also finds "doelen" and "doelen" finds "goals". The query's `language` is
        read from its own words unless given (a topic cut from a question, "older people", has too few to tell).

        Translations come from the dictionary (`text.lexicon`), kept where the documents use them, as written
        or inflected ("drive" is "drijven", met by "voortgedreven"). A word the
        documents lack and the dictionary does not hold gets the documents' words nearest to it in meaning as
        the embedder sees words alone (`Index.words`): those within `bridge_margin` of its nearest, if that one
        reaches `min_bridge_similarity`. In any language, a word the documents write only inside compounds, and
        that nothing translates, has those compounds (`_compounded`)."""
        _, words, vectors = self.index.words
        language = language or language_of(query)
        if not len(vectors):
            return {}
        if (query, language) not in self._bridged:
            # the documents' own language: only the compounds a word stands in, as nothing translates it
            found = (self._compounded(query) if self._languages <= {language}
                     else self._translations(query, language, words, vectors))
            if len(self._bridged) > 16:  # a question is searched more than once (an evaluation ranks it again)
                self._bridged.clear()
            self._bridged[query, language] = found
        return self._bridged[query, language]

    def _translations(self, query: str, language: str, words: list[str], vectors: np.ndarray) -> dict[str, list[str]]:
        """`bridged` for a query in another language than some documents: its words' translations, the compounds
        they join into, the compounds a word stands in, and for a word still lacking, the nearest in meaning."""
        r = self.settings.retrieval
        known = self._known_stems
        asked = list(dict.fromkeys(  # abbreviations are names, not words to translate
            w.lower() for w in _WORD.findall(query) if not w.isupper() and w.lower() not in FUNCTION_WORDS_EN
            and lexical_tokens(w)))
        found = {word: near for word in asked if (near := self._translated(word, language))}
        for word, parts in self._compounds(query, language).items():
            found[word] = sorted({*found.get(word, []), *parts})
        for word, parts in self._compounded(query).items():  # "cybersecurity", which no dictionary holds
            found.setdefault(word, parts)
        lacked = [w for w in asked if w not in found and lexical_tokens(w)[0] not in known]
        if lacked:
            similarity = np.array(get_embeddings(self.settings).embed_documents(lacked), dtype=np.float32)
            similarity /= np.maximum(np.linalg.norm(similarity, axis=1, keepdims=True), 1e-12)
            for word, row in zip(lacked, similarity @ vectors.T, strict=True):
                best = float(row.max())
                if best >= r.min_bridge_similarity:
                    near = np.argsort(-row)[: r.bridge_words]
                    found[word] = [words[i] for i in near if row[i] >= best - r.bridge_margin]
        return found

    def _compounded(self, query: str) -> dict[str, list[str]]:
        """Each word of the query the documents never write alone, with the compounds they write it in, as their
        first or last part: "cybersecurity" is met by "Cybersecuritystrategie", "register" by "algoritmeregister".
        A word of five letters or more (a shorter one is a part of too many words that are not about it), and another
        part of four or more ("grotere" is "grote" inflected, "staten" no compound of "state")."""
        known = self._known_stems
        found: dict[str, list[str]] = {}
        for word in dict.fromkeys(w.lower() for w in _WORD.findall(query)):
            if len(word) < 5 or word in FUNCTION_WORDS_EN or not (stem := lexical_tokens(word)) or stem[0] in known:
                continue
            parts = sorted(w for w in self._document_words
                           if len(w) >= len(word) + _OTHER_PART and (w.startswith(word) or w.endswith(word)))
            if parts:
                found[word] = parts
        return found

    def _translated(self, word: str, language: str) -> list[str]:
        """The documents' words that translate `word`: a translation where they hold it, else the forms in which
        they hold it ("drive" -> "drijven", which stands in them as "voortgedreven" only)."""
        known = self._known_stems
        near: set[str] = set()
        for t in translations(word, language):
            stem = lexical_tokens(t)
            near |= {t} if stem and stem[0] in known else self._inflected(language).get(unaccented(t.lower()), set())
        return sorted(near)

    def _inflected(self, language: str) -> dict[str, set[str]]:
        """The documents' words that are not their own dictionary form, by that form in the language a query in
        `language` is translated into; made once for each language asked in."""
        if language not in self._inflections:
            into = next(other for other in LANGUAGES if other != language)
            found: dict[str, set[str]] = {}
            for w in self._document_words:
                if (form := lemma(w, into)) != w:
                    found.setdefault(form, set()).add(w)
            self._inflections[language] = found
        return self._inflections[language]

    @cached_property
    def _document_words(self) -> set[str]:
        return set(self.index.words[1])

    def _compounds(self, query: str, language: str) -> dict[str, list[str]]:
        """Dutch writes as one word what English writes as two: each pair of neighbouring English words whose
        translations (or the words themselves: "algorithm register", "data sharing") join into a word of the
        documents ("algoritmeregister", "datadelen", "subsidieplafond" for "subsidy ceiling"), with that word
        for both of them."""
        if language != "en":
            return {}
        words = [w.lower() for w in _WORD.findall(query)]
        found: dict[str, list[str]] = {}
        for first, second in pairwise(words):
            if first in FUNCTION_WORDS_EN or second in FUNCTION_WORDS_EN:
                continue
            heads = {american(first), *translations(first, language)}
            tails = {american(second), *translations(second, language)}
            for compound in {f"{h}{link}{t}{ending}" for h in heads for t in tails for link in _LINKS
                             for ending in _ENDINGS} & self._document_words:
                found.setdefault(first, []).append(compound)
                found.setdefault(second, []).append(compound)
        return found

    def to_search_hit(self, rank: int, hit: Hit) -> SearchHit:
        meta = self.index.meta(hit.chunk.doc_id)
        c = hit.chunk
        return SearchHit(
            rank=rank, score=round(hit.score, 6), chunk_id=c.chunk_id, doc_id=c.doc_id, title=meta.title,
            identifier=meta.identifier, section=list(c.section), pages=list(c.pages), start=c.start, end=c.end,
            text=c.text, footnotes=[{"number": f.number, "text": f.text} for f in c.footnotes],
            lexical_rank=hit.lexical_rank, dense_rank=hit.dense_rank,
        )


class HybridRetriever(BaseRetriever):
    """LangChain retriever over `Searcher`; each Document's metadata carries the chunk and its scores."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Searcher
    k: int = 5
    filters: Filters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        hits = self.searcher.search(query, self.k, self.filters)
        return [
            LCDocument(page_content=h.chunk.text, id=h.chunk.chunk_id,
                       metadata=self.searcher.to_search_hit(i, h).model_dump(exclude={"text"}))
            for i, h in enumerate(hits, 1)
        ]
