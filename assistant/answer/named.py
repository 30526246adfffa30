"""Which organisations of a kind the documents name ("Welke coalities zijn er?", "Welke ministeries noemt de
brief?", "Which coalitions does the letter mention?"): the who-is-who's organisations whose name holds the kind's
noun, each with a sentence that names it, quoted.

The evidence would answer with the sentences that use the kind's word most, which name none of them ("Coalities
kunnen worden gevormd door overheden …"): the coalitions are named one by one, on other pages. A question that
asks anything more of them ("Welke gemeenten doen mee aan de pilot?") is the evidence's: the who-is-who knows who
is named, not who does what.
"""

from __future__ import annotations

from assistant.answer import compose
from assistant.answer.evidence import FUNCTION_STEMS_EN
from assistant.answer.questions import ANY_ORGANISATION, ORGANISATION_NOUNS, QUESTION_WORDS, which_kind
from assistant.answer.responders import Asked, Draft, OverTheIndex
from assistant.enrich import colophon
from assistant.text import rules
from assistant.text.tokens import lexical_tokens
from assistant.types import Citation, Span

_NAMES = rules.rule("questions", "document-names")
_EXISTS = rules.rule("questions", "asks-what-exists")
_MAX_NAMED = 12


class Named(OverTheIndex):
    """The organisations of the kind a question asks for that the documents name, from the who-is-who."""

    name = "named"

    def propose(self, asked: Asked) -> Draft | None:
        if which_kind(asked.question) is None:  # most questions: read no further
            return None
        index = self.scorer.index
        # a document the question calls by its kind or title ("de monitor"), or by what its title says it is about
        # ("de nota over datadelen"): those it names, not all
        called = {d for d in index.documents if colophon.called_in(asked.question, self.scorer.document(d))
                  or colophon.names(asked.question, index.meta(d).title, asked.bridges)}
        asked_for = self.asked_kind(asked, called)
        if asked_for is None:
            return None
        kind, noun = asked_for
        allowed = set(asked.filters.doc_ids) if asked.filters and asked.filters.doc_ids else None
        if called:
            allowed = called & allowed if allowed is not None else called
        named = [(actor, place) for actor in index.overview().actors
                 if actor.kind == "organisation" and (noun in ANY_ORGANISATION or noun in actor.name.lower())
                 and (place := self._place(actor.roles, allowed))]
        if not named:
            return None
        shown = named[:_MAX_NAMED]
        cited: dict[tuple[str, int | None, int | None, int | None], Citation] = {}  # a sentence naming two: one source
        for _, place in shown:
            key = (place.doc_id, place.start, place.end, place.footnote)
            cited.setdefault(key, compose.place_citation(index, len(cited) + 1, place))
        each = [cited[(p.doc_id, p.start, p.end, p.footnote)] for _, p in shown]
        text = compose.named(kind, [actor.name for actor, _ in shown], each, len(named) - len(shown), asked.language)
        return Draft(self.name, text, list(cited.values()))

    def _place(self, places: list[Span], allowed: set[str] | None) -> Span | None:
        """The sentence that names an organisation in the documents `allowed` (all where None), a current
        document's before a replaced version's."""
        index = self.scorer.index
        return next((p for p in sorted(places, key=lambda p: index.meta(p.doc_id).status != "current")
                     if allowed is None or p.doc_id in allowed), None)

    def asked_kind(self, asked: Asked, called: set[str] = frozenset()) -> tuple[str, str] | None:
        """The kind a question asks for, as it asks it, and its organisation noun ("coalities", "coalitie" of
        "Welke coalities zijn er?", through its translations of "Which coalitions …?"), where it asks nothing
        else: besides the kind, only what the documents name or what there is, and the documents it calls by their
        kind or title (`called`: "de monitor"). None for any other question."""
        kind = which_kind(asked.question)
        if kind is None:
            return None
        terms = self.scorer.terms(asked.question, bridges=asked.bridges)
        stems = set(lexical_tokens(kind))
        words = {kind.lower(), *(form.removeprefix("en:") for stem in stems if stem in terms
                                 for form in terms[stem].forms)}
        noun = next((n for n in (*ORGANISATION_NOUNS, *ANY_ORGANISATION) for w in words if n in w), None)
        if noun is None:
            return None
        rest = _EXISTS.sub(" ", _NAMES.sub(" ", asked.question.replace(kind, " ")))
        index = self.scorer.index
        calling = {t for d in index.documents for t in lexical_tokens(index.meta(d).kind)}  # "de nota"
        calling |= {t for d in called for t in lexical_tokens(index.meta(d).title, index.meta(d).language)}
        left = set(lexical_tokens(rest)) - QUESTION_WORDS - FUNCTION_STEMS_EN - calling
        return (kind, noun) if not left else None
