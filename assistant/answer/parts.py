"""Which things a document names, read from its structure: "Welke uitgangspunten noemt de nota?" is answered by
the subsections of its section "2. Uitgangspunten", "Welke thema's heeft de agenda?" by its headings "Thema 1: …",
"Thema 2: …". Each part is cited by the sentence its section opens with, so the citation shows the heading in its
section path and quotes the document's own words about it.

No sentence lists what a document spreads over its sections, which is why this is a responder of its own. Its
draft competes with the evidence's on how much of the question it accounts for. Where one of the best evidence
sentences names the parts itself ("Het kabinet hanteert drie uitgangspunten: doelbinding, …"), it proposes
nothing and that sentence answers; where another sentence of the document does ("Doorsnijdende thema's zijn
daarmee digitale ethiek, AI in actie, …"), that sentence is its draft.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer import compose
from assistant.answer.chosen import Evidence
from assistant.answer.questions import counted_noun, listed
from assistant.answer.responders import Asked, Draft, OverTheIndex, sentences_of
from assistant.enrich import colophon
from assistant.text import rules
from assistant.text.tokens import lexical_tokens
from assistant.types import Chunk, Document, Section, Span

_NUMBERED = rules.rule("layout", "heading-of-a-series")  # "Thema 1: …", "Artikel 3. …", "Bijlage II"
_NUMBERING = rules.rule("layout", "heading-number")  # "2.", "3.1", "IV." before a heading's words
_NAMES = rules.rule("questions", "document-names")
_PART_NOUNS = frozenset(lexical_tokens(rules.words("part_nouns")))  # "hoofdstukken", "sections"
_NUMBER_STEMS = frozenset(lexical_tokens(" ".join(rules.numbers())))  # "Welke vier thema's": "vier" names nothing
_MIN_PARTS = 2
_HEAD_WORDS = 3  # of the words after "welke", those that may name what is asked for
_MAX_PARTS = 12


@dataclass(frozen=True)
class Part:
    """A part of a document that the question asks for: its heading and the sentence its section opens with."""

    heading: str
    opening: Span


class Parts(OverTheIndex):
    """A question which things there are, or how many, answered by the parts of the first retrieved document that
    names them in its headings."""

    name = "parts"

    def propose(self, asked: Asked) -> Draft | None:
        after, counted = listed(asked.question), counted_noun(asked.question)
        if after is None and counted is None:
            return None
        # what is asked for stands right after "welke" ("Welke uitgangspunten noemt de nota?", not "For which
        # challenges does the government use data, according to theme 3?"), or is what "hoeveel" counts
        terms = self.scorer.terms(asked.question, bridges=asked.bridges)
        head = ([t for t in lexical_tokens(after) if t in terms and t not in _NUMBER_STEMS and not t.isdigit()]
                [:_HEAD_WORDS]
                if after is not None else [counted])
        asked_stems = {form for t in head for form in (terms[t].forms if t in terms else {t: 1.0})}
        # the question's own word, not a translation of it: "took part" is no question for a document's parts
        as_such = bool(set(head) & _PART_NOUNS)
        allowed = asked.filters.doc_ids if asked.filters and asked.filters.doc_ids else None
        retrieved = [self.scorer.document(d) for d in dict.fromkeys(h.chunk.doc_id for h in asked.hits)
                     if allowed is None or d in allowed]
        # a document the question calls by its kind or title first ("de nota"), then as retrieved
        called = [d for d in retrieved if colophon.called_in(asked.question, d)
                  or colophon.names(asked.question, d.meta.title, asked.bridges)]
        for doc in [*called, *(d for d in retrieved if d not in called)]:
            under, sections = parts(doc, asked_stems, set(terms), as_such)
            read = sentences_of(doc, self.scorer.index.chunks) if sections else []  # read only where it has parts
            found = _opened(sections, read)
            if not found:
                continue
            # "Welk artikel gaat over de beslistermijn?": the parts whose headings hold the question's other words
            # (not its document's title, nor the heading they stand under: "Welke artikelen heeft de Regeling
            # subsidie …?" asks for all of them)
            setting = set(lexical_tokens(f"{doc.meta.title} {doc.meta.identifier or ''} {under}"))
            other = {form for term in terms.values() if term.weight == 1.0 for form in term.forms} - setting
            if after is not None and (narrowed := _narrowed(found, other)):
                return self._draft(asked, doc, under, narrowed, counting=False, narrowed=True)
            if not as_such:  # a question for its parts as such is answered by their headings
                best = asked.candidates[: self.scorer.settings.answer.max_sentences]
                if any(_names_parts(ev.span.quote, found) for ev in best):
                    return None  # the evidence names them: it answers
                naming = _naming_sentence(found, read)
                if naming is not None:  # a sentence elsewhere names them: it answers, read with the headings
                    return Draft(self.name, evidence=[naming],
                                 score=self._accounted(asked, doc, under, found, [naming.span.quote]))
            return self._draft(asked, doc, under, found, counting=after is None)
        return None

    def _accounted(self, asked: Asked, doc: Document, under: str, found: list[Part], quotes: list[str]) -> float:
        """How much of the question the parts account for, quoted by `quotes`: the document, named by its title,
        identifier or kind, the verb by which the question asks what it names ("noemt", "describe"), their number
        ("Wat zijn de vier thema's?" is answered by four) and their headings are accounted for with them."""
        naming = " ".join(m.group(0) for m in _NAMES.finditer(asked.question))
        counted = [str(len(found)), *(w for w, n in rules.numbers().items() if n == len(found))]
        said = [doc.meta.title, doc.meta.identifier or "", doc.meta.kind, naming, under, *counted,
                *(p.heading for p in found), *quotes]
        return self.scorer.accounted(asked.question, " ".join(said), asked.bridges)

    def _draft(self, asked: Asked, doc: Document, under: str, found: list[Part], counting: bool,
               narrowed: bool = False) -> Draft:
        index = self.scorer.index
        shown = found[:_MAX_PARTS]
        citations = [compose.place_citation(index, n, p.opening) for n, p in enumerate(shown, 1)]
        text = compose.parts(doc.meta, under, [p.heading for p in shown], citations, len(found) - len(shown),
                             asked.language, counted=len(found) if counting else None, narrowed=narrowed)
        return Draft(self.name, text, citations,
                     score=self._accounted(asked, doc, under, shown, [c.quote for c in citations]))


def parts(doc: Document, asked: set[str], question: set[str], as_such: bool = False) -> tuple[str, list[Section]]:
    """The parts of `doc` a question asks for, whose words after "welke" are `asked` and whose terms are
    `question` (stems): the subsections of a section whose heading's words are all the asked ones ("2.
    Uitgangspunten" for "Welke uitgangspunten …"), with that heading; else the headings numbered after an asked
    word ("Thema 1", "Thema 2" for "Welke thema's …"); for a question that asks for parts as such ("Uit welke
    hoofdstukken bestaat de monitor?", `as_such`), the subsections of the section it names anywhere, else the
    document's sections. At least two, or none; with the heading they stand under, if any."""
    sections = [s for s in doc.sections if s.path and s.path[-1] != doc.meta.title]
    for section in sections:
        words = set(lexical_tokens(_NUMBERING.sub("", section.path[-1])))
        if words and (words <= asked or (as_such and words <= question)):
            children = [s for s in sections if len(s.path) == len(section.path) + 1
                        and s.path[: len(section.path)] == section.path]
            if len(children) >= _MIN_PARTS:
                return section.path[-1], children
    by_noun: dict[str, list[Section]] = {}
    for section in sections:
        if (m := _NUMBERED.match(section.path[-1])) and (stem := lexical_tokens(m["noun"])) and stem[0] in asked:
            by_noun.setdefault(stem[0], []).append(section)
    family = max(by_noun.values(), key=len, default=[])
    if as_such and len(family) < _MIN_PARTS:
        top = min((len(s.path) for s in sections), default=0)
        family = [s for s in sections if len(s.path) == top]
    return "", family if len(family) >= _MIN_PARTS else []


def _narrowed(found: list[Part], other: set[str]) -> list[Part]:
    """The parts whose headings hold one of the question's `other` words (stems), when some do and others do not;
    the family's shared word ("Artikel") and the numbers left out."""
    shared = set.intersection(*(set(lexical_tokens(_NUMBERING.sub("", p.heading))) for p in found))
    matching = [p for p in found if (set(lexical_tokens(_NUMBERING.sub("", p.heading))) - shared) & other]
    return matching if 0 < len(matching) < len(found) else []


def _names_parts(text: str, found: list[Part]) -> int:
    """How many of the parts `text` names (0 for fewer than two): a part is named by more than half of its
    heading's own words (both of two: "subsidie" alone does not name "Hoogte van de subsidie"), its number and the
    word its family shares left out ("Doorsnijdende thema's zijn daarmee digitale
    ethiek, AI in actie, …"; "Het kabinet hanteert drie uitgangspunten: doelbinding, dataminimalisatie en …")."""
    shared = set.intersection(*(set(lexical_tokens(_NUMBERING.sub("", p.heading))) for p in found))
    names = [set(lexical_tokens(_NUMBERING.sub("", p.heading))) - shared for p in found]
    held = set(lexical_tokens(text))
    named = sum(1 for n in names if n and len(n & held) * 2 > len(n))
    return named if named >= _MIN_PARTS else 0


def _naming_sentence(found: list[Part], read: list[tuple[Chunk, Span]]) -> Evidence | None:
    """The sentence of the document `read` that names the most of its parts `found`, two at least: the
    document's own list of them."""
    best: tuple[int, Evidence] | None = None
    for chunk, span in read:
        named = _names_parts(span.quote, found)
        if named and (best is None or named > best[0]):
            best = (named, Evidence(0, chunk, span, coverage=0.0, score=0.0))
    return best[1] if best else None


def _opened(sections: list[Section], read: list[tuple[Chunk, Span]]) -> list[Part]:
    """Each section with the first sentence under it in the document `read`: its own, or its first subsection's
    when it opens with one (cited under the section's own heading)."""
    found = []
    for section in sections:
        depth = len(section.path)
        span = next((sp for chunk, sp in read if tuple(chunk.section[:depth]) == section.path), None)
        if span is not None:
            found.append(Part(section.path[-1], span.model_copy(update={"section": " › ".join(section.path)})))
    return found if len(found) >= _MIN_PARTS else []
