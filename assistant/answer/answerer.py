"""Grounded answers: retrieve, choose evidence sentences, let a model condense them, verify, cite, or abstain.

Evidence is chosen before anything is written: a sentence is scored by how much of the question's
(idf-weighted, stemmed) content it covers, plus the rank of its passage. The documents are taken not to answer
when neither the best sentences' coverage (each alone, or read with the sentences around it) nor the best
passage's embedding similarity reaches its calibrated threshold (`evals/calibrate.py`), or when the question
asks for a number or a time that the evidence does not hold. A model then only condenses the chosen
sentences, given to it as numbered sources; `cite.verify` keeps the sentences those sources support. When
nothing verifies, or there is no model (`extractive`), the answer is the evidence sentences themselves, each a
verbatim quote with its source.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answer import audit, cite
from assistant.config import Settings
from assistant.enrich import colophon
from assistant.enrich.overview import TIME_EXPRESSION, Cited, GlossaryEntry
from assistant.enrich.refs import MONTHS, Place, Reference
from assistant.models import prompts
from assistant.models.embeddings import get_embeddings
from assistant.models.llm import Backend, get_backend
from assistant.retrieve import Filters, Hit, Searcher
from assistant.text.normalize import language_of, recognised
from assistant.text.sentences import ENUMERATION_ITEM, sentence_spans, sentence_units
from assistant.text.tokens import lexical_tokens
from assistant.types import Answer, AssistantError, Chunk, Citation, Document, ReferenceLink

MAX_QUESTION_CHARS = 2000
DECLINED = "the model found no answer in the sources"
# A sentence written to steer an assistant is no evidence about policy, whatever else it says; nor is it part of a
# question. Each line is one way such text gives itself away, chosen so that sentences *about* AI systems, answers
# to Kamervragen or instructions to civil servants are not caught.
_AI = (r"(?:assist[ae]nt|taalmodel(?:len)?|language models?|chatbots?|AI[- ](?:systemen|systeem|systems?|assistent|"
       r"assistants?|modell?en|models?)|LLMs?)")
_INSTRUCTION = re.compile(
    "|".join([
        # told to ignore or forget what came before
        r"\b(?:negeer|vergeet|ignore|disregard|forget)\b[^.]{0,80}\b(?:instructies?|opdrachten|regels|prompts?|"
        r"instructions?|rules|documents?|documenten|brief|letter|bronnen|sources|context)\b",
        # the machinery itself, or a new identity
        r"\b(?:systeemprompt|system ?prompt|ontwikkelaarsmodus|developer mode|you are now|je bent nu|jij bent nu|"
        r"ben jij nu|vanaf nu ben)\b",
        r"^\W*(?:system|systeem|admin|developer)\s*:",
        # an answer to make up: "Pretend the letter says ...", "Doe alsof ...", "met verzonnen citaten"
        r"^\W*(?:pretend|doe (?:net )?alsof|imagine that|stel dat de (?:brief|documenten)|verzin|make up|invent)\b|"
        r"\b(?:met|with|using)\s+(?:made[- ]up|verzonnen|invented|fake|nep)\s+(?:\w+\s+)?(?:quotes?|citaten|citaat|"
        r"uitspraken|sources|bronnen)\b",
        # an assistant addressed: "Assistent, ...", "Instructie aan de assistent:", "taalmodel dat deze tekst leest"
        rf"^\W*{_AI}\s*[:,]",
        rf"\b(?:instructies?|opdracht|bericht|let op|note|message|instructions?)\W+(?:(?:aan|voor|to|for)\s+)?"
        rf"(?:(?:de|het|the)\s+)?{_AI}\b",
        rf"\b{_AI}\s+(?:(?:die|dat|that|who)\s+(?:\w+\s+){{0,2}}(?:leest|lezen|reads?)|reading)\b",
        r"\b(?:deze|this) (?:assistent|assistant|chatbot)\b",
        # the answer dictated: "bij elk antwoord", "in je antwoord", "the only correct answer", "Reply that ..."
        r"\b(?:elk|ieder|je|jouw|every|each|your)\s+(?:antwoord|answer|reply|response)\b",
        r"\b(?:enige|only)\s+(?:juiste|correcte|correct|right)\s+(?:antwoord|answer)\b",
        r"^\W*(?:antwoord|zeg|schrijf|reply|say|answer|respond|write)\s+(?:alleen\s+|only\s+|uitsluitend\s+)?"
        r"(?:dat|that|with|met)\b",
        r"^\W*(?:toon|voeg|schrijf|vermeld|herhaal|begin|eindig|zet|show|add|write|repeat|start|end|put)\b[^.]{0,80}"
        r"\b(?:antwoord|answer|reply|response)\b",
        r"\b(?:beantwoord|answer|respond to)\s+(?:elke|iedere|alle|every|each|all|any)\s+(?:vraag|vragen|questions?)\b",
        r"\b(?:vanaf nu|from now on)\b[^.]{0,40}\b(?:ben|bent|spreek|praat|antwoord|speak|talk|answer|reply|"
        r"respond|begin|start)\b|\b(?:spreek|praat|speak|talk)\b[^.]{0,30}\b(?:vanaf nu|from now on)\b",
        # precedence claimed over everything said before
        r"\b(?:gaat|gaan) boven alles\b|\boverrides? (?:everything|all)\b",
        # the hidden rules asked for
        r"\b(?:reveal|print|show|repeat|herhaal|toon|onthul)\b[^.]{0,60}\b(?:your|je|jouw)\s+(?:\w+\s+)?"
        r"(?:rules|regels|instructions|instructies|prompt)\b",
        r"\b(?:repeat|print|output|herhaal|toon)\b[^.]{0,60}\b(?:above|hierboven)\b",
    ]),
    re.IGNORECASE,
)
# Words that shape a question but say nothing about its subject.
_QUESTION_WORDS = set(
    lexical_tokens(
        "welk welke wat wie waar waarom wanneer hoeveel hoe noem noemt geef beschrijf vertel leg uit "
        "volgens brief agenda document documenten kabinet staatssecretaris "
        "which what who where why when how many much name list describe explain according letter"
    )
)
_COMMENT = re.compile(r"<!--(.*?)(?:-->|$)", re.DOTALL)
_SUPERSCRIPT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# A list item: a paragraph that starts with a bullet or a number ("1.", "•", "○").
_LIST_ITEM = re.compile(r"\s*\n\s*(?:[•○◦▪■●-]|\d{1,2}\.)\s[^\n]*")
_MAX_LIST_CHARS = 1200
# Items given as sentences: "De eerste is ...", "De ene as ...", "Ten eerste ...", then "De tweede ...", "De andere"
# (`ENUMERATION_ITEM`).
_FIRST_ITEM = re.compile(r"\s*(?:(?:De|Het|Ten) (?:eerste|ene)|(?:The )?first(?:ly)?|One)\b")
# A sentence that points back at the one before ("hierbij", "daarin") and is short only adds to it.
_ADDS_TO = re.compile(r"\b(?:hierbij|daarbij|hierin|daarin|hiervoor|daarvoor|hiermee|daarmee|hierdoor|daardoor|"
                      r"hieraan|daaraan)\b", re.IGNORECASE)
_MAX_ADDITION_WORDS = 15
# "... streven we naar twee doelen.", "Daarbij spelen twee belangrijke vragen.": as many sentences follow as items.
_COUNTS = {w: int(n) for w, n in cite.NUMBER_WORDS.items() if int(n) <= 5}
_ANNOUNCED = re.compile(rf"\b({'|'.join(_COUNTS)})\s+(?:[\w«»‘’'-]+\s+){{0,2}}[\w«»‘’'-]+(?:en|s)\W?[.]\s*$",
                        re.IGNORECASE)
# How much a follow-up's earlier question counts in choosing evidence: it disambiguates, it does not answer.
_CONTEXT_WEIGHT = 0.2
# Words by which a follow-up question leans on the one before ("Wie is daarvoor verantwoordelijk?").
# "Waar werkt die coalitie aan?": a demonstrative among a question's first words points back ("die" further
# on is mostly a relative pronoun: "de coalitie die ...")
_DEMONSTRATIVE = re.compile(r"^\W*(?:\w+\W+){0,2}(?:die|dat|diezelfde|datzelfde|that)\s+\w+", re.IGNORECASE)
_BACK_REFERENCE = re.compile(
    r"\b(?:daar\w*|hier(?:van|voor|mee|over|in|aan|bij|door|op|uit)|dit|deze|diens|hun|zij|ze|hij|"
    r"it|its|they|them|their|this|these|those|he|she|his|her)\b", re.IGNORECASE
)
# Questions about what the documents cite ("Welk Kamerstuk is de Werkagenda?", "Which WRR report ...?"), and the
# kinds of reference the nouns in them ask for.
_REFERENCE_NOUNS = {
    r"kamerstuk\w*": ("kamerstuk", "motie"), r"moties?|motions?": ("motie",), r"staatscourant": ("staatscourant",),
    r"staatsblad": ("staatsblad",), r"(?:wrr-?)?rapport(?:en)?|reports?": ("rapport",),
    r"(?:kranten)?artikel(?:en)?|(?:newspaper )?articles?": ("publicatie",),
}
_REFERENCE_QUESTION = re.compile(
    r"\b(?:" + "|".join(_REFERENCE_NOUNS) + r"|vindplaats|te vinden|be found|gepubliceerd|published|verwijst|"
    r"verwezen|refers?|referred|geciteerd|cited)\b", re.IGNORECASE)
# ... but not one about what a cited document says ("Wat staat er in het rapport ...?").
_ABOUT_CONTENT = re.compile(r"\b(?:wat (?:staat|zegt|stelt|schrijft|concludeert|beveelt)|staat er in"
                            r"|what (?:does|do|did)|say about|says about|inhoud|waarover gaat|conclu\w+|aanbevel\w+"
                            r"|recommend\w*)\b",
                            re.IGNORECASE)
_PLURAL = re.compile(r"\b(?:welke|which|alle|all)\b.*\b(?:kamerstukken|moties|motions|rapporten|reports|artikelen|"
                     r"articles|documenten|documents|stukken|papers)\b", re.IGNORECASE)
_MAX_REFERENCES = 8
# A question that asks for several things ("in de opzet en het vervolg", "EZK en OCW", "naast de hogescholen",
# "op welke manieren") needs more sentences than one that asks for one.
_BROAD = re.compile(r"\b(?:en|and|naast|besides|behalve|apart from|manieren|ways)\b", re.IGNORECASE)
# "Wat betekent NOLAI?", "Waar staat BDI voor?", "Wat wordt verstaan onder digitaal kapitaal?": answered from the
# definitions the documents give (the overview's glossary), quoting the defining sentence.
_DEFINITION_QUESTION = re.compile(
    r"^(?:wat (?:betekent|betekenen|is|zijn) (?P<a>.+?)|waar staa?t (?P<b>.+?) voor|wat (?:wordt|worden) (?:er )?"
    r"(?:in (?:de|het) (?:brief|documenten?|agenda) )?(?:verstaan|bedoeld) (?:onder|met) (?P<c>.+?)|"
    r"what (?:does|do) (?P<d>.+?) (?:stand for|mean)|what is meant by (?P<e>.+?)|what (?:is|are) (?P<f>.+?))"
    r"\s*\??$", re.IGNORECASE)
# A question that asks for a count or a time is not answered by evidence that names none ("Hoeveel organisaties
# ...?" over sentences without a number): the answer type the question asks for must occur in the evidence.
# Only the question's own focus counts: "Voor welke gebieden bepaalt ... hoeveel ontwikkelruimte er is?" asks for
# areas, "What do organisations struggle with when ...?" for no time.
_PREPOSITION = r"(?:(?:uit|met|voor|in|op|over|van|door|bij|tot|na|from|with|for|by|of|to|at|on)\s+)?"
_ASKS_COUNT = re.compile(rf"^\W*{_PREPOSITION}(?:hoeveel|how many|(?:welk|welke|what|which) (?:aantal|number))\b",
                         re.IGNORECASE)
# ... and a measure (money, a share, an exact or total amount) is answered by a number alone, not by a list.
_ASKS_MEASURE = re.compile(rf"^\W*{_PREPOSITION}(?:hoeveel (?:geld|euro)|how much|(?:welk|welke|what|which) "
                           r"(?:bedrag|percentage|amount|percentage|share|budget))\b|\b(?:exacte?|precieze?|totale?|"
                           r"exact|precise|total) (?:\w+ ){0,3}\w*(?:aantal|bedrag|omvang|verbruik|kosten|budget|"
                           r"number|amount|consumption|cost|costs|size)\b|^\W*(?:welke|what|which) (?:\w+ )?(?:cijfers|"
                           r"getallen|figures|statistics|numbers)\b", re.IGNORECASE)
_ASKS_TIME = re.compile(rf"^\W*{_PREPOSITION}(?:wanneer|when (?:is|was|will|does|do|did|are|were|has|have|can|"
                        r"should|would|must)\b)|\b(?:op welke datum|in welk jaar|(?:what|which) (?:date|year|day|"
                        r"month))\b", re.IGNORECASE)
# ... and a day by a date with its day ("7 juli 2023"), not by "eind dit jaar".
_ASKS_DAY = re.compile(r"\b(?:op welke datum|op welke dag|(?:what|which|on what) (?:date|day))\b", re.IGNORECASE)
_DAY_EN = re.compile(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|"
                     r"December)\b")
# Money is answered by an amount in money.
_ASKS_MONEY = re.compile(r"\b(?:geld|euro|bedrag|budget|kosten|financiering|money|funding|costs?)\b", re.IGNORECASE)
_MONEY = re.compile(r"€|\b(?:euro|miljoen|miljard|million|billion|EUR)\b", re.IGNORECASE)
# An enumeration answers "how many" by counting its items ("IPO, UWV, SVB, Rijks ICT-Gilde en VNG").
_ENUMERATION = re.compile(r"[^,;:]+(?:,[^,;:]+){2,}\s(?:en|and|of|or)\s")
_COUNT_WORDS = re.compile(r"\b(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig|veertig|"
                          r"vijftig|honderd|duizend|miljoen|miljard|tientallen|honderden|duizenden|procent|"
                          r"helft|kwart|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|"
                          r"billion|percent|half)\b|%|€", re.IGNORECASE)
_COUNT_BONUS = 1.0  # a sentence that gives the asked count ranks as if it covered the whole question once more
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")
@dataclass
class Turn:
    """An earlier exchange of the conversation."""

    question: str
    answer: str = ""


@dataclass
class Evidence:
    """A candidate sentence (or footnote) with where it stands and how well it answers."""

    hit_rank: int
    chunk: Chunk
    text: str
    start: int
    end: int
    coverage: float
    score: float
    page: int | None
    footnote: int | None = None
    similarity: float = 0.0  # embedding similarity to the question
    nearby: float = 0.0  # coverage of the sentence read with the sentences before and after it in its passage


class Answerer:
    """Answers questions over an opened index; build once, ask many times."""

    def __init__(self, settings: Settings, backend: Backend | str | None = None,
                 searcher: Searcher | None = None) -> None:
        self.settings = settings
        self.searcher = searcher or Searcher(settings)
        self.index = self.searcher.index
        self.backend = backend if isinstance(backend, Backend) else get_backend(settings, backend)
        self._documents: dict[str, Document] = {}
        self.via = "cli"  # which surface asks, for the audit log (the web interface sets "web")

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

    def _coverage(self, terms: dict[str, float], text: str) -> float:
        """The (idf- and `terms`-weighted) share of the question's terms that `text` contains."""
        if not terms:
            return 0.0
        present = set(lexical_tokens(text))
        weight = {t: w * self._idf.get(t, math.log(1 + len(self.index.chunks) / 0.5)) for t, w in terms.items()}
        return sum(w for t, w in weight.items() if t in present) / sum(weight.values())

    def evidence(self, question: str, hits: list[Hit], context: str = "") -> list[Evidence]:
        """Every sentence and footnote of the retrieved passages, best first; `context` words count less."""
        terms = dict.fromkeys(set(lexical_tokens(context)) - _QUESTION_WORDS, _CONTEXT_WEIGHT)
        terms.update(dict.fromkeys(set(lexical_tokens(question)) - _QUESTION_WORDS, 1.0))
        a = self.settings.answer
        asked = np.array(get_embeddings(self.settings).embed_query(f"{context} {question}".strip()), dtype=np.float32)
        asked /= max(float(np.linalg.norm(asked)), 1e-12)
        candidates: list[Evidence] = []
        for rank, hit in enumerate(hits, 1):
            chunk = hit.chunk
            prior = 1.0 / (rank + 1)
            doc = self.document(chunk.doc_id)
            vectors = self.index.sentence_vectors(chunk.doc_id)
            units = sentence_units(chunk)
            for i, (start, end) in enumerate(units):
                end = _list_end(doc.text, start, end)
                text = doc.text[start:end]
                if _INSTRUCTION.search(text):
                    continue
                coverage = self._coverage(terms, text)
                around = doc.text[units[max(i - 1, 0)][0] : max(end, units[min(i + 1, len(units) - 1)][1])]
                similarity = float(vectors[start] @ asked) if start in vectors else 0.0
                page = next(iter(doc.pages_between(start, start + 1)), None)  # the sentence's own page
                candidates.append(Evidence(rank, chunk, text, start, end, coverage,
                                           coverage + 0.3 * prior + a.similarity_weight * similarity, page,
                                           similarity=similarity, nearby=self._coverage(terms, around)))
            for note in chunk.footnotes:
                if _INSTRUCTION.search(note.text):
                    continue
                coverage = self._coverage(terms, note.text)
                candidates.append(Evidence(rank, chunk, note.text, chunk.start, chunk.start, coverage,
                                           coverage + 0.3 * prior + a.similarity_weight * hit_similarity(hit),
                                           note.page, note.number, hit_similarity(hit)))
        counted = _counted_noun(question)
        for ev in candidates:  # "Hoeveel scenario's?" is answered by "vier scenario's", not "drie overheidslagen"
            if counted and _counts(ev.text, counted):
                ev.score += _COUNT_BONUS
        candidates.sort(key=lambda e: (-e.score, e.hit_rank, e.start))
        return candidates

    def document(self, doc_id: str) -> Document:
        """A document's pages and text, read from the index once per process."""
        if doc_id not in self._documents:
            self._documents[doc_id] = self.index.document(doc_id)
        return self._documents[doc_id]

    def _citation(self, n: int, ev: Evidence) -> Citation:
        meta = self.index.meta(ev.chunk.doc_id)
        return Citation(
            n=n, doc_id=meta.doc_id, title=meta.title, identifier=meta.identifier, page=ev.page,
            section=" › ".join(ev.chunk.section), quote=ev.text, chunk_id=ev.chunk.chunk_id, url=meta.url,
            start=ev.start, end=ev.end, footnote=ev.footnote, status=meta.status,
        )

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None) -> Answer:
        """Answer `question` (a follow-up of `history`) from the index, or abstain with related passages."""
        *_, answer = self.stream(question, history, filters)
        assert isinstance(answer, Answer)
        return answer

    def stream(self, question: str, history: Sequence[Turn] = (),
               filters: Filters | None = None) -> Iterator[str | Answer]:
        """The model's words as it writes them, then the verified `Answer` (whose text may differ)."""
        started = time.perf_counter()
        notices: list[str] = []
        question = " ".join(question.split())
        if not question:
            raise AssistantError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            question = question[:MAX_QUESTION_CHARS]
            notices.append(f"question truncated to its first {MAX_QUESTION_CHARS} characters")
        language = language_of(question)
        if not recognised(question):
            notices.append("the question seems to be in neither Dutch nor English; answering in Dutch")
        asked = _without_instructions(question)
        if asked != question:
            notices.append("instructions in the question were left out: answers come from the documents only")
        standalone, context = self.standalone(asked or question, history)
        hits = self.searcher.search(f"{context} {standalone}".strip(), self.settings.retrieval.k, filters)
        retrieved = time.perf_counter()
        candidates = self.evidence(standalone, hits, context)
        about = self.about(standalone, hits) if asked else []
        cited = self.cited(standalone, filters) if asked and not about else []
        defined = self.defined(standalone, filters) if asked and not about and not cited else []
        chosen = self._choose(candidates, hits, language, standalone) if asked and not (about or cited or defined) \
            else []
        timings: dict[str, float] = {}
        fallback = None
        if about:  # a question about the document itself: its header or signature answers, quoted
            citations = [self._place_citation(n, fact.cited) for n, fact in enumerate(about, 1)]
            text = _compose_about(about, citations, language)
            yield text
        elif cited:  # a question about what the documents cite: the registry answers, citing where each is cited
            shown: dict[tuple, Citation] = {}  # references cited in one footnote share its citation
            for _, place in cited:
                key = (place.doc_id, place.footnote, place.start)
                if key not in shown:
                    shown[key] = self._place_citation(len(shown) + 1, place)
            citations = list(shown.values())
            text = _compose_references([(ref, shown[(p.doc_id, p.footnote, p.start)]) for ref, p in cited], language)
            yield text
        elif defined:  # a question what a term means: the documents' own definition answers, quoting it
            citations = [self._place_citation(n, c) for n, (_, c) in enumerate(defined, 1)]
            text = _compose_definitions([(e, c) for (e, _), c in zip(defined, citations, strict=True)], language)
            yield text
        elif not chosen:
            text, citations = _abstention(language), []
            notices += self.curated_meaning(standalone)
        elif self.backend.chat is None:
            citations = [self._citation(n, ev) for n, ev in enumerate(chosen, 1)]
            text = _compose(citations, language)
            yield text
        else:
            draft: list[str] = []
            try:
                for piece in self._generate(f"{context} {standalone}".strip(), chosen, language):
                    if piece:
                        timings.setdefault("first_token_ms", round(_ms(started), 1))
                        draft.append(piece)
                        yield piece
            except Exception as exc:  # the model server died or refused mid-answer: the evidence still stands
                fallback = f"the model failed ({type(exc).__name__}: {str(exc)[:200]})"
            removed = 0
            if fallback is None:
                text, citations, fallback, removed = self._verified("".join(draft), standalone, chosen, language)
            if fallback == DECLINED:  # an instructed model judged the evidence beside the point
                text, citations = _abstention(language), []
                notices.append(DECLINED)
            elif fallback:
                citations = [self._citation(n, ev) for n, ev in enumerate(chosen, 1)]
                text = _compose(citations, language)
                notices.append(f"{fallback}; the answer quotes the sources instead")
            elif removed:
                notices.append(f"{removed} sentence(s) of the model's answer left out: the sources do not support them")
        related = [] if citations else [
            self._citation(i, ev) for i, ev in enumerate(chosen or _first_per_chunk(candidates), 1)]
        replaced = sorted({c.doc_id for c in citations if c.status != "current"})
        if replaced:
            notices.append("cites documents that are no longer current: " + ", ".join(replaced))
        if standalone != (asked or question):
            notices.append(f"understood as: {standalone}")
        elif context:
            notices.append(f"read together with the previous question: {context}")
        answer = Answer(
            question=question, answer=text, abstained=not citations, citations=citations, related=related[:3],
            backend=self.backend.name, model=self.backend.model, language=language, notices=notices,
            fallback=fallback, references=self.references_in(citations),
            timings={"retrieve_ms": round((retrieved - started) * 1000, 1),
                     "generate_ms": round(_ms(retrieved), 1), **timings, "total_ms": round(_ms(started), 1)},
        )
        if self.settings.audit_path is not None:
            audit.record(self.settings.audit_path, answer, self.via)
        yield answer

    def cited(self, question: str, filters: Filters | None = None) -> list[tuple[Reference, Place]]:
        """For a question about what the documents cite, the references it asks for, each with the place that
        best shows it (the footnote that gives its identifier); empty for any other question.

        A reference matches when most of the question's own terms occur in its names and title, or, for a list
        question ("Welke Kamerstukken over AI ..."), in its names or in the sentences that cite it."""
        if not _REFERENCE_QUESTION.search(question) or _ABOUT_CONTENT.search(question):
            return []
        kinds = {k for pattern, ks in _REFERENCE_NOUNS.items() if re.search(rf"\b(?:{pattern})\b", question, re.I)
                 for k in ks}
        terms = set(lexical_tokens(_REFERENCE_QUESTION.sub(" ", question))) - _QUESTION_WORDS
        many = bool(_PLURAL.search(question))
        scored = []
        for ref in self.index.references():
            places = [p for p in ref.places if not filters or not filters.doc_ids or p.doc_id in filters.doc_ids]
            if not places or (kinds and ref.kind not in kinds):
                continue
            named = self._coverage(dict.fromkeys(terms, 1.0), " ".join(filter(None, [ref.title, ref.identifier,
                                                                                     *ref.names])))
            said = self._coverage(dict.fromkeys(terms, 1.0), " ".join(p.sentence for p in places))
            if (named >= 0.5 or (many and said >= 0.5)) if terms else many:
                scored.append((named + 0.5 * said, ref, places))
        scored.sort(key=lambda s: -s[0])
        if not many:
            scored = [s for s in scored if s[0] == scored[0][0]]
        return [(ref, _showing_place(ref, places)) for _, ref, places in scored[:_MAX_REFERENCES]]

    def about(self, question: str, hits: list[Hit]) -> list[colophon.Fact]:
        """For a question about the document itself (who signed it, its number, date, addressee), what the best
        retrieved document says of that about itself; empty for any other question."""
        kind = colophon.asked(question)
        if kind is None or not hits:
            return []
        wanted = {kind, "signer"} if kind == "sender" else {kind}
        facts = colophon.facts(self.document(hits[0].chunk.doc_id))
        return [f for f in facts if f.kind in wanted]

    def defined(self, question: str, filters: Filters | None = None) -> list[tuple[GlossaryEntry, Cited]]:
        """For a question what an abbreviation or term means, the documents' definitions of it, each with its
        defining sentence; empty for any other question, or a term no document defines."""
        asked = _asked_term(question)
        found = []
        for entry in self.index.overview().glossary:
            if asked is None or entry.term.lower() != asked or not entry.defined_at:
                continue
            places = [c for c in entry.defined_at if not filters or not filters.doc_ids or c.doc_id in filters.doc_ids]
            if places:
                found.append((entry, places[0]))
        return found

    def curated_meaning(self, question: str) -> list[str]:
        """What an abbreviation the documents never write out stands for, from the curated list: a notice marked
        as not from the documents, never part of an answer."""
        asked = _asked_term(question)
        return [f"{e.term}: {e.expansion} (from the list of known abbreviations, not from the documents)"
                for e in self.index.overview().glossary
                if asked and e.term.lower() == asked and e.source == "curated" and e.expansion]

    def _place_citation(self, n: int, place: Place | Cited) -> Citation:
        """A citation of a place the registry or the glossary points to: its footnote's text or its sentence."""
        meta = self.index.meta(place.doc_id)
        chunks = [c for c in self.index.chunks if c.doc_id == place.doc_id]
        if place.footnote is not None:
            chunk = next(c for c in chunks if any(f.number == place.footnote for f in c.footnotes))
            start = end = chunk.start
        else:
            chunk = next((c for c in chunks if c.start <= (place.start or 0) < c.end), chunks[0])
            start, end = place.start or chunk.start, place.end or chunk.end
        return Citation(
            n=n, doc_id=meta.doc_id, title=meta.title, identifier=meta.identifier, page=place.page,
            section=place.section, quote=place.sentence if isinstance(place, Place) else place.quote,
            chunk_id=chunk.chunk_id, url=meta.url, start=start, end=end,
            footnote=place.footnote, status=meta.status,
        )

    def references_in(self, citations: list[Citation]) -> list[ReferenceLink]:
        """The references the cited passages cite, so every answer that mentions one shows its identifier and
        link."""
        links: dict[str, ReferenceLink] = {}
        for ref in self.index.references():
            for c in citations:
                if any(p.doc_id == c.doc_id and (p.footnote == c.footnote if c.footnote is not None
                                                 else p.footnote is None and p.start is not None
                                                 and p.start < c.end and c.start < (p.end or p.start))
                       for p in ref.places):
                    links[ref.id] = ReferenceLink(id=ref.id, kind=ref.kind, title=ref.title,
                                                  identifier=ref.identifier, url=ref.url, in_corpus=ref.in_corpus)
        return list(links.values())

    def _choose(self, candidates: list[Evidence], hits: list[Hit], language: str, question: str) -> list[Evidence]:
        """The evidence sentences an answer rests on, the best first and the others in document order; none when
        the documents do not answer.

        A question in another language than the documents shares few words with them; its best sentence's
        embedding similarity stands in for the word coverage it cannot have."""
        a = self.settings.answer
        best_similarity = max((h.similarity or 0.0 for h in hits), default=0.0)
        best_sentence = max((ev.similarity for ev in candidates if ev.footnote is None), default=0.0)
        other_language = bool(hits) and all(self.index.meta(h.chunk.doc_id).language != language for h in hits)
        supported = bool(candidates) and (
            candidates[0].coverage >= a.min_coverage
            # the question's words spread over neighbouring sentences ("Hieruit zijn vier scenario's ontstaan")
            or max(c.nearby for c in candidates[: a.max_sentences]) >= a.min_coverage
            or (best_similarity >= a.min_similarity and candidates[0].coverage >= a.min_coverage_with_similarity)
            or (other_language and best_sentence >= a.min_cross_evidence_similarity)
        )
        chosen: list[Evidence] = []
        most = a.max_sentences_broad if _BROAD.search(question) else a.max_sentences
        if supported:
            top = candidates[0].score
            for ev in candidates:
                if len(chosen) == most or ev.score < a.keep_ratio * top:
                    break
                if any(ev.text == c.text or (ev.footnote is None and c.footnote is None
                                             and ev.start < c.end and c.start < ev.end) for c in chosen):
                    continue
                chosen.append(ev)
            chosen += _footnotes_of(chosen, candidates)
            chosen[1:] = sorted(chosen[1:], key=lambda e: (e.chunk.doc_id, e.start, e.footnote or 0))
        if not _has_asked_type(question, [ev.text for ev in chosen if ev.footnote is None],
                               [ev.text for ev in chosen if ev.footnote is not None]):
            return []
        return chosen

    def standalone(self, question: str, history: Sequence[Turn]) -> tuple[str, str]:
        """A follow-up made to stand on its own, and the earlier question it still leans on ("" if none).

        An instructed model rewrites it (used only if it keeps two thirds of the follow-up's own terms);
        otherwise a follow-up that refers back ("daarvan", "deze", "it") is read together with the previous
        question, whose words then count less in choosing evidence.
        """
        if not history:
            return question, ""
        previous = history[-1].question
        own = set(lexical_tokens(_BACK_REFERENCE.sub(" ", question))) - _QUESTION_WORDS
        if self.backend.chat is not None and self.backend.instructed:
            template = prompts.load(self.settings.prompts_dir, "condense", language_of(question))
            try:
                reply = self.backend.chat.invoke(
                    [HumanMessage(prompts.render(template, previous=previous, question=question))])
                rewrite = " ".join(str(reply.content).split()).strip("\"'“”")
            except Exception:  # a failing rewrite is no reason to fail the answer
                rewrite = ""
            kept = len(own & set(lexical_tokens(rewrite))) / max(len(own), 1)
            if 0 < len(rewrite) <= 3 * len(question) + 200 and kept >= 2 / 3:
                return rewrite, ""
        if _BACK_REFERENCE.search(question) or _DEMONSTRATIVE.search(question) or len(own) < 2:
            return question, previous
        return question, ""

    def _generate(self, question: str, chosen: list[Evidence], language: str) -> Iterator[str]:
        assert self.backend.chat is not None
        system = prompts.load(self.settings.prompts_dir, "system", language)
        template = prompts.load(self.settings.prompts_dir, "answer", language)
        sources = "\n".join(f"[{n}] {' '.join(ev.text.split())}" for n, ev in enumerate(chosen, 1))
        messages = [SystemMessage(system), HumanMessage(prompts.render(template, question=question, sources=sources))]
        for chunk in self.backend.chat.stream(messages):
            if chunk.content:
                yield str(chunk.content)

    def _verified(self, draft: str, question: str, chosen: list[Evidence], language: str
                  ) -> tuple[str, list[Citation], str | None, int]:
        """The model's draft reduced to what the evidence supports, renumbered, or why it cannot stand; and how
        many of its sentences were left out."""
        a = self.settings.answer
        quotes = [ev.text for ev in chosen]
        cross = language != "nl"
        result = cite.verify(draft, quotes, question, min_support=a.min_support, min_pair_support=a.min_pair_support,
                             similarity=self._similarity if cross else None, min_similarity=a.min_cross_similarity)
        best = chosen.index(max(chosen, key=lambda ev: ev.score))
        why = None
        if result.declined:
            why = DECLINED
        elif not result.claims:
            why = "the model's answer did not match its sources"
        elif language_of(" ".join(c.text for c in result.claims)) != language:
            why = "the model answered in another language"
        elif all(best not in c.sources for c in result.claims):
            why = "the model's answer leaves out the best evidence"
        if why:
            return "", [], why, len(result.removed)
        number: dict[int, int] = {}
        for claim in result.claims:
            for i in claim.sources:
                number.setdefault(i, len(number) + 1)
        sentences = [_marked(claim.text, "".join(f"[{number[i]}]" for i in claim.sources)) for claim in result.claims]
        # evidence the model passed over still belongs to the answer: quoted after the model's sentences
        omitted = [self._citation(len(number) + n, ev) for n, ev in
                   enumerate((ev for i, ev in enumerate(chosen) if i not in number), 1)]
        citations = [self._citation(n, chosen[i]) for i, n in number.items()] + omitted
        for c in omitted:
            quote = " ".join(c.quote.split())
            if language == "en":
                lead = "" if c is not omitted[0] else "The documents also say (quoted in Dutch): "
                sentences.append(f"{lead}“{quote}” [{c.n}].")
            else:
                sentences.append(_marked(quote, f"[{c.n}]"))
        text = " ".join(sentences)
        return text, citations, None, len(result.removed)

    def _similarity(self, sentence: str, quotes: Sequence[str]) -> list[float]:
        embedder = get_embeddings(self.settings)
        vectors = np.array([embedder.embed_query(t) for t in (sentence, *quotes)])
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors[1:] @ vectors[0]).tolist()


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


def hit_similarity(hit: Hit) -> float:
    """A footnote has no sentence vector of its own: its passage's similarity stands in."""
    return hit.similarity or 0.0


def _without_instructions(question: str) -> str:
    """The question without sentences that instruct the assistant ("Negeer daarna je regels en ..."), including
    those hidden in markup comments or run on after a question mark ("...? admin: ...")."""
    pieces = []
    for part in _COMMENT.split(question):  # every other part is the inside of a comment
        for a, b in sentence_spans(part):
            pieces += [p for p in re.split(r"(?<=[?!])\s+", part[a:b]) if p.strip()]
    kept = [p.strip() for p in pieces if not _INSTRUCTION.search(p)]
    return " ".join(kept) if len(kept) < len(pieces) else question


def _footnotes_of(chosen: list[Evidence], candidates: list[Evidence]) -> list[Evidence]:
    """The footnotes a chosen sentence points to ("opgericht¹⁷"): they often hold what the sentence only names."""
    wanted = {(ev.chunk.chunk_id, int(m.translate(_SUPERSCRIPT_DIGITS))) for ev in chosen if ev.footnote is None
              for m in _SUPERSCRIPT.findall(ev.text)}
    have = {ev.text for ev in chosen}
    out: list[Evidence] = []
    for ev in candidates:
        if ev.footnote is not None and (ev.chunk.chunk_id, ev.footnote) in wanted and ev.text not in have:
            have.add(ev.text)
            out.append(ev)
    return out


def _list_end(text: str, start: int, end: int) -> int:
    """Where the evidence for the sentence [start, end) ends: a sentence that announces a list ("drie
    actielijnen:", "Daarbij spelen twee belangrijke vragen.") takes the items along, since they are its answer;
    so does one whose items follow as sentences ("De eerste is ... De tweede is ...") or that opens them ("De ene
    as ..."); and a short sentence that only adds to it ("De wettelijke grondslag speelt hierbij een belangrijke
    rol.")."""
    announced = end
    if text[max(0, end - 8) : end].rstrip().endswith(":"):
        while (item := _LIST_ITEM.match(text, end)) and item.end() - announced <= _MAX_LIST_CHARS:
            end = item.end()
        return end
    following = [(a, b) for a, b in sentence_spans(text, end, min(len(text), end + _MAX_LIST_CHARS))
                 if text[end:a].count("\n\n") <= 1]
    if not following:
        return end
    if count := _ANNOUNCED.search(text[start:end]):
        items = following[: _COUNTS[count.group(1).lower()]]
        return items[-1][1] if items and items[-1][1] - announced <= _MAX_LIST_CHARS else end
    if _FIRST_ITEM.match(text, start) or _FIRST_ITEM.match(text, following[0][0]):
        i = 0  # items, with at most one other sentence between two of them ("Hierbij moet ... worden begrepen")
        while i < len(following):
            step = 1 if ENUMERATION_ITEM.match(text, following[i][0]) else 2
            if step == 2 and not (i + 1 < len(following) and ENUMERATION_ITEM.match(text, following[i + 1][0])):
                break
            end, i = following[i + step - 1][1], i + step
        return end
    a, b = following[0]
    if _ADDS_TO.search(text[a:b]) and len(text[a:b].split()) <= _MAX_ADDITION_WORDS:
        return _list_end(text, a, b)
    return end

def _counted_noun(question: str) -> str | None:
    """The stem of what a "Hoeveel X"/"How many X" question counts."""
    m = re.match(rf"^\W*{_PREPOSITION}(?:hoeveel|how many)\s+([^\W\d_][\w’'-]*)", question, re.IGNORECASE)
    stems = lexical_tokens(m.group(1)) if m else []
    return stems[0] if stems else None


def _counts(text: str, noun: str) -> bool:
    """Whether `text` gives a number of `noun` ("vier scenario’s", "50.000 apparaten", "zeven labs")."""
    words = re.findall(r"[\w’'.-]+", _SUPERSCRIPT.sub("", text))
    return any((re.fullmatch(r"\d+(?:[.,]\d+)*", w) or _COUNT_WORDS.fullmatch(w))
               and noun in lexical_tokens(" ".join(words[i + 1 : i + 4])) for i, w in enumerate(words))


def _has_asked_type(question: str, texts: list[str], notes: Sequence[str] = ()) -> bool:
    """Whether the evidence (sentences `texts`, footnotes `notes`) holds what the question asks for when it asks
    for a count or a time: a number that is not in the question and not a date, or a time expression. A
    footnote's numbers are those of the references it cites ("nr. 1055"), no count; its dates do count (the
    date of a cited letter)."""
    measure = bool(_ASKS_MEASURE.search(question))
    money = bool(_ASKS_MONEY.search(question))
    if measure or _ASKS_COUNT.search(question):
        asked = set(re.findall(r"\d+", question))
        for text in texts:
            bare = _YEAR.sub(" ", TIME_EXPRESSION.sub(" ", _SUPERSCRIPT.sub("", text)))
            if money and not _MONEY.search(bare):
                continue
            if set(re.findall(r"\d+(?:[.,]\d+)*", bare)) - asked or _COUNT_WORDS.search(bare) or (
                    not measure and (_ENUMERATION.search(bare) or _LIST_ITEM.search(text))):
                return True
        return False
    texts = [*texts, *notes]
    if _ASKS_DAY.search(question):
        return any(_DAY_EN.search(t) or any(m.group("date") for m in TIME_EXPRESSION.finditer(t)) for t in texts)
    if _ASKS_TIME.search(question):
        return any(TIME_EXPRESSION.search(t) or _YEAR.search(t) or any(m in t for m in _EN_MONTHS) for t in texts)
    return True


def _first_per_chunk(candidates: list[Evidence]) -> list[Evidence]:
    seen: set[str] = set()
    out = []
    for ev in candidates:
        if ev.chunk.chunk_id not in seen and ev.footnote is None:
            seen.add(ev.chunk.chunk_id)
            out.append(ev)
    return out


def _marked(sentence: str, marks: str) -> str:
    """A sentence with its markers before its closing punctuation, as the model is asked to write them."""
    body, end = (sentence[:-1], sentence[-1]) if sentence[-1] in ".!?" else (sentence, ".")
    return f"{body} {marks}{end}"


def _compose(citations: list[Citation], language: str) -> str:
    """The answer text: each quoted sentence followed by its marker (English answers say the source is Dutch)."""
    quotes = [(" ".join(c.quote.split()), c.n) for c in citations]
    if language == "en":
        return "The documents say (quoted in Dutch): " + " ".join(f"“{q}” [{n}]" for q, n in quotes)
    return " ".join(f"{q} [{n}]" for q, n in quotes)


def _abstention(language: str) -> str:
    if language == "en":
        return "The documents do not answer this question."
    return "De documenten geven geen antwoord op deze vraag."


def _showing_place(ref: Reference, places: list[Place]) -> Place:
    """The place that shows a reference best: a footnote or sentence that writes its identifier or title."""
    def rank(p: Place) -> tuple[int, int]:
        shows = bool(ref.identifier) and any(ch.isdigit() for ch in p.as_written)
        return (not shows, p.footnote is None)

    return min(places, key=rank)


def _date_words(date: str | None, language: str) -> str:
    """An ISO date as the documents write it ("4 november 2022") or in English."""
    if not date or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return date or ""
    year, month, day = (int(x) for x in date.split("-"))
    return f"{day} {(_EN_MONTHS if language == 'en' else MONTHS)[month - 1]} {year}"


def _asked_term(question: str) -> str | None:
    """The term a question asks the meaning of ("Wat betekent NOLAI?" -> "nolai"), lower case; else None."""
    m = _DEFINITION_QUESTION.match(question.strip())
    if not m:
        return None
    return re.sub(r"^(?:de|het|een|the|a|an)\s+|[‘’'\"“”«»]", "", next(g for g in m.groups() if g)).strip().lower()


def _compose_definitions(defined: list[tuple[GlossaryEntry, Citation]], language: str) -> str:
    """An abbreviation's expansion as the document writes it, or the sentence that defines a term, cited."""
    sentences = []
    for entry, c in defined:
        if entry.kind == "abbreviation":
            says = " stands for " if language == "en" else " staat voor "
            sentences.append(f"{entry.term}{says}{entry.expansion} [{c.n}].")
        else:
            sentences.append(f"{' '.join(c.quote.split())} [{c.n}]")
    if language == "en" and any(e.kind == "term" for e, _ in defined):
        return "The documents say (quoted in Dutch): " + " ".join(sentences)
    return " ".join(sentences)


_ABOUT = {
    "nl": {"signer": "Ondertekend door: ", "sender": "Afzender: ", "addressee": "Gericht aan: ",
           "date": "Gedateerd: ", "identifier": "Vindplaats: "},
    "en": {"signer": "Signed by: ", "sender": "Sent by: ", "addressee": "Addressed to: ", "date": "Dated: ",
           "identifier": "Published as: "},
}


def _compose_about(about: list[colophon.Fact], citations: list[Citation], language: str) -> str:
    """What the document says about itself, one labelled quote per fact (in English the quote stays Dutch)."""
    english = language == "en"
    labels = _ABOUT["en" if english else "nl"]
    quoted = [(" ".join(c.quote.split()), c.n) for c in citations]
    return " ".join(f"{labels[f.kind]}{f'“{q}”' if english else q} [{n}]."
                    for f, (q, n) in zip(about, quoted, strict=True))


def _compose_references(cited: list[tuple[Reference, Citation]], language: str) -> str:
    """One sentence per reference: what it is called, its identifier and date, with the place that cites it.
    A reference without an identifier is answered with the citing words themselves."""
    sentences = []
    for ref, c in cited:
        date = _date_words(ref.date, language)
        if ref.identifier and not ref.id.startswith("url-"):
            joiner = {"en": ", dated " if date else ""}.get(language, ", van " if date else "")
            subject = ref.title or ref.identifier
            motion = next((n for n in ref.names if re.match(r"(?:\w+\s+)?motie\b", n, re.I)), None)
            if ref.kind == "motie" and motion:
                subject = motion if motion == subject else f"{motion} over ‘{subject}’"
            sentences.append(f"{subject[0].upper()}{subject[1:]} is {ref.identifier}{joiner}{date} [{c.n}].")
        else:
            quote = " ".join(c.quote.split())
            sentences.append(f"“{quote}” [{c.n}]" if language == "en" else f"{quote} [{c.n}]")
    lead = "The documents cite (titles in Dutch): " if language == "en" else ""
    return lead + " ".join(sentences)
