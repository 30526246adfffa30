"""The onboarding view: for each document a map of its sections with cited summaries, and across the corpus a
glossary of the abbreviations and terms the documents define, a timeline of their dated events and
commitments, and who is who.

Every line carries a verbatim quote and its place, like an answer. Nothing comes from a model's memory: the
only text not from the documents is the curated list of abbreviations (`assistant/abbreviations.toml`) that
documents use without writing out, and it is marked as such.

How each part is made (per document, at ingest, stored as `docs/<id>.overview.json` next to the document):

- **Map**: the section tree from the headings; each section's summary is its one or two most central
  sentences (closest in meaning to the section as a whole, by the sentence embeddings computed at ingest,
  with a small preference for early sentences), quoted. A document without headings is mapped by pages.
- **Glossary**: "Basis Data Infrastructuur (BDI)": a bracketed abbreviation whose letters occur, in order, in
  the words before it (the first letter starting the first word, at least four in five letters matched), in
  the spirit of Schwartz and Hearst (2003). "provincies (IPO)" is not a definition. Abbreviations used but
  never written out are listed as such. Terms the text defines ("Hierbij moet digitaal kapitaal worden
  gezien als ...", "De Staat van de Uitvoering is een periodieke publicatie ...") come with their sentence.
- **Timeline**: dates ("7 juli 2023"), days without a year ("14 juni jongstleden"), months, years with a
  preposition ("vóór 2030", "in 2040"), periods ("2022–2028") and relative times ("eind dit jaar", "begin
  volgend jaar"), resolved against the document's date where the text allows and marked as resolved.
- **Who is who**: organisations (names with an organisation noun: Ministerie, Raad, Autoriteit, Hogeschool,
  Netwerk, Coalitie, ...; or an abbreviation that stands for one) and office holders ("de staatssecretaris
  van BZK"), with the sentences that give them a role.
"""

from __future__ import annotations

import bisect
import datetime
import re
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from assistant.text.sentences import sentence_spans
from assistant.types import Document, DocumentMeta

# Stored per document; a change in how any part is made bumps it, so the next ingest makes it again.
OVERVIEW_VERSION = 1
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", " " * 10)


class Cited(BaseModel):
    """A verbatim quote and where it stands."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    quote: str
    page: int | None = None
    section: str = ""
    footnote: int | None = None
    start: int | None = Field(None, description="Offset in the document's clean text (None for a footnote).")
    end: int | None = None


class SectionSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: list[str] = Field(description="Heading path; for a document without headings, the page range.")
    pages: list[int]
    summary: list[Cited]
    condensed: str | None = Field(None, description="The summary in one sentence by a model, only where it "
                                  "verified against the quotes (`assistant overview --condense`).")
    condensed_by: str | None = Field(None, description="The model that wrote `condensed`.")


class DocumentMap(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_id: str
    title: str
    identifier: str | None = None
    date: str | None = None
    kind: str = "document"
    by_pages: bool = Field(False, description="True when the document has no headings and is mapped by pages.")
    sections: list[SectionSummary]


class GlossaryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str
    kind: str = Field(description="`abbreviation` or `term`.")
    expansion: str | None = Field(None, description="What it stands for or means, as the document writes it.")
    source: str = Field("document", description="`document`, or `curated` when no document writes it out.")
    defined_at: list[Cited] = Field(default_factory=list)
    used_at: list[Cited] = Field(default_factory=list, description="First places it is used.")
    conflict: bool = Field(False, description="Defined differently elsewhere in the corpus.")


class TimelineEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    when: str = Field(description="YYYY-MM-DD, YYYY-MM, YYYY, YYYY/YYYY (a period), YYYY-Qn or YYYY-Hn.")
    precision: str = Field(description="day, month, year, period, quarter or half.")
    as_written: str
    resolved: bool = Field(False, description="Resolved from a relative time against the document's date.")
    status: str = Field(description="`past`, `planned` or `target`, from the date and the wording.")
    cited: Cited


class Actor(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: str = Field(description="`organisation` or `office`.")
    pages: list[int] = Field(default_factory=list)
    roles: list[Cited] = Field(default_factory=list, description="Sentences that say what it does.")


class DocumentOverview(BaseModel):
    """What one document contributes to the overview; stored at ingest."""

    model_config = ConfigDict(extra="forbid")

    map: DocumentMap
    glossary: list[GlossaryEntry]
    timeline: list[TimelineEvent]
    actors: list[Actor]


class Overview(BaseModel):
    """The whole onboarding view of the corpus."""

    model_config = ConfigDict(extra="forbid")

    documents: list[DocumentMap]
    glossary: list[GlossaryEntry]
    timeline: list[TimelineEvent]
    actors: list[Actor]


# ------------------------------------------------------------------------------------------------ the map


def place(doc: Document, start: int, end: int) -> Cited:
    """A span of the clean text as a quote, with the page and section it stands on."""
    pages = doc.pages_between(start, end)
    return Cited(doc_id=doc.meta.doc_id, quote=doc.text[start:end], page=pages[0] if pages else None,
                 section=" › ".join(doc.section_at(start)), start=start, end=end)


def _footnote_place(doc: Document, number: int) -> Cited:
    note = doc.footnotes[number]
    marker = next((off for off, n in doc.markers if n == number), None)
    return Cited(doc_id=doc.meta.doc_id, quote=note.text, page=note.page, footnote=number,
                 section=" › ".join(doc.section_at(marker)) if marker is not None else "")


def _ranges(doc: Document) -> list[tuple[tuple[str, ...], int, int]]:
    """(path, body start, end) of each section; a document without headings: a range per two pages."""
    if doc.sections:
        bounds = [(s.path, s.start + len(s.path[-1]) if s.path else s.start) for s in doc.sections]
        starts = [s.start for s in doc.sections[1:]] + [len(doc.text)]
        out = [(path, body, end) for (path, body), end in zip(bounds, starts, strict=True)]
        if doc.sections[0].start > 0:
            out.insert(0, ((), 0, doc.sections[0].start))
        return [(p, a, b) for p, a, b in out if doc.text[a:b].strip()]
    pages = doc.pages or []
    out = []
    for i in range(0, len(pages), 2):
        group = pages[i : i + 2]
        label = f"p. {group[0].number}" + (f"–{group[-1].number}" if len(group) > 1 else "")
        out.append(((label,), group[0].start, group[-1].end))
    return out or [(("p. 1",), 0, len(doc.text))]


def _summary(doc: Document, start: int, end: int, vectors: dict[int, np.ndarray]) -> list[Cited]:
    """The section's most central sentences (one, or two for a long section), in document order."""
    title = doc.meta.title.lower()
    spans = [(a, b) for a, b in sentence_spans(doc.text, start, end) if 6 <= len(doc.text[a:b].split()) <= 70
             and not doc.text[a:b].rstrip().endswith(":") and not (title in doc.text[a:b].lower()
                                                                   and b - a < len(title) + 30)]
    if not spans:
        return []
    have = [(a, b) for a, b in spans if a in vectors]
    if have:
        matrix = np.stack([vectors[a].astype(np.float32) for a, _ in have])
        centre = matrix.mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-12)
        scores = matrix @ centre - 0.01 * np.arange(len(have))
        order = [have[i] for i in np.argsort(-scores, kind="stable")]
    else:
        order = spans
    chosen = sorted(order[: 2 if len(spans) > 8 else 1])
    return [place(doc, a, b) for a, b in chosen]


def _map(doc: Document, vectors: dict[int, np.ndarray]) -> DocumentMap:
    m = doc.meta
    sections = [SectionSummary(path=list(path) or [m.title], pages=list(doc.pages_between(a, b)),
                               summary=_summary(doc, a, b, vectors)) for path, a, b in _ranges(doc)]
    return DocumentMap(doc_id=m.doc_id, title=m.title, identifier=m.identifier, date=m.date, kind=m.kind,
                       by_pages=not doc.sections, sections=sections)


# ------------------------------------------------------------------------------------------------ glossary

_BRACKETED = re.compile(r"\((?P<abbr>[A-Z][A-Za-z0-9&]{0,2}[A-Z][A-Za-z0-9&-]{0,6})\)")
_USED = re.compile(r"(?<![\w-])(?P<abbr>[A-Z][A-Za-z&]{0,3}[A-Z][A-Za-z&]{0,3}|[A-Z]{2,7})(?=-[a-z]|(?![\w-]))")
_ROMAN = re.compile(r"[IVXLC]+")
_ARTICLES = {"de", "het", "een", "the", "a", "an"}
_TERM_PATTERNS = [
    re.compile(r"(?:moet|moeten|kan|kunnen) (?P<term>[\w’'-]+(?: [\w’'-]+){0,3}) worden "
               r"(?:gezien|begrepen|opgevat|verstaan) als\b"),
    re.compile(r"(?<![\w’'-])(?P<term>[\w’'-]+(?: [\w’'-]+){0,3}) (?:wordt|worden) (?:hier |in deze brief )?"
               r"(?:gezien|begrepen|opgevat|verstaan|gedefinieerd) als\b"),
    re.compile(r"\b[Oo]nder (?P<term>[\w’'-]+(?: [\w’'-]+){0,3}) (?:wordt|worden|verstaan) (?:\w+ ){0,3}"),
    re.compile(r"^(?:De|Het) (?P<term>[A-Z][\w’'-]*(?: (?:van|de|het|der|voor) )?(?: ?[A-Z][\w’'-]*)*) "
               r"(?:is|zijn) een (?:\w+ ){0,2}(?:publicatie|netwerk|samenwerking|instrument|programma|"
               r"methode|verzameling|overzicht|platform|stelsel)\b"),
]


def _letters_match(abbr: str, words: list[str]) -> bool:
    """Whether the abbreviation's letters occur in order in `words`, the first starting the first word, at least
    four in five of them (NOLAI in "Nationaal Onderwijslab")."""
    letters = [c.lower() for c in abbr if c.isalpha()]
    if not words or not letters or words[0][0].lower() != letters[0]:
        return False
    text = " ".join(words).lower()
    pos, matched = 0, 0
    for letter in letters:
        found = text.find(letter, pos)
        if found >= 0:
            matched += 1
            pos = found + 1
    if matched < 0.8 * len(letters) or len(words) > len(letters) + 2:
        return False
    # every written word takes part: "Volkshuisvesting en Ruimtelijke Ordening provincies IPO gemeenten (VNG)"
    # matches V, N and G somewhere, but "provincies" and "IPO" contribute nothing
    pos = 0
    for word in words:
        if word.lower() in _ARTICLES | {"en", "van", "voor", "de", "het", "der", "of", "and", "for"} \
                or not word[0].isalpha():
            continue
        if word.isupper() and len(word) > 1 and word != abbr:
            return False
        start = text.find(word.lower(), pos)
        pos = start + len(word)
        if not any(ch in letters for ch in word.lower()):
            return False
    return True


def _expansion(before: str, abbr: str) -> str | None:
    """The shortest run of words just before a bracketed abbreviation that it abbreviates."""
    words = re.findall(r"[\w’'–-]+", before)[-(len(abbr) + 4) :]
    for n in range(1, len(words) + 1):
        candidate = words[-n:]
        if candidate[0].lower() in _ARTICLES:
            continue
        if _letters_match(abbr, candidate) and (n > 1 or len(abbr) <= 2 or candidate[0][0].isupper()):
            return " ".join(candidate)
    return None


def _pieces(doc: Document) -> Iterable[tuple[str, int, Cited | None]]:
    """The running text (superscript markers blanked) and each footnote, with a way to cite a span of them."""
    yield doc.text.translate(_SUPERSCRIPTS), 0, None
    for number in sorted(doc.footnotes):
        yield doc.footnotes[number].text, number, _footnote_place(doc, number)


def _sentence_at(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The span (of `spans`, in order) holding `pos`: found by bisection, since a long document has thousands."""
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return spans[i] if i >= 0 and spans[i][0] <= pos < spans[i][1] else (pos, pos)


def _glossary(doc: Document) -> list[GlossaryEntry]:
    entries: dict[tuple[str, str | None], GlossaryEntry] = {}
    heads = {s.start for s in doc.sections}
    for text, footnote, note in _pieces(doc):
        spans = sentence_spans(text)
        for m in _BRACKETED.finditer(text):
            abbr = m.group("abbr")
            a, b = _sentence_at(spans, m.start())
            expansion = _expansion(text[a : m.start()], abbr)
            if expansion is None:
                continue
            cited = note or place(doc, a, b)
            if footnote == 0 and a in heads:
                cited = place(doc, a, m.end())
            entry = entries.setdefault((abbr, expansion.lower()), GlossaryEntry(term=abbr, kind="abbreviation",
                                                                                expansion=expansion))
            entry.defined_at.append(cited)
        for pattern in _TERM_PATTERNS:
            for a, b in sentence_spans(text):
                sentence = text[a:b]
                t = pattern.search(sentence)
                if t:
                    term = t.group("term").strip()
                    term = re.sub(r"^(?:(?:de|het|een|hierbij|moet|moeten|kan|kunnen)\s+)+", "", term, flags=re.I)
                    cited = note or place(doc, a, b)
                    entry = entries.setdefault((term, None), GlossaryEntry(term=term, kind="term",
                                                                           expansion=sentence.strip()))
                    if all(c.quote != cited.quote for c in entry.defined_at):
                        entry.defined_at.append(cited)
    defined = {e.term for e in entries.values()}
    used: dict[str, list[Cited]] = {}
    for text, _, note in _pieces(doc):
        for a, b in sentence_spans(text):
            sentence = text[a:b]
            if sum(w.isupper() for w in sentence.split()) > len(sentence.split()) / 2:
                continue  # a printed heading in capitals
            for m in _USED.finditer(sentence):
                abbr = m.group("abbr")
                if (_ROMAN.fullmatch(abbr) or abbr in defined or sum(c.islower() for c in abbr) > 2
                        or _in_capitals(sentence, m.start(), m.end())):
                    continue  # a roman numeral, a defined one, a name like ChatGPT, or a heading in capitals
                places = used.setdefault(abbr, [])
                if len(places) < 3:
                    places.append(note or place(doc, a, b))
    curated = _curated()
    for abbr, places in used.items():
        known = curated.get(abbr)
        entries[(abbr, "?")] = GlossaryEntry(term=abbr, kind="abbreviation", used_at=places,
                                             expansion=known, source="curated" if known else "document")
    for entry in entries.values():
        if entry.kind == "abbreviation" and entry.defined_at:
            entry.used_at = [c for c in used.get(entry.term, [])]
    return sorted(entries.values(), key=lambda e: (e.term.lower(), e.expansion or ""))


def _in_capitals(text: str, start: int, end: int) -> bool:
    """Whether a word stands among other words in capitals ("BRIEF VAN DE STAATSSECRETARIS"): a heading."""
    before = re.findall(r"[\w’'-]+", text[max(0, start - 40) : start])[-1:]
    after = re.findall(r"[\w’'-]+", text[end : end + 40])[:1]
    return any(w.isupper() and len(w) > 1 for w in before + after)


@cache
def _curated() -> dict[str, str]:
    """Expansions of abbreviations that documents use without writing out (data, not from the documents)."""
    data = tomllib.loads(files("assistant").joinpath("abbreviations.toml").read_text(encoding="utf-8"))
    return {k: v for k, v in data["abbreviations"].items()}


def expansions(entries: Iterable[GlossaryEntry]) -> dict[str, str]:
    """Abbreviation → expansion as the documents write it, for search: a query with "NOLAI" also looks for
    "Nationaal Onderwijslab" (curated expansions are not searched: the documents do not use those words)."""
    return {e.term: e.expansion for e in entries
            if e.kind == "abbreviation" and e.expansion and e.defined_at and not e.conflict}


# ------------------------------------------------------------------------------------------------ timeline

_MONTH = "|".join(MONTHS)
TIME_EXPRESSION = re.compile(  # a date, month, period, year with a preposition, or a relative time
    rf"(?P<date>\b(?P<d>\d{{1,2}}) (?P<m>{_MONTH})(?: (?P<y>\d{{4}}))?(?P<jl> jongstleden| jl\.)?)"
    rf"|(?P<month>\b(?P<m2>{_MONTH}) (?P<y2>\d{{4}}))"
    rf"|(?P<period>\b(?P<p1>(?:19|20)\d{{2}})\s?[–-]\s?(?P<p2>(?:19|20)\d{{2}})\b)"
    r"|(?P<relative>\b(?:(?:het )?(?:eind|einde|begin|midden) (?:van )?(?:dit|volgend|komend) jaar|"
    r"(?:dit|volgend|komend|vorig) (?:jaar|najaar|voorjaar)|(?:deze|komende|afgelopen) zomer|"
    r"voor de zomer(?:van dit jaar)?)\b)"
    r"|(?P<year>\b(?P<prep>in|vóór|voor|na|sinds|vanaf|tot|uiterlijk|per|rond|eind|begin|jaar) (?P<y3>(?:19|20)\d{2})\b"
    r"(?![/–-]\d))",
    re.IGNORECASE,
)
_FUTURE = re.compile(r"\b(?:zal|zullen|wil|willen|ga|gaat|gaan|streef\w*|voornemens|verwacht\w*|doel\w*|plan|"
                     r"komt|komen|moet|moeten|werk\w* aan|naar verwachting)\b", re.IGNORECASE)


def _relative(phrase: str, today: datetime.date) -> tuple[str, str]:
    p, y = phrase.lower(), today.year
    year = y + 1 if re.search(r"volgend|komend", p) else y - 1 if "vorig" in p else y
    if re.search(r"\b(?:eind|einde)\b", p):
        return f"{year}-12", "month"
    if "begin" in p:
        return f"{year}-Q1", "quarter"
    if "midden" in p or "zomer" in p:
        return f"{year}-Q2" if "voor de zomer" in p else f"{year}-Q3", "quarter"
    if "najaar" in p:
        return f"{year}-H2", "half"
    if "voorjaar" in p:
        return f"{year}-H1", "half"
    return str(year), "year"


def _when(m: re.Match[str], today: datetime.date | None) -> tuple[str, str, bool] | None:
    """(when, precision, resolved) of a time expression, or None when it needs a date the document lacks."""
    if m.group("date"):
        month, day = MONTHS.index(m.group("m").lower()) + 1, int(m.group("d"))
        if m.group("y"):
            year, resolved = int(m.group("y")), False
        elif today is not None:  # a day without a year is in the document's year, or the year before if past
            year = today.year if (month, day) <= (today.month, today.day) or not m.group("jl") else today.year - 1
            resolved = True
        else:
            return None
        try:
            return datetime.date(year, month, day).isoformat(), "day", resolved
        except ValueError:
            return None
    if m.group("month"):
        return f"{m.group('y2')}-{MONTHS.index(m.group('m2').lower()) + 1:02d}", "month", False
    if m.group("period"):
        return f"{m.group('p1')}/{m.group('p2')}", "period", False
    if m.group("relative"):
        if today is None:
            return None
        when, precision = _relative(m.group("relative"), today)
        return when, precision, True
    return m.group("y3"), "year", False


def _status(when: str, sentence: str, today: datetime.date | None) -> str:
    moment = when.split("/")[-1][:10]
    later = today is not None and moment > today.isoformat()[: len(moment)]
    if later and re.search(r"\b(?:doel\w*|\w*neutraal|streven|streeft)\b", sentence, re.I):
        return "target"
    if later or _FUTURE.search(sentence):
        return "planned"
    return "past"


def _timeline(doc: Document) -> list[TimelineEvent]:
    today = None
    if doc.meta.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.meta.date):
        today = datetime.date.fromisoformat(doc.meta.date)
    events: list[TimelineEvent] = []
    for text, _, note in _pieces(doc):
        for a, b in sentence_spans(text):
            sentence = text[a:b]
            for m in TIME_EXPRESSION.finditer(sentence):
                if re.search(r"(?:Kamerstuk\w*|Staatscourant|Stcrt\.|nr\.)\s*\S*\s*$", sentence[: m.start()]):
                    continue  # a session year or number inside an identifier
                found = _when(m, today)
                if found is None:
                    continue
                when, precision, resolved = found
                if any(e.when == when and e.as_written == m.group().strip() and e.cited.quote == sentence
                       for e in events):
                    continue
                events.append(TimelineEvent(
                    when=when, precision=precision, as_written=m.group().strip(), resolved=resolved,
                    status=_status(when, sentence, today), cited=note or place(doc, a, b)))
    return events


# ------------------------------------------------------------------------------------------------ who is who

_ORG_NOUNS = ("ministerie", "raad", "autoriteit", "hogeschool", "universiteit", "netwerk", "coalitie", "alliantie",
              "commissie", "kamer", "parlement", "overleg", "unie", "vereniging", "directie", "dienst",
              "agentschap", "centrum", "centre", "instituut", "lab", "fonds", "platform", "rijksoverheid",
              "fabriek", "bureau", "college", "inspectie", "stichting", "planbureau", "provincie", "gemeente",
              "kabinet", "groeifonds", "overheid", "organisatie", "bank", "orgaan", "center", "gilde")
_NAME = r"[A-Z][\w’'-]*"
_JOIN = r"(?:\s+(?:van|voor|op|der|en|of)(?:\s+(?:de|het|der))?\s+|,\s+(?=[A-Z][\w’'-]*(?:,|\s+en\s))|\s+)"
_OFFICE = re.compile(
    rf"\b(?P<office>(?:[Mm]inister(?:-president)?|[Ss]taatssecretaris)\s+(?:van|voor)\s+{_NAME}"
    rf"(?:(?:,\s+(?=[A-Z][a-z][\w’'-]*(?:,|\s+en\s))|\s+en\s+|\s+){_NAME})*)")
_ORG_RUN = re.compile(rf"{_NAME}(?:{_JOIN}{_NAME})*")
# A group named after its kind: coalitie «AI in actie», platform PRIO.
_NAMED_GROUP = re.compile(r"\b(?P<name>(?:coalitie|platform|netwerk|alliantie) (?:[‘«“][^’»”]{3,80}[’»”]|[A-Z]{2,}\b))")
# Capitalised words that open a sentence or clause rather than a name.
_OPENERS = {"aan", "bij", "in", "op", "met", "zo", "ook", "daarnaast", "samen", "binnen", "vanuit", "voor", "door",
            "naast", "om", "mede", "dit", "deze", "het", "de", "een", "en", "van", "of", "der", "zie", "uw", "hun",
            "onder", "tot", "via", "namens", "waarbij", "waarin", "als", "dat", "die", "wanneer", "hierbij"}


def _org_name(text: str) -> str | None:
    """The organisation a run of capitalised words names, if any: an organisation noun among at least two
    words, or one compound word that ends in one ("Argumentenfabriek")."""
    words = re.findall(r"[\w’'-]+|,", text)
    while words and (words[0].lower() in _OPENERS or words[0] == ","):
        words = words[1:]
    while words and (words[-1].lower() in _ARTICLES | {"van", "voor", "en", "op", "of", "der"} or words[-1] == ","):
        words = words[:-1]
    if not words:
        return None
    bare = [re.sub(r"[’']s$", "", w.lower()) for w in words]
    nouns = [w for w in bare if w.endswith(_ORG_NOUNS)]
    compound = len(words) == 1 and nouns and len(words[0]) > 2 + min(
        (len(n) for n in _ORG_NOUNS if bare[0].endswith(n)), default=99)
    if nouns and (len(words) > 1 or compound) and not words[0].lower().endswith(("ministeries", "coalities")):
        return " ".join(words).replace(" ,", ",")
    return None


def _org_names(sentence: str, glossary: dict[str, str]) -> Iterable[tuple[str, int]]:
    for m in _ORG_RUN.finditer(sentence):
        run = m.group()
        # a list of names ("Unie van Waterschappen, IPO, VNG en de Rijksoverheid") is read name by name,
        # except a ministry whose name has commas ("Ministerie van Onderwijs, Cultuur en Wetenschap")
        pieces = [(0, run)] if run.lstrip().startswith(("Ministerie", "Minister")) else [
            (p.start(), p.group()) for p in re.finditer(r"[^,]+?(?=,|\s+en\s+(?:de\s+|het\s+)?[A-Z]|$)", run)]
        for offset, piece in pieces:
            name = _org_name(piece)
            if name:
                yield name, m.start() + offset + piece.find(name.split()[0])
    for abbr, expansion in glossary.items():
        if re.search(rf"(?<![\w-]){re.escape(abbr)}(?![\w])", sentence) and any(
                w.lower().endswith(_ORG_NOUNS) for w in expansion.split()):
            yield abbr, sentence.find(abbr)
    for m in _NAMED_GROUP.finditer(sentence):
        yield m.group("name"), m.start("name")


def _office_key(name: str, glossary: dict[str, str]) -> str:
    """One key for "Minister van EZK" and "minister van Economische Zaken en Klimaat"."""
    words = name.split()
    expanded = [re.sub(r"^Ministerie van ", "", glossary.get(w, w)) for w in words]
    return " ".join(expanded).lower()


def _actors(doc: Document, glossary: list[GlossaryEntry]) -> list[Actor]:
    names = {e.term: e.expansion for e in glossary if e.kind == "abbreviation" and e.expansion}
    alias_of = {abbr: exp for abbr, exp in names.items()}
    alias_of.update({exp: abbr for abbr, exp in names.items()})
    actors: dict[str, Actor] = {}
    for text, _, note in _pieces(doc):
        for a, b in sentence_spans(text):
            sentence = text[a:b]
            if sum(w.isupper() for w in sentence.split()) > len(sentence.split()) / 2:
                continue
            found = [(m.group("office"), m.start("office"), "office") for m in _OFFICE.finditer(sentence)]
            offices = [(pos, pos + len(n)) for n, pos, _ in found]
            found += [(n, pos, "organisation") for n, pos in _org_names(sentence, names)
                      if not any(a <= pos < b for a, b in offices)]
            for name, pos, kind in found:
                full = names.get(name, name)
                key = next((a.name for a in actors.values() if a.kind == kind
                            and _office_key(a.name, names) == _office_key(full, names)), full)
                actor = actors.get(key) or actors.get(alias_of.get(key, "")) or actors.setdefault(
                    key, Actor(name=key, kind=kind))
                if name != actor.name and name not in actor.aliases:
                    actor.aliases.append(name)
                cited = note or place(doc, a, b)
                if cited.page and cited.page not in actor.pages:
                    actor.pages.append(cited.page)
                subject = pos < 40 and len(sentence.split()) >= 8
                if (subject or not actor.roles) and len(actor.roles) < 3 and all(r.quote != cited.quote
                                                                                for r in actor.roles):
                    actor.roles.append(cited)
    for actor in actors.values():
        actor.pages.sort()
    return sorted(actors.values(), key=lambda x: (x.kind, x.name.lower()))


# ------------------------------------------------------------------------------------------------ assembly


def describe(doc: Document, vectors: dict[int, np.ndarray]) -> DocumentOverview:
    """Everything one document contributes to the overview; `vectors` (its sentence embeddings by start
    offset, made at ingest) choose the summaries."""
    glossary = _glossary(doc)
    return DocumentOverview(map=_map(doc, vectors), glossary=glossary, timeline=_timeline(doc),
                            actors=_actors(doc, glossary))


def _meaning(expansion: str) -> str:
    return " ".join(re.sub(r"\d{4}(?:\s?[–-]\s?\d{2,4})?|[–—-]", " ", expansion).lower().split())


def combine(parts: dict[str, DocumentOverview], metas: dict[str, DocumentMeta]) -> Overview:
    """The corpus overview from each document's part: a term defined in one document is not "undefined" in
    another, and one abbreviation defined two ways is shown both ways, marked as a conflict."""
    glossary: dict[tuple[str, str], GlossaryEntry] = {}
    for doc_id in sorted(parts):
        for e in parts[doc_id].glossary:
            key = (e.term, (e.expansion or "").lower() if e.defined_at or e.kind == "term" else "?")
            if key in glossary:
                glossary[key].defined_at += e.defined_at
                glossary[key].used_at += e.used_at[: max(0, 3 - len(glossary[key].used_at))]
            else:
                glossary[key] = e.model_copy(deep=True)
    defined = {term for term, exp in glossary if exp != "?"}
    merged = [e for (term, exp), e in glossary.items() if exp != "?" or term not in defined]
    meanings: dict[str, set[str]] = {}
    for e in merged:
        if e.kind == "abbreviation" and e.defined_at:
            meanings.setdefault(e.term, set()).add(_meaning(e.expansion or ""))
    for e in merged:  # "NLCS" with and without "2022–2028" is one meaning; BDI written out two ways is not
        e.conflict = len(meanings.get(e.term, ())) > 1 and bool(e.defined_at)
    actors: dict[str, Actor] = {}
    for doc_id in sorted(parts):
        for a in parts[doc_id].actors:
            if a.name in actors:
                actors[a.name].roles += a.roles[: max(0, 3 - len(actors[a.name].roles))]
                actors[a.name].aliases = sorted(set(actors[a.name].aliases) | set(a.aliases))
            else:
                actors[a.name] = a.model_copy(deep=True)
    order = sorted(parts, key=lambda d: (metas[d].date or "", d) if d in metas else ("", d))
    return Overview(
        documents=[parts[d].map for d in order],
        glossary=sorted(merged, key=lambda e: (e.term.lower(), e.expansion or "")),
        timeline=sorted((t for d in order for t in parts[d].timeline), key=lambda t: (t.when, t.cited.doc_id)),
        actors=sorted(actors.values(), key=lambda x: (x.kind, x.name.lower())),
    )
