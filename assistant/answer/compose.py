"""Answer texts and their citations: quoted evidence with markers, what a document says about itself, what the
documents cite, what a term means, and the abstention."""

from __future__ import annotations

import re

from assistant.answer.chosen import Evidence
from assistant.enrich import colophon
from assistant.enrich.overview import GlossaryEntry
from assistant.enrich.refs import Reference
from assistant.index import Index
from assistant.text import rules
from assistant.text.dates import MONTHS, MONTHS_EN
from assistant.text.normalize import language_of
from assistant.types import Citation, DocumentMeta, ReferenceLink, Span


def citation(index: Index, n: int, ev: Evidence) -> Citation:
    meta = index.meta(ev.span.doc_id)
    return Citation(n=n, **ev.span.model_dump(), title=meta.title, identifier=meta.identifier,
                    chunk_id=ev.chunk.chunk_id, url=meta.url, status=meta.status,
                    language=language_of(ev.span.quote, meta.language))


def place_citation(index: Index, n: int, place: Span) -> Citation:
    """A citation of a place the registry or the glossary points to: its footnote's text or its sentence."""
    meta = index.meta(place.doc_id)
    chunks = [c for c in index.chunks if c.doc_id == place.doc_id]
    if place.footnote is not None:
        chunk = next(c for c in chunks if any(f.number == place.footnote for f in c.footnotes))
        start = end = chunk.start
    else:
        chunk = next((c for c in chunks if c.start <= (place.start or 0) < c.end), chunks[0])
        start, end = place.start or chunk.start, place.end or chunk.end
    return Citation(
        n=n, doc_id=meta.doc_id, title=meta.title, identifier=meta.identifier, page=place.page,
        section=place.section, quote=place.quote,
        chunk_id=chunk.chunk_id, url=meta.url, start=start, end=end,
        footnote=place.footnote, status=meta.status, language=language_of(place.quote, meta.language),
    )

def references_in(index: Index, citations: list[Citation]) -> list[ReferenceLink]:
    """The references the cited passages cite, so every answer that mentions one shows its identifier and
    link."""
    links: dict[str, ReferenceLink] = {}
    for ref in index.references():
        for c in citations:
            if any(p.doc_id == c.doc_id and (p.footnote == c.footnote if c.footnote is not None
                                             else p.footnote is None and p.start is not None
                                             and p.start < c.end and c.start < (p.end or p.start))
                   for p in ref.places):
                links[ref.id] = ReferenceLink(id=ref.id, kind=ref.kind, title=ref.title,
                                              identifier=ref.identifier, url=ref.url, in_corpus=ref.in_corpus)
    return list(links.values())


def marked(sentence: str, marks: str) -> str:
    """A sentence with its markers before its closing punctuation, as the model is asked to write them."""
    body, end = (sentence[:-1], sentence[-1]) if sentence[-1] in ".!?" else (sentence, ".")
    return f"{body} {marks}{end}"


# How an answer introduces its quotes, by the question's language: the quotes' language is named only where it
# differs from the question's ("quoted in Dutch" over a Dutch letter, "geciteerd in het Engels" over an EU paper).
_LANGUAGES = {"en": {"nl": "Dutch", "en": "English"}, "nl": {"nl": "het Nederlands", "en": "het Engels"}}
_FRAMES = {
    "en": {"say": "The documents say", "also say": "The documents also say", "cite": "The documents cite"},
    "nl": {"say": "De documenten zeggen", "also say": "De documenten zeggen ook", "cite": "De documenten noemen"},
}
_IN = {"en": ("quoted in {}", "partly quoted in {}", "titles in {}"),
       "nl": ("geciteerd in {}", "deels geciteerd in {}", "titels in {}")}


def frame(citations: list[Citation], language: str, verb: str = "say") -> str:
    """The words before an answer's quotes: none for a Dutch answer quoting Dutch, else what the documents say,
    with the quotes' language when it is not the question's ("The documents say (quoted in Dutch): ")."""
    said = _quoted_in(citations, language, verb)
    if not said:
        return f"{_FRAMES['en'][verb]}: " if language == "en" else ""
    return f"{_FRAMES[language][verb]} ({said}): "


def _quoted_in(citations: list[Citation], language: str, verb: str = "say") -> str:
    """In which other language than the question's the quotes are ("quoted in Dutch", "partly quoted in
    English"), or "" when all are in the question's."""
    other = sorted({c.language for c in citations} - {language})
    if not other:
        return ""
    names = " / ".join(_LANGUAGES[language][lg] for lg in other)
    whole, part, titles = _IN[language]
    return (titles if verb == "cite" else whole if all(c.language != language for c in citations) else part
            ).format(names)


def quoted(citations: list[Citation], language: str) -> str:
    """The answer text: each quoted sentence followed by its marker, introduced by `frame`. Quote marks set off
    what is quoted from the frame, and a quote from the answer's language when a frame is needed at all."""
    lead = frame(citations, language)
    quotes = [(" ".join(c.quote.split()), c.n) for c in citations]
    if lead:
        return lead + " ".join(f"“{q}” [{n}]" for q, n in quotes)
    return " ".join(f"{q} [{n}]" for q, n in quotes)


def abstention(language: str) -> str:
    if language == "en":
        return "The documents do not answer this question."
    return "De documenten geven geen antwoord op deze vraag."


def _date_words(date: str | None, language: str) -> str:
    """An ISO date as the documents write it ("4 november 2022") or in English."""
    if not date or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return date or ""
    year, month, day = (int(x) for x in date.split("-"))
    return f"{day} {(MONTHS_EN if language == 'en' else MONTHS)[month - 1]} {year}"


def definitions(defined: list[tuple[GlossaryEntry, Citation]], language: str) -> str:
    """An abbreviation's expansion as the document writes it, or the sentence that defines a term, cited."""
    sentences = []
    for entry, c in defined:
        if entry.kind == "abbreviation":
            says = " stands for " if language == "en" else " staat voor "
            sentences.append(f"{entry.term}{says}{entry.expansion} [{c.n}].")
        else:
            sentences.append(f"{' '.join(c.quote.split())} [{c.n}]")
    terms = [c for e, c in defined if e.kind == "term"]
    return (frame(terms, language) if terms else "") + " ".join(sentences)


_ABOUT = {
    "nl": {"signer": "Ondertekend door: ", "sender": "Afzender: ", "issuer": "Uitgegeven door: ",
           "addressee": "Gericht aan: ", "date": "Gedateerd: ", "identifier": "Vindplaats: ", "proposed": "Ingediend: ",
           "motion": ""},
    "en": {"signer": "Signed by: ", "sender": "Sent by: ", "issuer": "Issued by: ", "addressee": "Addressed to: ",
           "date": "Dated: ", "identifier": "Published as: ", "proposed": "Submitted: ", "motion": ""},
}
# A motion is proposed, not signed, and its head says whose it is: "MOTIE VAN HET LID …" needs no "Afzender:"
_MOTION_LABELS = {"signer": ("proposed", rules.rule("evidence", "motion-proposed")),
                  "sender": ("motion", rules.rule("evidence", "motion-head"))}


def _label(kind: str, quote: str, labels: dict[str, str]) -> str:
    motion = _MOTION_LABELS.get(kind)
    return labels[motion[0]] if motion and motion[1].search(quote) else labels[kind]


def about(facts: list[colophon.Fact], citations: list[Citation], language: str) -> str:
    """What the document says about itself, one labelled quote per fact (in English the quote stays Dutch)."""
    english = language == "en"
    labels = _ABOUT["en" if english else "nl"]
    quotes = [(" ".join(c.quote.split()), c.n) for c in citations]
    return " ".join(f"{_label(f.kind, q, labels)}{f'“{q}”' if english else q} [{n}]."
                    for f, (q, n) in zip(facts, quotes, strict=True))


_PARTS = {"nl": "Onderdelen: ", "en": "Its parts: "}
_INVENTORY = {"nl": ("De documenten", "en nog {} andere; `assistant overview` toont ze alle", "niet meer actueel"),
              "en": ("The documents", "and {} more; `assistant overview` lists them all", "no longer current")}


def subject(meta: DocumentMeta, citations: list[Citation], parts: list[str], language: str) -> str:
    """What a document is about: its title, identifier and date, the sentences in which it says what it is about
    (quoted), and its parts (its headings, as the document writes them)."""
    text = f"{_named(meta, language)}: {quoted(citations, language)}"
    return f"{text} {_PARTS['en' if language == 'en' else 'nl']}{'; '.join(parts)}." if parts else text


def inventory(documents: list[tuple[DocumentMeta, Citation]], more: int, language: str) -> str:
    """The documents the assistant holds, one line each: title, identifier and date, and what it says it is about
    (quoted, with its marker); `more` others are only counted."""
    head, rest, replaced = _INVENTORY["en" if language == "en" else "nl"]
    said = _quoted_in([c for _, c in documents], language)
    lines = [_document_line(meta, c, language, replaced if meta.status != "current" else "") for meta, c in documents]
    counted = [f"- … {rest.format(more)}."] if more else []
    return "\n".join([f"{head}{f' ({said})' if said else ''}:", *lines, *counted])


_CHANGES = {
    "nl": ("{new} wijkt op {n} plaatsen af van de versie die het vervangt, {old}",
           {"changed": "gewijzigd", "added": "toegevoegd", "removed": "vervallen"},
           ("en nog {} wijziging", "en nog {} wijzigingen"), " is nu "),
    "en": ("{new} differs in {n} places from the version it replaces, {old}",
           {"changed": "changed", "added": "added", "removed": "removed"},
           ("and {} more change", "and {} more changes"), " now reads "),
}


def changes(old: DocumentMeta, new: DocumentMeta, found: list[tuple[str, list[Citation], list[tuple[str, str]]]],
            more: int, language: str) -> str:
    """What a newer version changes, one line per difference: the older sentence and the newer one (quoted, each
    with its marker, and the words that differ between them where they are few: "650 → 720"), or the sentence
    added or dropped; `more` others are only counted."""
    head, kinds, rest, now = _CHANGES["en" if language == "en" else "nl"]
    lines = []
    for kind, cited, differs in found:
        quotes = [f"“{' '.join(c.quote.split())}” [{c.n}]" for c in cited]
        shown = f" ({'; '.join(f'{a} → {b}' for a, b in differs)})" if differs else ""
        lines.append(f"- {kinds[kind]}: {now.join(quotes)}{shown}")
    counted = [f"- … {rest[more > 1].format(more)}."] if more else []
    said = _quoted_in([c for _, cited, _ in found for c in cited], language)
    intro = head.format(new=_named(new, language), n=len(found) + more, old=_named(old, language))
    return "\n".join([f"{intro}{f' ({said})' if said else ''}:", *lines, *counted])


_PARTS_OF = {"nl": ("{doc} noemt ze in zijn koppen", "{doc} noemt er {n} in zijn koppen", "{doc}, in zijn koppen",
                    ", onder “{}”", "en nog {}"),
             "en": ("{doc} names them in its headings", "{doc} names {n} in its headings", "{doc}, in its headings",
                    ", under “{}”", "and {} more")}


def parts(meta: DocumentMeta, under: str, headings: list[str], citations: list[Citation], more: int,
          language: str, counted: int | None = None, narrowed: bool = False) -> str:
    """The parts of a document a question asks for (the subsections of the section `under`, if any; how many
    there are when it asks for their number, `counted`; those of them it `narrowed` to), one line each: its
    heading (as the document writes it) and the sentence its section opens with, quoted with its marker; `more`
    others are only counted."""
    them, number, some, below, rest = _PARTS_OF["en" if language == "en" else "nl"]
    head = (number if counted is not None else some if narrowed else them).format(doc=_named(meta, language),
                                                                                   n=counted)
    head += below.format(under) if under else ""
    said = _quoted_in(citations, language)
    lines = [f"- {h}: “{' '.join(c.quote.split())}” [{c.n}]" for h, c in zip(headings, citations, strict=True)]
    counted = [f"- … {rest.format(more)}."] if more else []
    return "\n".join([f"{head.format(doc=_named(meta, language))}{f' ({said})' if said else ''}:", *lines, *counted])


def which_document(held: int, language: str) -> str:
    """The answer to a question about "this" document when several are in scope: which one is meant."""
    if language == "en":
        return (f"Which document do you mean? The question does not name one, and {held} are held: name it by its "
                "title or kind (\"the motion\", \"the report\"), or ask within one document.")
    return (f"Welk document bedoelt u? De vraag noemt er geen, en er zijn er {held}: noem het bij zijn titel of soort "
            "(\"de motie\", \"het rapport\"), of stel de vraag binnen één document.")


_ABOUT_TOPIC = {"nl": ("Over “{}” schrijft dit document", "Over “{}” schrijven deze documenten"),
                "en": ("On “{}”, this document says", "On “{}”, these documents say")}


def documents_about(topic: str, documents: list[tuple[DocumentMeta, Citation]], language: str) -> str:
    """The documents that say something about `topic`, one line each: title, identifier and date, and the
    sentence that says most about it, quoted with its marker."""
    head = _ABOUT_TOPIC["en" if language == "en" else "nl"][len(documents) > 1].format(topic)
    said = _quoted_in([c for _, c in documents], language)
    lines = [_document_line(meta, c, language) for meta, c in documents]
    return "\n".join([f"{head}{f' ({said})' if said else ''}:", *lines])


_NAMED = {"nl": ("De documenten noemen deze {}", "en nog {} andere; `assistant overview` toont ze alle"),
          "en": ("The documents name these {}", "and {} more; `assistant overview` lists them all")}


def named(kind: str, names: list[str], citations: list[Citation], more: int, language: str) -> str:
    """The organisations of a `kind` the documents name ("coalities", as asked), one line each with a sentence
    that names it, quoted; `more` others are only counted."""
    head, rest = _NAMED["en" if language == "en" else "nl"]
    said = _quoted_in(citations, language)
    lines = [f"- {name}: “{' '.join(c.quote.split())}” [{c.n}]" for name, c in zip(names, citations, strict=True)]
    counted = [f"- … {rest.format(more)}."] if more else []
    return "\n".join([f"{head.format(kind.lower())}{f' ({said})' if said else ''}:", *lines, *counted])


def _document_line(meta: DocumentMeta, cited: Citation, language: str, note: str = "") -> str:
    """One document of a list: its title, identifier and date (and a `note`), and a sentence of it, quoted."""
    return f"- {_named(meta, language)}{f' ({note})' if note else ''}: “{' '.join(cited.quote.split())}” [{cited.n}]"


def _named(meta: DocumentMeta, language: str) -> str:
    """A document by its title, with its identifier and date."""
    named = ", ".join(filter(None, [meta.identifier, _date_words(meta.date, language)]))
    return f"{meta.title} ({named})" if named else meta.title


def references(cited: list[tuple[Reference, Citation]], language: str) -> str:
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
    return frame([c for _, c in cited], language, "cite") + " ".join(sentences)
