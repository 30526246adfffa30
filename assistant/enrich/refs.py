"""The reference registry: every Kamerstuk, motion, Staatscourant issue, report, strategy, EU act and web
address the documents cite, with each place it is cited.

Extraction runs per document at ingest (stored next to the document in the index, so it is redone only when
the document changes); the registry merges those mentions at read time, so adding a document links the
references to it everywhere without re-reading anything else.

The citations are read by a small grammar (pyparsing; terminals are regular expressions)::

    kamerstuk     = ("Kamerstuk" | "Kamerstukken") ["I" | "II"] [session] [","] dossier [("," "nr." N | "-" N)]
                    (N a number or the letters of an Eerste Kamer paper; without one, the dossier, flagged
                    `partial`)
    session       = YYYY ("/" | "-" | "–") YY[YY]            (kept as written; an impossible year is flagged)
    dossier       = DD[ ]DDD [roman numeral]                  ("26 643", "26643", "36 200 VII")
    staatscourant = ("Staatscourant" | "Stcrt.") (YYYY "," ["nr."] N | ["nr."] N ["van" date])
    staatsblad    = "Stb." YYYY "," N
    wrr           = ("WRR-rapport" | "WRR rapport" | "Rapport") ["nr."] N "van de Wetenschappelijke Raad ..."
    eu_act        = ("Verordening" | "Richtlijn") "(EU)" YYYY "/" N
    motion        = ["Gewijzigde" | ...] "motie van" ("het lid" | "de leden") names ["c.s."]
    url           = ("http://" | "https://" | "www.") non-space characters
    date          = D month YYYY                              (Dutch month names)
    title         = quoted text: ‘…’, “…”, «…» or "…"
    named         = capitalised words with a document noun (…strategie, …agenda, visie, actieplan, …, Act)
                    ["(" ABBREVIATION ")"]
    cued title    = document noun (up to three words before) title, e.g. implementatiekader ‘…’

A title just before an identifier names it ("over ‘Werkagenda …’ (Kamerstukken …, nr. 940)"); a motion phrase
just before one makes it a motion. A named document in the running text followed by a footnote marker takes
the identity of what that footnote cites, and every other mention of the same name (compared without
years, abbreviations and small words) is the same reference, in any document.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.text.sentences import sentence_spans
from assistant.types import Document, DocumentMeta

# Stored extractions carry this; a change to the grammar bumps it, so the next ingest extracts again.
REFS_VERSION = 2
KINDS = ("kamerstuk", "motie", "staatscourant", "staatsblad", "rapport", "beleidsstuk", "eu", "publicatie", "url")
PUBLICATIONS = "https://zoek.officielebekendmakingen.nl"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
# Head nouns of named documents, matched as the end of a word ("Cybersecuritystrategie", "Werkagenda").
_DOC_NOUNS = ("strategie", "strategy", "agenda", "visie", "actieplan", "kader", "akkoord", "convenant", "pact",
              "rapport", "rapportage", "advies", "nota", "verordening", "richtlijn", "act", "beleidsprogramma",
              "publicatie", "artikel", "bijlage", "onderzoek", "brief", "notitie", "plan")
_SMALL = {"voor", "de", "het", "van", "op", "en", "der", "den", "in", "met", "over", "een", "te", "tot", "the",
          "of", "on", "and", "for"}
_LEADING = {"de", "het", "een", "in", "op", "met", "van", "voor", "zie", "the", "a", "an", "deze", "die", "dit",
            "mijn", "onze", "hun", "zijn", "haar", "uw", "als", "ook", "en", "bij"}
# Ids read from an identifier (or the curated EU list); other ids are made from a name and merge into these.
_STRONG = re.compile(r"(?:kst|stcrt|stb|wrr|url|eu-(?:reg|dir|dec|com))-")
_QUOTE_PAIRS = {"‘": "’", "“": "”", "«": "»", '"': '"', "„": "”"}


class Place(BaseModel):
    """Where a reference is cited: a footnote's text or a sentence of the running text."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    page: int | None = None
    section: str = Field("", description="Section path of the citing text (of the footnote's marker).")
    footnote: int | None = Field(None, description="Footnote number when the citation is in a footnote's text.")
    sentence: str = Field(description="The citing sentence (or footnote text), verbatim.")
    as_written: str = Field(description="The citation exactly as the document writes it.")
    start: int | None = Field(None, description="Offset of the citing sentence in the document's clean text.")
    end: int | None = None


class Mention(BaseModel):
    """One citation found in one document, before merging."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: str
    title: str | None = None
    date: str | None = None
    identifier: str | None = None
    url: str | None = None
    names: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    place: Place


class Reference(BaseModel):
    """A cited document, once, however many spellings and places it has."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Canonical id, e.g. kst-26643-940, stcrt-2022-35231, wrr-105.")
    kind: str
    title: str | None = Field(None, description="Title as cited.")
    date: str | None = Field(None, description="ISO date of the cited document where the text gives it.")
    identifier: str | None = Field(None, description="Official identifier in a standard spelling.")
    url: str | None = Field(None, description="Where the official publication is.")
    names: list[str] = Field(default_factory=list, description="Every spelling the documents use.")
    flags: list[str] = Field(default_factory=list, description="Problems in how it is cited, e.g. `year`.")
    in_corpus: str | None = Field(None, description="Id of the corpus document that is this reference.")
    places: list[Place] = Field(default_factory=list)

    @property
    def missing_hint(self) -> str:
        """The command that adds a cited document that is not in the corpus."""
        if self.in_corpus:
            return ""
        if re.match(r"(?:kst|stcrt|stb)-", self.id) and "partial" not in self.flags:
            return f"assistant corpus add {self.id}"
        title = (self.title or (self.names[0] if self.names else self.id)).replace('"', "'")
        return f'assistant corpus add FILE --id {self.id} --title "{title}"' + (
            f" --date {self.date}" if self.date else "")


# ---------------------------------------------------------------------------------------------- grammar


@cache
def _grammar() -> dict[str, Any]:
    """The citation grammar, built once (pyparsing is imported only when references are read)."""
    import pyparsing as pp

    pp.ParserElement.set_default_whitespace_chars(" \t\n\u00a0")

    def rx(pattern: str, name: str | None = None) -> pp.ParserElement:
        element = pp.Regex(pattern)
        return element(name) if name else element

    number = rx(r"\d+")
    date = rx(r"(?P<day>\d{1,2})\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4})")("date")
    session = rx(r"(?P<y1>\d{4})\s?[/–-]\s?(?P<y2>\d{2,4})\b", "session")
    dossier = rx(r"\d{2}\s?\d{3}(?:[\s-](?:[IVXLC]+|[A-Z])\b)?(?!\d)", "dossier")
    nr = pp.Suppress(rx(r"[Nn]r\.?|[Nn]o\.")) + rx(r"\d+|[A-Z]{1,2}\b", "nr")
    kamerstuk = pp.Group(
        rx(r"Kamerstuk(?:ken)?\b")
        + pp.Opt(rx(r"II?\b", "chamber"))
        + pp.Opt(session + pp.Opt(pp.Suppress(",")))
        + dossier
        + pp.Opt((pp.Opt(pp.Suppress(",")) + nr) | (pp.Suppress(rx(r"-\s?(?=\d)")) + number("nr")))
    )("kamerstuk")
    staatscourant = pp.Group(
        pp.Suppress(rx(r"Staatscourant\b|Stcrt\.")) + (
            (rx(r"\d{4}(?=\s*,)", "year") + pp.Suppress(",") + pp.Opt(pp.Suppress(rx(r"nr\.?"))) + number("nr"))
            | (pp.Opt(pp.Suppress(rx(r"nr\.?"))) + number("nr") + pp.Opt(pp.Suppress("van") + date)))
    )("staatscourant")
    staatsblad = pp.Group(pp.Suppress(rx(r"Stb\.|Staatsblad\b")) + rx(r"\d{4}", "year") + pp.Suppress(",")
                          + pp.Opt(pp.Suppress(rx(r"nr\.?"))) + number("nr"))("staatsblad")
    wrr = pp.Group(
        (pp.Suppress(rx(r"WRR[- ]?rapport\b", None)) + pp.Opt(pp.Suppress(rx(r"nr\.?"))) + number("nr"))
        | (pp.Suppress(rx(r"[Rr]apport\b")) + pp.Opt(pp.Suppress(rx(r"nr\.?"))) + number("nr")
           + pp.Suppress(rx(r"van de (?:Wetenschappelijke Raad voor het Regeringsbeleid|WRR)\b")))
    )("wrr")
    eu_act = pp.Group(rx(r"(?P<type>Verordening|Richtlijn|Regulation|Directive)\s*\((?:EU|EG|EEG)\)\s*(?:nr\.\s*)?"
                         r"(?P<year>\d{4})/(?P<nr>\d+)"))("eu")
    url = rx(r"(?:https?://|www\.)[^\s<>()\[\]«»“”‘’\"]+[^\s<>()\[\]«»“”‘’\".,;:!?]", "url")
    identifier = kamerstuk | staatscourant | staatsblad | wrr | eu_act | url
    return {"identifier": identifier, "date": date}


@dataclass
class _Found:
    """A citation in a piece of text, with its position there."""

    id: str
    kind: str
    start: int
    end: int
    identifier: str | None = None
    url: str | None = None
    title: str | None = None
    date: str | None = None
    names: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def _iso(match: re.Match[str] | None) -> str | None:
    if not match:
        return None
    day, month, year = match.group("day", "month", "year")
    return f"{year}-{MONTHS.index(month) + 1:02d}-{int(day):02d}"


_DATE = re.compile(r"(?P<day>\d{1,2})\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4})")


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def url_id(url: str) -> str:
    bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).rstrip("/")
    return "url-" + slug(bare)


def _session_flags(y1: str, y2: str) -> list[str]:
    """A parliamentary session runs over two consecutive years: 2022/23 or 2022-2023."""
    first = int(y1)
    second = int(y2) if len(y2) == 4 else (first // 100) * 100 + int(y2)
    return [] if second == first + 1 else ["year"]


def _from_identifier(tokens: Any, start: int, end: int) -> _Found:
    """Canonical id, kind, standard identifier and official address of one parsed identifier."""
    name = tokens.get_name()
    t = tokens[0] if name != "url" else tokens
    if name == "kamerstuk":
        dossier = re.sub(r"\s+", " ", t["dossier"]).strip()
        digits = re.sub(r"\D", "", dossier[:6])
        rest = re.sub(r"^\d{2}\s?\d{3}[\s-]?", "", dossier)
        suffix = rest.strip()
        flags = []
        if "session" in t:
            m = re.match(r"(\d{4})\s?[/–-]\s?(\d{2,4})", t["session"])
            flags = _session_flags(m.group(1), m.group(2)) if m else ["year"]
        dossier_id = f"kst-{digits}{('-' + slug(suffix)) if suffix else ''}"
        ident = f"Kamerstuk {digits[:2]} {digits[2:]}{(' ' + suffix) if suffix else ''}"
        if "nr" not in t:  # a dossier without a document number: kept, flagged, linked to the dossier
            return _Found(dossier_id, "kamerstuk", start, end, ident, f"{PUBLICATIONS}/dossier/{digits}",
                          flags=[*flags, "partial"])
        kst = f"{dossier_id}-{t['nr'].lower()}"
        return _Found(kst, "kamerstuk", start, end, f"{ident}, nr. {t['nr']}", _official_url(kst), flags=flags)
    if name == "staatscourant":
        year = t.get("year") or (t["date"][-4:] if "date" in t else None)
        found = _Found(f"stcrt-{year or 'onbekend'}-{t['nr']}", "staatscourant", start, end,
                       f"Staatscourant {year or '(jaar onbekend)'}, nr. {t['nr']}",
                       f"{PUBLICATIONS}/stcrt-{year}-{t['nr']}.html" if year else None,
                       flags=[] if year else ["no year"])
        found.date = _iso(_DATE.search(t["date"])) if "date" in t else None
        return found
    if name == "staatsblad":
        sid = f"stb-{t['year']}-{t['nr']}"
        return _Found(sid, "staatsblad", start, end, f"Staatsblad {t['year']}, nr. {t['nr']}",
                      f"{PUBLICATIONS}/{sid}.html")
    if name == "wrr":
        return _Found(f"wrr-{t['nr']}", "rapport", start, end, f"WRR-rapport nr. {t['nr']}")
    if name == "eu":
        m = re.match(r"(?P<type>\w+)\s*\(\w+\)\s*(?:nr\.\s*)?(?P<year>\d{4})/(?P<nr>\d+)", t[0])
        kind = "reg" if m.group("type") in {"Verordening", "Regulation"} else "dir"
        return _Found(f"eu-{kind}-{m.group('year')}-{m.group('nr')}", "eu", start, end, t[0],
                      f"https://eur-lex.europa.eu/eli/{kind}/{m.group('year')}/{m.group('nr')}/oj")
    address = str(t[0])
    return _Found(url_id(address), "url", start, end, address,
                  address if address.startswith("http") else f"https://{address}")


def _identifiers(text: str) -> list[_Found]:
    return [_from_identifier(tokens, start, end) for tokens, start, end in _grammar()["identifier"].scan_string(text)]


# ---------------------------------------------------------------------------------------- titles and names

_MOTION = re.compile(
    r"(?:(?:[Gg]ewijzigde|[Aa]angehouden|[Nn]adere)\s+)?[Mm]otie\s+van\s+(?:het\s+lid|de\s+leden)\s+"
    r"(?P<names>(?:(?:van\s+der|van\s+den|van\s+de|van|de|den|der|ter|ten)\s+)?[A-Z][\w’'-]+"
    r"(?:(?:\s*,\s*|\s+en\s+)(?:(?:van\s+der|van\s+den|van\s+de|van|de|den|der|ter|ten)\s+)?[A-Z][\w’'-]+)*)"
    r"(?P<cs>\s+c\.s\.)?"
)
_ABBR = re.compile(r"\s*\((?P<abbr>[A-Z][A-Za-z0-9-]{1,10})\)")
_TRIGGER = re.compile(r"Kamerstuk|Staatscourant|Stcrt|Stb\.|Staatsblad|[Rr]apport|Verordening|Richtlijn|Regulation"
                      r"|Directive|https?://|www\.")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", " " * 10)
_TOKEN = re.compile(r"[^\W\d_][\w’'-]*|\d{4}(?:\s?[–-]\s?\d{4})?")
_CONNECTORS = {"van", "voor", "op", "der", "den", "en"}


def _quoted_at(text: str, pos: int) -> tuple[str, int] | None:
    """The quoted text whose opening mark is at `pos` (nested quotes of another kind allowed), and its end."""
    close = _QUOTE_PAIRS.get(text[pos : pos + 1])
    if close is None:
        return None
    for m in re.finditer(re.escape(close), text[pos + 1 :]):
        at = pos + 1 + m.start()
        if close == "’" and text[at - 1 : at].isalpha() and text[at + 1 : at + 2].isalpha():
            continue  # an apostrophe: scenario’s
        return text[pos + 1 : at].strip(), at + 1
    return None


def _title_before(text: str, pos: int) -> tuple[str, int] | None:
    """A quoted title ending just before `pos` (only spaces between), and where its opening mark is."""
    head = text[:pos].rstrip()
    openers = [o for o, c in _QUOTE_PAIRS.items() if head.endswith(c)]
    for at in sorted((i for i, ch in enumerate(head) if ch in openers), reverse=True):
        quoted = _quoted_at(head, at)
        if quoted and quoted[1] == len(head):
            return quoted[0], at
    return None


def _is_doc_noun(word: str) -> bool:
    """A document's head noun, also at the end of a compound ("Cybersecuritystrategie"); not all capitals
    (a letter's printed heading), and "Act" only as the English word."""
    w = word.strip("’'")
    if len(w) > 3 and w.isupper():
        return False
    return w in {"Act", "Acts"} or any(w.lower().endswith(n) for n in _DOC_NOUNS if n != "act")


def name_key(name: str) -> str:
    """A name without years, abbreviations in brackets, quotes, small words and case: how two spellings of
    one document's name are compared."""
    text = unicodedata.normalize("NFKC", name).translate(_SUPERSCRIPTS)
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"\b\d{4}(?:\s?[–-]\s?\d{2,4})?\b", " ", text)
    return " ".join(w for w in re.findall(r"\w+", text.lower()) if w not in _SMALL)


def _capitalised_runs(text: str) -> Iterable[tuple[int, int, str, bool]]:
    """Runs of capitalised words, joined by small words only where a capitalised word follows ("Strategie
    voor de Digitale Economie"), or by a preposition and one more word after a document noun ("Nationale
    Visie op het gezondheidsinformatiestelsel"); with an abbreviation in brackets. Yields (start, end, text,
    whether a document noun heads it)."""
    tokens = list(_TOKEN.finditer(text))
    words = [t.group() for t in tokens]

    def glued(j: int) -> bool:
        return not text[tokens[j - 1].end() : tokens[j].start()].strip()

    def capital(j: int) -> bool:
        return words[j][0].isupper() or words[j][0].isdigit()

    i = 0
    while i < len(tokens):
        if not words[i][0].isupper():
            i += 1
            continue
        j, end = i + 1, i
        while j < len(tokens) and glued(j):
            if capital(j):
                end, j = j, j + 1
                continue
            k = j
            while k < len(tokens) and glued(k) and words[k] in _CONNECTORS | {"de", "het"} and k - j < 2:
                k += 1
            joins = k > j and words[j] in _CONNECTORS and k < len(tokens) and glued(k)
            if joins and capital(k):
                end, j = k, k + 1
            elif joins and words[j] in {"op", "voor", "van"} and any(_is_doc_noun(w) for w in words[i : end + 1]) \
                    and len(words[k]) >= 4 and words[k].isalpha():
                end = k
                break
            else:
                break
        first = i
        while first <= end and words[first].lower() in _LEADING:
            first += 1
        if first <= end:
            start, stop = tokens[first].start(), tokens[end].end()
            abbr = _ABBR.match(text, stop)
            has_noun = any(_is_doc_noun(w) for w in words[first : end + 1])
            named = has_noun and end > first
            yield start, abbr.end() if abbr else stop, text[start : abbr.end() if abbr else stop], named
        i = end + 1


def _cued_titles(text: str, first_word_cue: bool = False) -> Iterable[tuple[int, int, str, str]]:
    """Quoted titles with a document noun among the four words before (implementatiekader ‘…’, inkoopstrategie
    van het Rijk «…», EU «…»), or in a footnote with a document noun as its first word (Onderzoek door …)."""
    opening = re.match(r"\s*(?:Zie\s+)?(?:[Hh]et\s+|[Dd]e\s+|[Ee]en\s+)?(?P<w>[\w-]+)", text)
    for m in re.finditer(r"[‘“«\"]", text):
        quoted = _quoted_at(text, m.start())
        if quoted is None or len(quoted[0]) > 160 or not quoted[0]:
            continue
        before = re.findall(r"[\w’'-]+", text[max(0, m.start() - 80) : m.start()])[-4:]
        cue = next((w for w in reversed(before) if _is_doc_noun(w) or w == "EU"), None)
        if cue is None and first_word_cue and opening and _is_doc_noun(opening.group("w")):
            cue = opening.group("w")
        if cue:
            yield m.start(), quoted[1], quoted[0], cue


def _kind_of(cue: str) -> str:
    c = cue.lower()
    if cue in {"EU", "Act", "Acts"} or c.endswith(("verordening", "richtlijn")):
        return "eu"
    if c.endswith(("rapport", "rapportage", "advies", "onderzoek")):
        return "rapport"
    if c.endswith(("artikel", "publicatie", "bijlage")):
        return "publicatie"
    if c.endswith("brief"):
        return "kamerstuk"
    return "beleidsstuk"


def _compatible(name: str, target: _Found) -> bool:
    """Whether a name in the running text can be what a footnote cites: they share a longer word."""
    other = " ".join(filter(None, [target.title, target.identifier, *target.names])).lower()
    return any(len(w) >= 4 and w in other for w in re.findall(r"\w+", name.lower()) if w not in _SMALL)


@cache
def _eu_names() -> dict[str, dict[str, str]]:
    """The curated list of EU acts and policy documents by the names documents use (data, not from the
    documents: it gives their official identifier and address)."""
    import tomllib
    from importlib.resources import files

    data = tomllib.loads(files("assistant").joinpath("eu_acts.toml").read_text(encoding="utf-8"))
    return {name_key(n): act for act in data["act"] for n in act["names"]}


@cache
def _eu_pattern() -> re.Pattern[str]:
    """The curated names as they may stand in running text ("de AVG", "de Algemene verordening
    gegevensbescherming", "NIS 2"), first letter in either case."""
    import tomllib
    from importlib.resources import files

    data = tomllib.loads(files("assistant").joinpath("eu_acts.toml").read_text(encoding="utf-8"))
    names = sorted({n for act in data["act"] for n in act["names"]}, key=len, reverse=True)
    alternatives = [f"[{n[0].upper()}{n[0].lower()}]{re.escape(n[1:])}" for n in names]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


# ----------------------------------------------------------------------------------------------- extraction


def _date_in(text: str) -> str | None:
    dates = list(_DATE.finditer(text))
    return _iso(dates[-1]) if dates else None


def _describe(text: str, found: list[_Found]) -> list[tuple[int, int]]:
    """Give each identifier the title, date, motion and name the words around it give; returns the spans the
    citations cover (title included), so nothing in them is read twice."""
    spans = []
    for f in found:
        lead_end = f.start
        paren = re.search(r"\(\s*(?:bijlage\s+bij\s+)?$", text[: f.start])
        if paren:
            lead_end = paren.start()
        title = _title_before(text, lead_end)
        if title:
            f.title, lead_end = title
        else:
            after = re.match(r"\s*,?\s*(?:van\s+(?P<date>" + _DATE.pattern + r")\s*)?(?:over\s+)?(?=[‘“«\"])",
                             text[f.end :])
            quoted = _quoted_at(text, f.end + after.end()) if after else None
            if quoted:
                f.title = quoted[0]
                spans.append((f.end, quoted[1]))
        clause = text[: lead_end]
        cut = max(clause.rfind(c) for c in "‘“«()")
        clause_start = cut + 1
        motion = None
        for m in _MOTION.finditer(text, 0, lead_end):
            if re.fullmatch(r"\s*(?:van\s+" + _DATE.pattern + r"\s*)?(?:over\s*)?", text[m.end() : lead_end]):
                motion = m
        if motion and f.kind == "kamerstuk":
            f.kind = "motie"
            f.names.append(" ".join(text[motion.start() : motion.end()].split()))
            f.title = f.title or f.names[-1]
            clause_start = motion.start()
        f.date = f.date or _date_in(text[clause_start:lead_end]) or (
            _date_in(text[f.end : spans[-1][1]]) if spans and spans[-1][0] == f.end else None)
        noun = re.search(r"(?P<w>[\w’'-]+)\s*$", text[:lead_end])
        if noun and _is_doc_noun(noun.group("w")) and not title:
            f.names.append(noun.group("w"))
            f.title = f.title or noun.group("w")
        if f.title:
            f.names.insert(0, f.title)
        spans.append((lead_end, f.end))
    return spans


def _in_footnote(text: str) -> list[_Found]:
    """Everything a footnote's text cites, with titles, dates and kinds taken from the words around."""
    found = _identifiers(text) if _TRIGGER.search(text) else []
    taken = _describe(text, found)
    for start, end, title, cue in _cued_titles(text, first_word_cue=True):
        if not any(a <= start < b for a, b in taken):
            kind = _kind_of(cue)
            found.append(_Found(f"{kind}-{slug(title)[:60]}", kind, start, end, title=title, names=[title],
                                date=_date_in(text)))
            taken.append((start, end))
    if not found:
        # "Zie bijlage Toekomstbeelden …", "De Staat van de Uitvoering is een periodieke publicatie …"
        named = re.match(r"(?:Zie\s+)?(?P<cue>bijlage|rapport|publicatie)\s+(?P<name>[A-Z][^.;(]+)", text) or \
            re.match(r"(?:De|Het)\s+(?P<name>[A-Z][\w’'-]*(?:\s+(?:[a-z]{1,3}\s+)*[A-Z][\w’'-]*)*)\s+is\s+een\s+"
                     r"(?:\w+\s+){0,2}?(?P<cue>publicatie|rapport|strategie|agenda|visie|nota)\b", text)
        if named:
            name = named.group("name").strip()
            kind = _kind_of(named.group("cue"))
            found.append(_Found(f"{kind}-{slug(name)[:60]}", kind, named.start("name"), named.end("name"),
                                title=name, names=[name]))
    return found


def extract(doc: Document) -> list[Mention]:
    """Every citation in `doc`: its footnotes' texts and its running text."""
    mentions: list[Mention] = []
    own = _own_ids(doc.meta)
    own_title = name_key(doc.meta.title)
    by_footnote: dict[int, list[_Found]] = {}
    for number, note in sorted(doc.footnotes.items()):
        marker = next((off for off, n in doc.markers if n == number), None)
        found = [f for f in _in_footnote(note.text) if f.id not in own]
        by_footnote[number] = found
        for f in found:
            mentions.append(_mention(f, Place(
                doc_id=doc.meta.doc_id, page=note.page, footnote=number, sentence=note.text,
                section=" › ".join(doc.section_at(marker)) if marker is not None else "",
                as_written=note.text[f.start : f.end])))
    aliases = {name_key(n): f for found in by_footnote.values() for f in found for n in f.names if n}
    text = doc.text.translate(_SUPERSCRIPTS)
    for start, end in _body_sentences(doc):
        sentence = text[start:end]
        found = _identifiers(sentence) if _TRIGGER.search(sentence) else []
        taken = _describe(sentence, found)
        candidates = [(a, b, name, named) for a, b, name, named in _capitalised_runs(sentence)]
        candidates += [(a, b, title, True) for a, b, title, _ in _cued_titles(sentence)]
        candidates += _marked_phrases(sentence, start, doc.markers)
        candidates += [(m.start(), m.end(), m.group(), True) for m in _eu_pattern().finditer(sentence)]
        for a, b, name, named in sorted(candidates, key=lambda c: (c[0], c[0] - c[1])):
            if any(x <= a < y or a <= x < b for x, y in taken):
                continue
            key = name_key(name)
            if not key or key == own_title or (key in own_title and len(key) > 12):
                continue  # the document naming itself
            f = _resolve(name, key, named, doc, start + b, by_footnote, aliases)
            if f is None and named:
                kind = _kind_of(_head_noun(name))
                f = _Found(f"{kind}-{slug(_ABBR.sub('', name))[:60]}", kind, 0, 0, title=name)
            if f is None:
                continue
            f.start, f.end, f.names = a, b, [name, *f.names]
            found.append(f)
            taken.append((a, b))
        for f in found:
            if f.id in own:
                continue
            pages = doc.pages_between(start + f.start, start + f.end)
            mentions.append(_mention(f, Place(
                doc_id=doc.meta.doc_id, page=pages[0] if pages else None, section=" › ".join(doc.section_at(start)),
                sentence=doc.text[start:end], as_written=doc.text[start + f.start : start + f.end], start=start,
                end=end)))
    return mentions


def _resolve(name: str, key: str, named: bool, doc: Document, end: int, by_footnote: dict[int, list[_Found]],
             aliases: dict[str, _Found]) -> _Found | None:
    """What a name in the running text refers to: what the footnote right after it cites (when they share a
    word, or the name is a document's and the footnote cites one untitled thing), else a name a footnote gave,
    else a curated EU act."""
    for offset, number in doc.markers:
        if end <= offset <= end + 2 and not doc.text[end:offset].strip(" .,"):
            cited = by_footnote.get(number, [])
            if cited and (_compatible(name, cited[-1]) or (named and len(cited) == 1 and not cited[0].title)):
                target = cited[-1]
                aliases.setdefault(key, target)
                return _Found(target.id, target.kind, 0, 0, target.identifier, target.url, target.title, target.date)
    if key in aliases:
        t = aliases[key]
        return _Found(t.id, t.kind, 0, 0, t.identifier, t.url, t.title, t.date)
    act = _eu_names().get(key)
    if act:  # the curated list gives identifier and address; the title stays as the document writes it
        return _Found(act["id"], "eu", 0, 0, act.get("identifier"), act.get("url"), name, names=[act["title"]])
    return None


def _head_noun(name: str) -> str:
    return next((w for w in reversed(name.split()) if _is_doc_noun(w)), name.split()[-1])


def _marked_phrases(sentence: str, offset: int, markers: list[tuple[int, int]]) -> list[tuple[int, int, str, bool]]:
    """The words a footnote marker is attached to, from the nearest document noun or quoted title before it
    (at most eight words back): "de brief over de hoofdlijnen van het digitaliseringsbeleid²". They count
    only when the footnote cites something with a word in common."""
    phrases = []
    for pos in (p - offset for p, _ in markers if offset < p <= offset + len(sentence)):
        head = sentence[:pos].rstrip(" .,")
        title = _title_before(head, len(head))
        if title:
            phrases.append((title[1], len(head), title[0], False))
            continue
        words = list(re.finditer(r"[\w’'-]+", head))[-8:]
        noun = next((w for w in reversed(words) if _is_doc_noun(w.group())), None)
        if noun:
            phrases.append((noun.start(), len(head), head[noun.start() :], False))
    return phrases


def _body_sentences(doc: Document) -> list[tuple[int, int]]:
    heads = {(s.start, s.start + len(s.path[-1])) for s in doc.sections if s.path}
    return [s for s in sentence_spans(doc.text) if s not in heads]


def _own_ids(meta: DocumentMeta) -> set[str]:
    """The ids under which a document would be cited: its own id and its official identifier."""
    ids = {meta.doc_id}
    if meta.identifier:
        ids |= {f.id for f in _identifiers(meta.identifier)}
    return ids


def _mention(f: _Found, place: Place) -> Mention:
    names = list(dict.fromkeys(n for n in f.names if n))
    return Mention(id=f.id, kind=f.kind, title=f.title, date=f.date, identifier=f.identifier, url=f.url,
                   names=names, flags=f.flags, place=place)


# ------------------------------------------------------------------------------------------------ registry


def build_registry(mentions: dict[str, list[Mention]], documents: dict[str, DocumentMeta]) -> list[Reference]:
    """Merge every document's mentions into one entry per reference and link the ones in the corpus.

    Args:
        mentions: per citing document id, what `extract` found in it.
        documents: the corpus documents' metadata, to link references that are themselves in the corpus.

    Returns:
        The references, Kamerstukken first.
    """
    every = [m for found in mentions.values() for m in found]
    alias: dict[str, str] = {}
    for m in every:
        if _STRONG.match(m.id):
            for name in [m.title, *m.names]:
                if name:
                    alias.setdefault(name_key(name), m.id)
    refs: dict[str, Reference] = {}
    for m in every:
        rid = m.id if _STRONG.match(m.id) else next(
            (alias[name_key(n)] for n in [m.title, *m.names] if n and name_key(n) in alias), m.id)
        ref = refs.get(rid)
        if ref is None:
            ref = refs[rid] = Reference(id=rid, kind=m.kind, url=_official_url(rid))
        if m.kind == "motie":
            ref.kind = "motie"
        if m.title and (not ref.title or (m.place.footnote is not None and m.id == rid)):
            ref.title = m.title  # a footnote gives the title as published
        ref.date = ref.date or m.date
        ref.identifier = ref.identifier or m.identifier
        ref.url = ref.url or m.url
        ref.names = list(dict.fromkeys([*ref.names, *(n for n in [*m.names, m.title] if n)]))
        ref.flags = sorted(set(ref.flags) | set(m.flags))
        ref.places.append(m.place)
    corpus: dict[str, str] = {}
    for doc_id, meta in documents.items():
        corpus.update({rid: doc_id for rid in _own_ids(meta)})
        corpus.setdefault("title:" + name_key(meta.title), doc_id)
    for ref in refs.values():
        ref.title = ref.title or next((n for n in ref.names if not re.match(r"https?://|www\.", n)), None)
        ref.in_corpus = corpus.get(ref.id) or next(
            (corpus["title:" + name_key(n)] for n in ref.names if "title:" + name_key(n) in corpus), None)
        ref.places.sort(key=lambda p: (p.doc_id, p.page or 0, p.footnote or 0, p.start or 0))
    return sorted(refs.values(), key=_order)


def official_name(rid: str) -> str:
    """The publication's name on officielebekendmakingen.nl: letters in a Kamerstuk id are capitals there
    (kst-36200-VII-12, kst-36200-VII-A)."""
    series, *parts = rid.split("-")
    return "-".join([series, *(p.upper() if series == "kst" and p.isalpha() else p for p in parts)])


def _official_url(rid: str) -> str | None:
    if re.fullmatch(r"(kst|stcrt|stb)-[\w-]+", rid) and "onbekend" not in rid:
        return f"{PUBLICATIONS}/{official_name(rid)}.html"
    return None


def _order(ref: Reference) -> tuple:
    numbers = [int(n) for n in re.findall(r"\d+", ref.id)]
    return (KINDS.index(ref.kind) if ref.kind in KINDS else len(KINDS), ref.id.split("-")[0], numbers, ref.id)


def parse_id(text: str) -> str | None:
    """The canonical id of an identifier a user typed ("26 643, nr. 940", "Kamerstuk 26643-940", an id)."""
    text = text.strip()
    if re.fullmatch(r"(?:kst|stcrt|stb|wrr|url|eu|motie|rapport|beleidsstuk|publicatie|kamerstuk)-[a-z0-9-]+", text):
        return text
    found = _identifiers(text if text.lower().startswith("kamerstuk") else f"Kamerstuk {text}")
    return found[0].id if found else None


def score(found: list[Reference], oracle: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision and recall of extracted references against a hand-made list (see `evals/refs/README.md`).

    A unit is a (reference, page, footnote) triple; an extracted reference is an oracle entry when the ids are
    equal or one of their names is the same after `name_key`.
    """
    def keys(names: Iterable[str | None]) -> set[str]:
        return {name_key(n) for n in names if n and name_key(n)}

    matched: dict[str, str] = {}
    for ref in found:
        ref_keys = keys([ref.title, *ref.names])
        for entry in oracle:
            if entry["id"] == ref.id or ref_keys & keys([entry.get("title"), *entry.get("names", [])]):
                matched[ref.id] = entry["id"]
                break
    gold = {(e["id"], p["page"], p.get("footnote")) for e in oracle for p in e["cited_at"]}
    got = {(matched.get(r.id, r.id), p.page, p.footnote) for r in found for p in r.places}
    hits = gold & got
    return {
        "precision": round(len(hits) / max(len(got), 1), 3),
        "recall": round(len(hits) / max(len(gold), 1), 3),
        "units": len(gold),
        "extracted": len(got),
        "missed": sorted(gold - got, key=str),
        "extra": sorted(got - gold, key=str),
    }


def find(references: list[Reference], query: str) -> Reference | None:
    """The reference a user means: by id, by an identifier as typed, or by a name or title as cited."""
    wanted = {query.strip(), parse_id(query) or ""}
    key = name_key(query)

    def keys(ref: Reference) -> set[str]:
        names = [n for n in [ref.title, *ref.names] if n]
        return {name_key(n) for n in names} | {a.lower() for n in names for a in re.findall(_ABBR.pattern, n)}

    return next((r for r in references if r.id in wanted), None) or next(
        (r for r in references if key and key in keys(r)), None)
