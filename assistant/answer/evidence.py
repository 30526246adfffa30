"""Evidence: every sentence and footnote of the retrieved passages, scored by how much of the question's
(idf-weighted, stemmed) content it covers, its passage's rank and its embedding similarity; and the choice of the
sentences an answer rests on, or none when the documents do not answer.

The documents are taken not to answer when neither the best sentences' coverage (each alone, or read with the
sentences around it) nor the best passage's embedding similarity reaches its calibrated threshold
(`evals/calibrate.py`), or when the question asks for a number or a time that the evidence does not hold.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

import numpy as np

from assistant.answer.chosen import Evidence, footnotes_of, led, ran_on, without_title
from assistant.answer.extent import POINTS_BACK, extent
from assistant.answer.guard import INSTRUCTION
from assistant.answer.questions import (
    ABOUT_CONTENT,
    BROAD,
    QUESTION_WORDS,
    asks_address,
    asks_earlier_version,
    counted_noun,
    counts,
    has_asked_type,
    names_its_numbers,
    names_the_kind_asked,
    restricted,
    says_what_was_done,
)
from assistant.answer.which import holds_the_group, is_the_row_asked, with_the_group
from assistant.config import Settings
from assistant.enrich.colophon import author
from assistant.enrich.refs.grammar import named_in_words
from assistant.index import Index
from assistant.models.embeddings import get_embeddings
from assistant.retrieve import Hit
from assistant.text import rules
from assistant.text.normalize import FUNCTION_WORDS_EN, language_of, match_key
from assistant.text.sentences import sentence_units
from assistant.text.tokens import lexical_tokens, stem_forms
from assistant.types import Chunk, Document, Span

# A web address alone says where something is, not what (`assistant/rules/evidence.toml`).
_WEB_ADDRESS = rules.rule("evidence", "web-address")
# How much a follow-up's earlier question counts in choosing evidence: it disambiguates, it does not answer.
_CONTEXT_WEIGHT = 0.2
_COUNT_BONUS = 1.0  # a sentence that gives the asked count ranks as if it covered the whole question once more
# English words that carry no content ("does", "have"); the index's Dutch and Lucene stop lists leave them in
FUNCTION_STEMS_EN = frozenset(lexical_tokens(" ".join(FUNCTION_WORDS_EN)))


@dataclass(frozen=True)
class Term:
    """A word of the question: how much it counts, and the stems that meet it with how fully each does (its
    own stem fully, a translation as likely as it is to be the one meant)."""

    weight: float
    forms: dict[str, float]


Terms = dict[str, Term]  # by the question's stem


class Scorer:
    """Scores and chooses evidence over an opened index."""

    def __init__(self, settings: Settings, index: Index, document: Callable[[str], Document]) -> None:
        self.settings = settings
        self.index = index
        self.document = document
        self._settings: dict[str, tuple[frozenset[str], str, set[str]]] = {}

    @cached_property
    def _idf(self) -> dict[str, float]:
        """Inverse document frequency of every stem, read from the BM25 index's own statistics."""
        bm25 = self.index.bm25
        indptr = bm25.scores["indptr"]
        n = max(len(self.index.chunks), 1)
        return {  # bm25s keeps one column per token (the empty padding token has none)
            t: math.log(1 + n / (indptr[i + 1] - indptr[i] + 0.5))
            for t, i in bm25.vocab_dict.items()
            if i + 1 < len(indptr)
        }

    def coverage(self, terms: Terms, text: str, setting: frozenset[str] = frozenset(),
                 heading: frozenset[str] = frozenset(), language: str | None = "nl") -> float:
        """The (idf- and `terms`-weighted) share of the question's terms that `text` contains, or its `setting`
        (the stems of its document's title, of an identifier that names it in words and of its author's office and
        name: "volgens de EPSIF-paper" is met by every sentence of "EPSIF Policy Paper No. 12", "the state
        secretary" by every sentence of the letter she signed and writes in the first person, and no sentence is
        chosen for repeating them). A term met only by a translation counts as much as that translation is likely
        to be meant (see `terms`); one met only by the `heading` of the sentence's section, a tenth: "In deze fase
        wordt de coalitie gevormd door …" says who forms that of "Thema 1: Digitale ethiek" (counted in full, as
        setting, the section's words lowered held-out citation recall)."""
        return self._share(terms, set(lexical_tokens(text, language)) | setting, heading) if terms else 0.0

    def _share(self, terms: Terms, present: Collection[str], heading: Collection[str] = frozenset()) -> float:
        """The weighted share of `terms` whose forms are `present` (or, counted low, in the `heading`)."""
        weight = {stem: term.weight * self._term_idf(term) for stem, term in terms.items()}
        low = self.settings.answer.heading_weight
        met = {stem: max((c if form in present else low * c for form, c in term.forms.items()
                          if form in present or form in heading), default=0.0)
               for stem, term in terms.items()}
        return sum(weight[stem] * met[stem] for stem in terms) / sum(weight.values())

    def _term_idf(self, term: Term) -> float:
        """A term's weight: the mean inverse document frequency of those of its forms the documents hold (a term
        none of them holds weighs as a word of a single passage would)."""
        known = [self._idf[t] for t in term.forms if t in self._idf]
        return sum(known) / len(known) if known else math.log(1 + len(self.index.chunks) / 0.5)

    def accounted(self, question: str, text: str, bridges: dict[str, list[str]] | None = None) -> float:
        """The (idf-weighted) share of the question's own terms that `text` holds, each met as in choosing
        evidence (by its translations in `bridges` too): how much of the question an answer made of `text`
        accounts for (1 for a question without terms of its own). An English question's function words ("does",
        "have") are no part of it: no answer holds them, and evidence that happens to ("This paper does not …")
        would outscore a lookup that answers. `text` is read in both languages' stems: it holds the question's words
        ("the EPSIF paper") and its documents' (an English paper's "surveyed" meets "survey" only in English)."""
        terms = self.terms(question, bridges=bridges)
        if language_of(question) == "en":  # "does" says nothing an answer could account for
            terms = {stem: term for stem, term in terms.items() if stem not in FUNCTION_STEMS_EN}
        return self._share(terms, {*lexical_tokens(text, "nl"), *lexical_tokens(text, "en")}) if terms else 1.0

    def terms(self, question: str, context: str = "", bridges: dict[str, list[str]] | None = None) -> Terms:
        """The question's terms (weight 1) and those of the question it follows up (`_CONTEXT_WEIGHT`), each
        with the stems that meet it.

        A word is met by itself, and by the documents' words that translate it (`bridges`, from
        `retrieve.Searcher.bridged`, the words retrieval searched for it: "goals" is met by "doelen"). Of n
        translations, each is taken to be meant one time in n, and meets the word that far: "material" is
        met by "materiaal", "act" hardly by any of its thirty senses.

        Each form is there as a Dutch text's stem and as an English text's (`lexical_tokens`): a sentence is read in
        its document's language."""
        own = {t: forms for t, forms in stem_forms(question).items() if t not in QUESTION_WORDS}
        terms = {t: Term(_CONTEXT_WEIGHT, dict.fromkeys(forms, 1.0))
                 for t, forms in stem_forms(context).items() if t not in QUESTION_WORDS and t not in own}
        terms.update({t: Term(1.0, dict.fromkeys(forms, 1.0)) for t, forms in own.items()})
        for word, near in (bridges or {}).items():
            translated = {t: forms for t, forms in stem_forms(" ".join(near)).items() if t not in QUESTION_WORDS}
            for stem in set(lexical_tokens(word)) & own.keys():
                for t in {f for forms in translated.values() for f in forms}:
                    terms[stem].forms[t] = max(terms[stem].forms.get(t, 0.0), 1.0 / len(translated))
        return terms

    def phrases(self, question: str, terms: Terms) -> list[tuple[str, str]]:
        """The question's own terms that stand next to each other in it, in its order, stop words between them
        left out ("AI in actie" is the pair "ai", "actie")."""
        own = [t for t in lexical_tokens(question) if t in terms and terms[t].weight == 1.0]
        return [(a, b) for a, b in pairwise(own) if a != b]

    def in_order(self, terms: Terms, pairs: list[tuple[str, str]], text: str,
                 setting: frozenset[str] = frozenset(), language: str | None = "nl") -> float:
        """The (idf-weighted) share of the question `text` holds in the question's word order: each of its `pairs`
        that stands side by side in `text` too (its words or their translations, met as in `coverage`), weighing
        as the mean of its two words. A name ("AI in actie", "Inkopen met Impact") is met where it is named, more
        than where its words stand apart: word order as sequential dependence models in retrieval use it.
        A pair both of whose words are in the `setting` (the document's title: "Regeling subsidie digitale
        hulppunten") is met by every sentence, as in `coverage`, so the sentence that repeats it is not preferred."""
        if not pairs:
            return 0.0
        tokens = lexical_tokens(text, language)
        side_by_side = set(pairwise(tokens))
        weight = {stem: term.weight * self._term_idf(term) for stem, term in terms.items()}
        met = 0.0
        for a, b in pairs:
            first, second = terms[a].forms, terms[b].forms
            if setting.intersection(first) and setting.intersection(second):
                met += (weight[a] + weight[b]) / 2
                continue
            met += (weight[a] + weight[b]) / 2 * max(
                (first[x] * second[y] for x, y in side_by_side if x in first and y in second), default=0.0)
        return met / sum(weight.values())

    def evidence(self, question: str, hits: list[Hit], context: str = "",
                 bridges: dict[str, list[str]] | None = None) -> list[Evidence]:
        """Every sentence and footnote of the retrieved passages, best first; `context` words count less."""
        terms = self.terms(question, context, bridges)
        pairs = self.phrases(question, terms)
        a = self.settings.answer
        asked = np.array(get_embeddings(self.settings).embed_query(f"{context} {question}".strip()), dtype=np.float32)
        asked /= max(float(np.linalg.norm(asked)), 1e-12)
        candidates: list[Evidence] = []
        no_address = not asks_address(question)  # a bare web address answers only where something is found
        superseded = self.superseded(hits, earlier=asks_earlier_version(question))
        for rank, hit in enumerate(hits, 1):
            chunk = hit.chunk
            if chunk.doc_id in superseded:
                continue
            section = " › ".join(chunk.section)
            prior = 1.0 / (rank + 1)
            doc = self.document(chunk.doc_id)
            setting, title, heads = self._setting(chunk.doc_id)
            language = doc.meta.language  # a sentence is read in its document's words (`terms`)
            vectors = self.index.sentence_vectors(chunk.doc_id)
            note_vectors = self.index.footnote_vectors(chunk.doc_id)
            units = sentence_units(chunk)
            asked_by = _asked_by(chunk, language)
            heading = frozenset(lexical_tokens(chunk.section[-1], language)) if chunk.section else frozenset()
            for i, (start, end) in enumerate(units):
                end = extent(doc.text, start, end)
                text = doc.text[start:end]
                if _no_evidence(text, no_address, title, heads) or doc.in_table_header(start):
                    continue
                # a table's row is read under its header: "Gerealiseerd", "2024" are the row's figures' names
                header = doc.table_header(start)
                read_in = (setting | frozenset(lexical_tokens(header, language)) if header else setting) | asked_by
                coverage = self.coverage(terms, text, read_in, heading, language)
                ordered = self.in_order(terms, pairs, text, read_in, language)
                if i and POINTS_BACK.search(text):  # "Daarbij gaat het om ...": what "daarbij" is, is said before
                    with_before = doc.text[units[i - 1][0] : end]
                    coverage = max(coverage, self.coverage(terms, with_before, read_in, heading, language))
                    ordered = max(ordered, self.in_order(terms, pairs, with_before, read_in, language))
                around = doc.text[units[max(i - 1, 0)][0] : max(end, units[min(i + 1, len(units) - 1)][1])]
                similarity = float(vectors[start] @ asked) if start in vectors else 0.0
                page = next(iter(doc.pages_between(start, start + 1)), None)  # the sentence's own page
                span = Span(doc_id=chunk.doc_id, quote=text, page=page, section=section, start=start, end=end,
                            table_header=header)
                score = coverage + 0.3 * prior + a.similarity_weight * similarity + a.phrase_weight * ordered
                candidates.append(Evidence(rank, chunk, span, coverage, score, similarity=similarity,
                                           nearby=self.coverage(terms, around, read_in, heading, language)))
            for note in chunk.footnotes:
                if _no_evidence(note.text, no_address):
                    continue
                coverage = self.coverage(terms, note.text, setting, language=language)
                span = Span(doc_id=chunk.doc_id, quote=note.text, page=note.page, section=section,
                            footnote=note.number, start=chunk.start, end=chunk.start)
                similarity = (float(note_vectors[note.number] @ asked) if note.number in note_vectors
                              else hit.similarity or 0.0)
                score = (coverage + 0.3 * prior + a.similarity_weight * similarity
                         + a.phrase_weight * self.in_order(terms, pairs, note.text, setting, language))
                candidates.append(Evidence(rank, chunk, span, coverage, score, similarity))
        counted = counted_noun(question)
        for ev in candidates:  # "Hoeveel scenario's?" is answered by "vier scenario's", not "drie overheidslagen"
            if counted and counts(ev.span.quote, counted):
                ev.score += _COUNT_BONUS
        candidates.sort(key=lambda e: (-e.score, e.hit_rank, e.span.start))
        return candidates

    def _setting(self, doc_id: str) -> tuple[frozenset[str], str, set[str]]:
        """A document's setting (the stems of its title, of an identifier naming it in words and of its author,
        see `coverage`), and the `match_key`s of its title and headings (no evidence): read once per document,
        not for each of its retrieved passages."""
        if doc_id not in self._settings:
            doc = self.document(doc_id)
            self._settings[doc_id] = (
                frozenset(lexical_tokens(f"{doc.meta.title} {named_in_words(doc.meta.identifier)} {author(doc)}",
                                         doc.meta.language)),
                match_key(doc.meta.title), {match_key(s.path[-1]) for s in doc.sections})
        return self._settings[doc_id]

    def superseded(self, hits: list[Hit], earlier: bool = False) -> set[str]:
        """The documents among the hits that another among them replaces: where the newer version answers, the
        older one's figures are not evidence (filtered to the older one alone, it still answers, with a notice).
        For a question about what the `earlier` version said ("in de eerste versie"), the other way round: the
        documents that replace another among the hits."""
        present = {h.chunk.doc_id for h in hits}
        replaced = {d for d in present
                    if (meta := self.index.meta(d)).status != "current" and meta.replaced_by in present}
        return {self.index.meta(d).replaced_by or "" for d in replaced} if earlier else replaced

    def choose(self, candidates: list[Evidence], hits: list[Hit], language: str, question: str,
               bridges: dict[str, list[str]] | None = None) -> list[Evidence]:
        """The evidence sentences an answer rests on, the one that answers first (`chosen.led`) and the others in
        document order; none when the documents do not answer. Of two that overlap, the better-scoring one stays,
        unless it is the sentence a list ran on into after its last item (`chosen.ran_on`): then the list takes its
        place. Evidence without what the question asks for does not answer: the kind of thing asked
        (`has_asked_type`), the question's own numbers and ordinals (`names_its_numbers`) in the quote that holds
        that kind of thing ("Wanneer is de eerste versie klaar?" is not answered by "dit jaar" of the framework
        beside "een eerste versie"), a thing done where it asks what has already happened (`says_what_was_done`,
        read in the lead), a table's row for the row asked and the group a question restricts itself to
        (`_is_the_one_asked`; `bridges` translate the question's words as in `terms`). Where none of the chosen
        sentences gives what is asked of that group, the best candidate that does is put in front
        (`which.with_the_group`).

        A question shares few words with a document in another language; there, the best sentence's embedding
        similarity stands in for the word coverage it cannot have (whatever the other documents' language)."""
        a = self.settings.answer
        best_similarity = max((h.similarity or 0.0 for h in hits), default=0.0)
        crossing = {d for d in {ev.chunk.doc_id for ev in candidates} if self.index.meta(d).language != language}
        best_crossing = max((ev.similarity for ev in candidates if ev.span.footnote is None
                             and ev.chunk.doc_id in crossing), default=0.0)
        supported = bool(candidates) and (
            candidates[0].coverage >= a.min_coverage
            # the question's words spread over neighbouring sentences ("Hieruit zijn vier scenario's ontstaan")
            or max(c.nearby for c in candidates[: a.max_sentences]) >= a.min_coverage
            or (best_similarity >= a.min_similarity and candidates[0].coverage >= a.min_coverage_with_similarity)
            or best_crossing >= a.min_cross_evidence_similarity
        )
        chosen: list[Evidence] = []
        most = a.max_sentences_broad if BROAD.search(question) else a.max_sentences
        groups = self._groups(question, bridges)
        if supported:
            top = candidates[0].score
            for ev in candidates:
                if len(chosen) == most or ev.score < a.keep_ratio * top:
                    break
                held = [i for i, c in enumerate(chosen) if ev.span.overlaps(c.span)]
                if not held:
                    chosen.append(ev)
                elif len(held) == 1 and ran_on(ev.span, chosen[held[0]].span):  # the list that ran on into it
                    chosen[held[0]] = ev
            chosen = with_the_group(groups, chosen, candidates, most, self._holds(question, groups))
            chosen += footnotes_of(chosen, candidates, question)
        sentences = [ev for ev in chosen if ev.span.footnote is None]
        # a footnote cites a document, it never says what that document holds: "Wat beveelt de WRR aan in het
        # rapport Opgave AI?" is not answered by the footnote that gives the report's number and date
        if chosen and not sentences and ABOUT_CONTENT.search(question):
            return []
        quotes = [ev.span.quote for ev in sentences]
        under = {id(ev): self._read_under(ev) for ev in chosen}  # read once: every check below asks for it

        def read_under(ev: Evidence) -> str:
            return under[id(ev)]

        if not has_asked_type(question, quotes, [ev.span.quote for ev in chosen if ev.span.footnote is not None],
                              [read_under(ev) for ev in sentences]):
            return []
        def names(ev: Evidence) -> bool:
            return names_its_numbers(question, [f"{ev.span.quote} {read_under(ev)} {self._dated(ev)}"]) and (
                ev.span.footnote is not None or holds_the_group(groups, self.document(ev.chunk.doc_id), ev,
                                                                read_under(ev)))

        ordered = led(chosen, question, read_under, names,
                      lambda ev: without_title(ev.span.quote, self.index.meta(ev.chunk.doc_id).title))
        if ordered and not names(ordered[0]):  # what is asked of the instance asked: one quote says both
            return []
        # the sentence that answers is the one that must say it happened, or name what is asked, not a neighbour
        first = next((ev for ev in ordered if ev.span.footnote is None), None)
        lead = first.span.quote if first else ""
        if not names_the_kind_asked(question, lead, quotes) or (first and not self._is_the_one_asked(
                question, first, read_under(first), groups)):
            return []
        return ordered if says_what_was_done(question, lead) else []

    def _is_the_one_asked(self, question: str, lead: Evidence, under: str, groups: list[set[str]]) -> bool:
        """Whether the sentence an answer leads with is about the row of a table the question names and the group
        it restricts itself to (`which`), its words met as in choosing evidence (a restricted group's by its
        translations too; a row's by the question's own words, as its rows are)."""
        doc = self.document(lead.chunk.doc_id)
        if lead.span.table_header is not None and not is_the_row_asked(
                [set(term.forms) for term in self.terms(question).values()
                 if term.weight == 1.0 and not any(c.isdigit() for c in "".join(term.forms))], doc, lead, under):
            return False
        return holds_the_group(groups, doc, lead, under)

    def _groups(self, question: str, bridges: dict[str, list[str]] | None) -> list[set[str]]:
        """The groups a question restricts itself to (`questions.restricted`), each as the stems that meet it."""
        if not (words := restricted(question)):
            return []
        terms = self.terms(question, bridges=bridges)
        return [forms for word in words if (forms := {f for t in lexical_tokens(word) if t in terms
                                                      for f in terms[t].forms})]

    def _holds(self, question: str, groups: list[set[str]]) -> Callable[[Evidence], bool]:
        """Whether a sentence alone gives what the question asks for (`has_asked_type`) of its `groups`."""
        def holds(ev: Evidence) -> bool:
            under = self._read_under(ev)
            return (has_asked_type(question, [ev.span.quote], settings=[under])
                    and holds_the_group(groups, self.document(ev.chunk.doc_id), ev, under))
        return holds

    def _read_under(self, ev: Evidence) -> str:
        """What a sentence is read under: its table's caption and header ("(miljoen euro)" makes its figures
        amounts of money), its section and its document's title (not its identifier, whose session "2024/25" is
        no year a figure is of)."""
        caption = self.document(ev.chunk.doc_id).table_caption(ev.span.start) if ev.span.table_header else ""
        return f"{caption} {ev.span.table_header or ''} {ev.span.section} {self.index.meta(ev.chunk.doc_id).title}"

    def _dated(self, ev: Evidence) -> str:
        """The identifier and date of a sentence's document: what a question names it by ("Kamerstuk 26 643, nr.
        1055", "de brief van 7 juli 2023") without the sentence repeating it."""
        meta = self.index.meta(ev.chunk.doc_id)
        return f"{meta.identifier or ''} {meta.date or ''}"


def _no_evidence(text: str, no_address: bool, title: str = "", heads: Collection[str] = ()) -> bool:
    """An instruction is no evidence, nor a bare web address where the question does not ask where something is
    found, nor the document's title, a part of it set as a line of its own (a cover's subtitle) or a heading:
    each citation names them."""
    if INSTRUCTION.search(text) or (no_address and _WEB_ADDRESS.match(text)):
        return True
    key = match_key(text)
    return bool(key) and bool(key in title or key in heads)


def _asked_by(chunk: Chunk, language: str | None) -> frozenset[str]:
    """The stems of the heading a passage stands under when that heading asks a question ("Wat is de
    EDI-wallet?"): the text under it answers it without repeating its words ("De Europese digitale identiteit is
    een app ..."), so it is read with them, as a table's row is read under its header (an FAQ, a factsheet)."""
    heading = chunk.section[-1].rstrip() if chunk.section else ""
    return frozenset(lexical_tokens(heading, language)) if heading.endswith("?") else frozenset()
