"""What a document says about itself: its official number, date, sender, addressee and who signed it, and what
it is about where it names itself ("Deze brief betreft …").

A Kamerbrief opens with its dossier and number, who sends it, to whom and when ("26 643 … Nr. 1055 / BRIEF VAN
DE STAATSSECRETARIS … / Aan de Voorzitter van de Tweede Kamer … / Den Haag, 7 juli 2023") and closes with
its signature ("De Staatssecretaris van …, A.C. van Huffelen"). Questions about the letter itself ("Wie heeft
de brief ondertekend?", "Onder welk Kamerstuknummer is deze brief gepubliceerd?", "Who is the letter addressed
to?") share no words with its running text; they are answered from these spans, each quoted where it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.enrich.overview import names_organisation, place
from assistant.enrich.refs.grammar import named_in_words
from assistant.text import rules
from assistant.text.dates import MONTH_NAMES, MONTHS
from assistant.text.lexicon import translations
from assistant.text.rules import words
from assistant.text.sentences import sentence_spans
from assistant.text.tokens import lexical_tokens, question_stems
from assistant.types import Document, Span

HEAD_CHARS = 1500  # the header block of a publication: dossier, number, sender, addressee, date
TAIL_CHARS = 3000  # the signatures stand in the last part of the text: its last fifth, or this much of a short one
TAIL_SHARE = 0.2

_OFFICE = r"(?:[Mm]inister(?:-[Pp]resident)?|[Ss]taatssecretaris)"
# Initials, particles and a surname; a second capitalised word ("Bruins Slot") only where the text or the next
# signature follows.
_NAME = (r"(?:[A-Z]\.){1,4}\s?(?:(?:van|de|der|den|ten|ter|te|el)\s+){0,3}[A-Z][\w’'-]+"
         rf"(?: [A-Z][\w’'-]+(?=\s*(?:$|(?:De|Het)\s+{_OFFICE}\b)))?")
_SIGNATURE = re.compile(rf"\b(?:De|Het)\s+{_OFFICE}\b[^,.\n]{{0,140}},\s+{_NAME}")
_SENDER = re.compile(r"\b(?:BRIEF VAN (?:DE|HET)|MOTIE VAN (?:HET LID|DE LEDEN)) [A-Z][A-Z ,.’'-]{4,200}?"
                     r"(?=\s+(?:Aan|AAN)\b|\n|$)")
# A publication that is no letter says who issued it, and when, on a line of its own under its title, its imprint
# ("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties, november 2024", "EPSIF Policy Paper No. 12, European
# Public Sector Innovation Forum, October 2024"): a line that ends with a month and year and names an organisation.
_IMPRINT = re.compile(rf"^[^\n]{{3,160}},\s+(?:\d{{1,2}}\s+)?(?:{MONTH_NAMES})\s+\d{{4}}[ \t]*$",
                      re.IGNORECASE | re.MULTILINE)
_PROPOSED = rules.rule("evidence", "motion-proposed")
_ADDRESSEE = re.compile(r"\bAan (?:de |het )?[A-Z][^\n.]{0,100}?(?:Staten-Generaal|Kamer\b(?! der))")
_DATE = re.compile(rf"\b(?:Den Haag|’s-Gravenhage|'s-Gravenhage),\s+\d{{1,2}} (?:{'|'.join(MONTHS)}) \d{{4}}")

_SELF = rules.rule("questions", "names-this-document")
_ABOUT = rules.rule("questions", "document-about")
_LETTER = re.compile(r"(?:kamer)?(?:brief|letter)", re.IGNORECASE)  # a letter is "de brief over X" whatever its title
_MIN_TITLE_SHARE = 0.5  # of the subject's own words, that the title must hold
_NAMES_ITSELF = rules.rule("evidence", "names-itself")
_DICTUM = rules.rule("evidence", "dictum")
_MOTION = rules.rule("evidence", "motion-head")
_SAYS_ITSELF = 2  # sentences in which a document says what it is about, the first ones
_SENT = rules.rule("questions", "asks-how-sent")
_CALLED = rules.rule("questions", "calls-document")
_PRONOUN = rules.rule("questions", "document-pronoun")
_DETERMINER = re.compile(r"^\s*(?:de|het|deze|dit|die|dat|een|the|this|that|these|a|an)\s+", re.IGNORECASE)
_OTHER_DOCUMENT = rules.rule("questions", "names-other-document")
# in this order: "when" asks for the date whoever did what ("Wanneer is de brief ondertekend?", "When was the letter
# sent to parliament?"), and "addressed to" outranks "sent"
_KINDS = ("date", "addressee", "signer", "sender", "identifier")
_ASKS = {kind: rules.rule("questions", f"asks-{kind}") for kind in _KINDS}
_SENDER_WORDS = rules.rule("questions", "sender-word")


@dataclass
class Fact:
    """One thing a document says about itself, quoted where it stands."""

    kind: str  # signer, sender, addressee, date, identifier, or issuer (who issued a publication that is no letter)
    cited: Span


def asked(question: str, title: str = "", bridges: dict[str, list[str]] | None = None,
          called: bool = False) -> str | None:
    """Which fact about the document itself a question asks for, if it asks about the document itself: "deze
    brief", "de brief", or "de brief over X" where X is what `title` says it is about (read through `bridges`,
    the title's language's words for the question's: "the letter on the progress of the Algorithm Register"
    for "Voortgang Algoritmeregister …"), or, if `called`, the document the question calls by its kind ("de
    motie" where a motion is among the documents, `called_in`; elsewhere a motion is one a letter cites)."""
    if not called and not names(question, title, bridges or {}) and (
            not _SELF.search(question) or _OTHER_DOCUMENT.search(question)):
        return None
    return next((kind for kind in _KINDS if _ASKS[kind].search(question)), None)


def asking_words(question: str, kind: str) -> str:
    """The words of `question` that make it a question about the document itself asking for `kind` ("de brief",
    "ondertekend", and for its date how it was sent: "Wanneer is de motie ingediend?"): what a fact of that kind
    accounts for besides its own words (the subject of "de brief over X" is accounted for by the title, if at
    all). Who issued a publication answers a question who wrote it or who signed it."""
    asks = (_ASKS["sender"], _ASKS["signer"]) if kind == "issuer" else (_ASKS[kind],)
    asking = (_SELF, *asks, _SENT) if kind == "date" else (_SELF, *asks)
    return " ".join([*(m.group(0) for pattern in asking for m in pattern.finditer(question)),
                     *(m["head"] for m in _ABOUT.finditer(question))])


def names(question: str, title: str, bridges: dict[str, list[str]]) -> bool:
    """Whether "de brief over X" names the document by its title: most of X's own words (not those asking for a
    fact, "verstuurd", nor question words) are the title's ("de brief over de agenda coalities" for "Agenda
    ‘Coalities voor de digitale samenleving’", not "de brief over de hoofdlijnen van het
    digitaliseringsbeleid"). Another document is named so by what its title's first word calls it ("de motie
    over de terugvaloptie" for "Motie van het lid … over een niet-digitale terugvaloptie"); "de coalitie over
    X" names none."""
    m = next((m for m in _ABOUT.finditer(question) if _LETTER.fullmatch(m["noun"])
              or _named(m["noun"], "", title.split()[0])), None) if title else None
    if m is None:
        return False
    subject = m["subject"]
    for pattern in (*_ASKS.values(), _SENDER_WORDS, _SENT):
        subject = pattern.sub(" ", subject)
    words = set(lexical_tokens(subject)) - question_stems()
    held = set(lexical_tokens(title))
    translated = {stem for word, near in bridges.items() if set(lexical_tokens(" ".join(near))) & held
                  for stem in lexical_tokens(word)}
    return bool(words) and len(words & (held | translated)) >= _MIN_TITLE_SHARE * len(words)


def facts(doc: Document) -> list[Fact]:
    """The self-describing spans the document has: header parts and every signature of its closing. A publication
    without a letter's sender names who issued it and when on its imprint line (`_IMPRINT`)."""
    head = doc.text[:HEAD_CHARS]
    found: list[Fact] = []
    for kind, pattern in (("sender", _SENDER), ("addressee", _ADDRESSEE), ("date", _DATE), ("signer", _PROPOSED),
                          ("date", _PROPOSED)):
        if m := pattern.search(head):
            found.append(Fact(kind, place(doc, m.start(), m.end())))
    kinds = {f.kind for f in found}
    if "sender" not in kinds and (m := next((m for m in _IMPRINT.finditer(head) if names_organisation(m[0])), None)):
        found += [Fact(kind, place(doc, m.start(), m.end())) for kind in ("issuer", "date") if kind not in kinds]
    if span := identifier_span(doc):
        found.append(Fact("identifier", place(doc, *span)))
    tail = min(int(len(doc.text) * (1 - TAIL_SHARE)), max(0, len(doc.text) - TAIL_CHARS))
    found += [Fact("signer", place(doc, m.start(), m.end())) for m in _SIGNATURE.finditer(doc.text, tail)]
    return found


def author(doc: Document) -> str:
    """Who writes a signed document in the first person, by office (in Dutch and English) and name ("De
    Staatssecretaris van …, A.C. van Huffelen" gives "staatssecretaris state secretary A.C. van Huffelen"); "" for
    an unsigned one. A letter's author says "ik" and "mijn": a question names her by office or name."""
    offices = words("offices")
    said = []
    for fact in facts(doc):
        if fact.kind == "signer" and (m := re.match(rf"(?:De|Het)\s+({_OFFICE})\b", fact.cited.quote)):
            office = m[1].lower()
            said += [office, offices.get(office, ""), fact.cited.quote.rsplit(",", 1)[-1].strip()]
    return " ".join(dict.fromkeys(w for w in said if w))


def identifier_span(doc: Document) -> tuple[int, int] | None:
    """Where the header writes the document's dossier and number ("26 643 … Nr. 1055")."""
    ident = doc.meta.identifier or ""
    dossier = re.search(r"\b(\d{2})\s?(\d{3})\b", ident)
    number = re.search(r"\bnr\.?\s*(\d+)", ident, re.IGNORECASE)
    if not dossier:
        return None
    pattern = rf"\b{dossier[1]}\s?{dossier[2]}\b"
    if number:
        pattern += rf"[^\n]{{0,160}}?\s+nr\.?\s*{number[1]}\b"
    m = re.search(pattern, doc.text[:HEAD_CHARS], re.IGNORECASE)
    return (m.start(), m.end()) if m else None



def names_document(subject: str, doc: Document) -> bool:
    """Whether `subject` ("deze brief", "the report", "de monitor", "het stuk", "de agenda coalities", "the EPSIF
    paper") names `doc`: its head (first or last word) names the document by its kind or the head of its title,
    and each of its words is a word of the title, kind or identifier, or ends one ("nota" of "Beleidsnota"), or
    translates one ("report" of "rapport"). "de coalities" does not name the agenda "Coalities voor …"."""
    words_of = re.findall(r"[^\W\d_]+", _DETERMINER.sub("", subject))
    meta = doc.meta
    return bool(words_of) and _named(subject, meta.language, f"{meta.title} {meta.kind} {meta.identifier or ''}") \
        and any(_named(head, meta.language, _called(doc)) for head in {words_of[0], words_of[-1]})


def stands_for_document(question: str) -> bool:
    """Whether a question asks for a fact of a document's header with only a pronoun for the document ("Wie heeft
    dit geschreven?", "Who signed it?", "Wanneer is het verschenen?"): no other word of it says which document
    is meant, so it means the one in scope, if only one is."""
    if not _PRONOUN.search(question):
        return False
    rest = question
    for pattern in (*(p for kind, p in _ASKS.items() if kind != "sender"), _SENDER_WORDS, _SENT, _PRONOUN):
        rest = pattern.sub(" ", rest)
    return not set(lexical_tokens(rest)) - question_stems()


def called_in(question: str, doc: Document) -> bool:
    """Whether the question calls `doc` by its kind or the head of its title, after an article ("de motie", "the
    factsheet", "deze nota"): a question about that document itself."""
    return any(_named(m["noun"], doc.meta.language, _called(doc), generic=False) for m in _CALLED.finditer(question))


def says_itself(doc: Document) -> list[Span]:
    """The first sentences in which the document names itself by its kind or the head of its title ("Deze brief
    betreft …", "Met deze brief informeer ik …", "Deze monitor beschrijft …", "This paper draws on …"): where a
    document says what it is about. "deze coalities" in the agenda "Coalities voor …" is no such sentence. A
    motion says it in its dictum ("verzoekt de regering …"), which is then the one sentence."""
    motion = doc.meta.kind.lower() == "motie" or bool(_MOTION.search(doc.text[:HEAD_CHARS]))
    found = []
    for start, end in sentence_spans(doc.text):
        sentence = doc.text[start:end]
        if motion and _DICTUM.match(sentence):
            return [place(doc, start, end)]
        if not motion and _names_itself(sentence, doc):
            found.append(place(doc, start, end))
            if len(found) == _SAYS_ITSELF:
                break
    return found


def _names_itself(sentence: str, doc: Document) -> bool:
    """Whether a sentence (of a length that says something) names `doc` by its kind or the head of its title."""
    return (6 <= len(sentence.split()) <= 70 and not sentence.rstrip().endswith(":")
            and any(_named(m["noun"], doc.meta.language, _called(doc), generic=False)
                    for m in _NAMES_ITSELF.finditer(sentence)))


def _called(doc: Document) -> str:
    """What a document is called by: its kind and the head of its title ("Monitor", "Agenda", "Regeling"), and an
    identifier that names it in words ("the EPSIF paper" is "EPSIF Policy Paper No. 12"; an official one,
    "Kamerstukken II 2024/25, 26 643, nr. 1192", names no document by its words)."""
    return f"{' '.join(doc.meta.title.split()[:1])} {doc.meta.kind} {named_in_words(doc.meta.identifier)}".strip()


def _named(subject: str, language: str, names: str, generic: bool = True) -> bool:
    """Whether every word of `subject` (its determiner aside), or its Dutch for an English word ("letter":
    "brief"), is one of `names`' words, ends one ("nota" of "Beleidsnota"), translates one ("report" of "rapport")
    or, if `generic`, is a word for any document ("het stuk")."""
    held = _stems_of(names, language)
    anything = _stems_of(" ".join(words("documents.any")), "") if generic else frozenset()
    wanted = re.findall(r"[^\W\d_]+", _DETERMINER.sub("", subject).lower())

    def met(word: str) -> bool:
        forms = {stem for form in (word, *translations(word, "en")) for stem in lexical_tokens(form)}
        return bool(set(lexical_tokens(word)) & anything) or any(n.endswith(f) for n in held for f in forms)
    return bool(wanted) and all(met(w) for w in wanted if lexical_tokens(w))


@lru_cache(maxsize=1024)
def _stems_of(names: str, language: str) -> frozenset[str]:
    """The stems of `names`' words and, in `language` (if any), of their translations: read once per document's
    names, as every question asks whether it calls a retrieved document by them (`called_in`)."""
    return frozenset(stem for word in re.findall(r"[^\W\d_]+", names.lower())
                     for form in (word, *(translations(word, language) if language else ()))
                     for stem in lexical_tokens(form))
