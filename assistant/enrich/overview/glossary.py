"""The glossary of one document: the abbreviations it writes out ("Basis Data Infrastructuur (BDI)"), those it
uses without writing out (with the curated expansion from `assistant/abbreviations.toml` where there is one,
marked as such), and the terms it defines, each with the sentence that defines it."""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

from assistant.enrich.overview.model import GlossaryEntry
from assistant.enrich.overview.quotes import pieces, place
from assistant.text import rules
from assistant.text.sentences import sentence_spans
from assistant.types import Document, Span

_BRACKETED = re.compile(r"\((?P<abbr>[A-Z][A-Za-z0-9&]{0,2}[A-Z][A-Za-z0-9&-]{0,6})\)")
_USED = re.compile(r"(?<![\w-])(?P<abbr>[A-Z][A-Za-z&]{0,3}[A-Z][A-Za-z&]{0,3}|[A-Z]{2,7})(?=-[a-z]|(?![\w-]))")
_ROMAN = re.compile(r"[IVXLC]+")
_NUMBERED = re.compile(r"[ \u00a0]\d{2,}")  # after its letters, a standard's number: "EN 301 549", "NEN 7510"
_CAPITALISED_RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:(?:of|and|for|van|voor|en|de|het|der)\s+)?[A-Z][\w’'-]*)+")
ARTICLES = {"de", "het", "een", "the", "a", "an"}
# Words that join the words of a name, no letter of an abbreviation ("Binnenlandse Zaken en Koninkrijksrelaties")
_SHORT_WORDS = ARTICLES | {"en", "van", "voor", "in", "op", "met", "te", "of", "and", "for", "to", "aan", "bij", "door",
                           "om", "over", "uit", "als", "dat", "die"}
# The sentences that define a term, by how they say it (`assistant/rules/definitions.toml`); a regulation's
# lettered list of definitions is read item by item after its lead-in.
_TERMS = [rules.rule("definitions", name) for name in ("seen-as", "is-understood-as", "under-is-meant",
                                                         "is-a-kind-of", "means")]
_LEAD_IN = rules.rule("definitions", "legal-lead-in")
_ITEM = rules.rule("definitions", "legal-item")


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
        if word.lower() in ARTICLES | {"en", "van", "voor", "de", "het", "der", "of", "and", "for"} \
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
        if candidate[0].lower() in ARTICLES:
            continue
        if _letters_match(abbr, candidate) and (n > 1 or len(abbr) <= 2 or candidate[0][0].isupper()):
            return " ".join(candidate)
    return None


def _sentence_at(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The span (of `spans`, in order) holding `pos`: found by bisection, since a long document has thousands."""
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return spans[i] if i >= 0 and spans[i][0] <= pos < spans[i][1] else (pos, pos)


def glossary_entries(doc: Document) -> list[GlossaryEntry]:
    """The abbreviations and terms the document defines or uses, in alphabetical order."""
    entries: dict[tuple[str, str | None], GlossaryEntry] = {}
    heads = {s.start for s in doc.sections}
    for text, footnote, note in pieces(doc):
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
        defining = [(a, b, t) for pattern in _TERMS for a, b in spans if (t := pattern.search(text[a:b]))]
        listing = False  # within a regulation's list of definitions ("wordt verstaan onder:", then "a. ...")
        for a, b in spans:
            t = _ITEM.match(text[a:b]) if listing else None
            if t:
                defining.append((a, b, t))
            listing = bool(t or _LEAD_IN.search(text[a:b]))
        for a, b, t in defining:
            term = t.group("term").strip()
            term = re.sub(r"^(?:(?:de|het|een|hierbij|moet|moeten|kan|kunnen)\s+)+", "", term, flags=re.I)
            cited = note or place(doc, a, b)
            # a regulation's item is its definition after the term and colon ("a. bibliotheek: openbare …;")
            meaning = text[a + t.end() - 1 : b].strip().rstrip(";") if t.re is _ITEM else text[a:b].strip()
            entry = entries.setdefault((term, None), GlossaryEntry(term=term, kind="term", expansion=meaning))
            if all(c.quote != cited.quote for c in entry.defined_at):
                entry.defined_at.append(cited)
    defined = {e.term for e in entries.values()}
    used: dict[str, list[Span]] = {}
    spelled: dict[str, tuple[str, Span]] = {}  # written out beside it without brackets (`_spelled_in`)
    for text, _, note in pieces(doc):
        for a, b in sentence_spans(text):
            sentence = text[a:b]
            if sum(w.isupper() for w in sentence.split()) > len(sentence.split()) / 2:
                continue  # a printed heading in capitals
            here: set[str] = set()  # the abbreviations this sentence uses that it may write out too
            for m in _USED.finditer(sentence):
                abbr = m.group("abbr")
                if (_ROMAN.fullmatch(abbr) or abbr in defined or sum(c.islower() for c in abbr) > 2
                        or _in_capitals(sentence, m.start(), m.end()) or _NUMBERED.match(sentence, m.end())):
                    continue  # a roman numeral, a defined one, a name like ChatGPT, a heading in capitals, or
                    # a standard's letters before its number ("de norm EN 301 549")
                places = used.setdefault(abbr, [])
                if len(places) < 3:
                    places.append(note or place(doc, a, b))
                if len(abbr) >= 3 and abbr.isupper() and abbr not in spelled:
                    here.add(abbr)
            for abbr, expansion in _spelled_in(sentence, here).items():
                spelled[abbr] = (expansion, note or place(doc, a, b))
    curated = curated_expansions(doc.meta.language)
    for abbr, places in used.items():
        if abbr not in spelled and (found := _in_words(doc, abbr)):
            spelled[abbr] = found
        if abbr in spelled:  # written out beside it, without brackets: "EPSIF Policy Paper No. 12, European ..."
            expansion, cited = spelled[abbr]
            entries[(abbr, expansion.lower())] = GlossaryEntry(term=abbr, kind="abbreviation", expansion=expansion,
                                                               defined_at=[cited])
            continue
        known = curated.get(abbr)
        entries[(abbr, "?")] = GlossaryEntry(term=abbr, kind="abbreviation", used_at=places,
                                             expansion=known, source="curated" if known else "document")
    for entry in entries.values():
        if entry.kind == "abbreviation" and entry.defined_at:
            entry.used_at = [c for c in used.get(entry.term, [])]
    return sorted(entries.values(), key=lambda e: (e.term.lower(), e.expansion or ""))


def _spelled_in(sentence: str, abbreviations: set[str]) -> dict[str, str]:
    """Those of the `abbreviations` (of three letters or more, used in `sentence`) that the sentence writes out
    without brackets ("EPSIF Policy Paper No. 12, European Public Sector Innovation Forum"), each as the first run
    of capitalised words whose initials are its letters ("of", "van" and the like between them). Every letter
    must start a word in turn, each word written as a name ("STAATSSECRETARIS VAN BINNENLANDSE" is a heading).
    Only beside the abbreviation: elsewhere such a run is no definition ("Binnenlandse Zaken en
    Koninkrijksrelaties" in a signature does not say what BZK in another sentence stands for)."""
    found: dict[str, str] = {}
    for run in _CAPITALISED_RUN.finditer(sentence) if abbreviations else ():
        words = run.group().split()
        for i, first in enumerate(words):
            capitals = [j for j in range(i, len(words)) if words[j][0].isupper()]
            if not first[0].isupper() or any(words[j].isupper() for j in capitals):
                continue  # a heading in capitals, or another abbreviation
            for abbr in abbreviations - found.keys():
                if "".join(words[j][0] for j in capitals[: len(abbr)]) == abbr:
                    found[abbr] = " ".join(words[i : capitals[len(abbr) - 1] + 1])
    return found


def _in_words(doc: Document, abbr: str) -> tuple[str, Span] | None:
    """Where a document that never writes an abbreviation out beside it names the thing in words whose initials
    are its letters, the first word written as a name and no short word between ("Wat is de EDI-wallet?" … "De
    Europese digitale identiteit is een app …"): the factsheet on the EDI wallet never says "EDI" stands for it
    in one sentence. Only for three letters or more, all capitals: "en de informatie" is no EDI, and "Rijksdienst
    voor Ondernemend Nederland" no RVO (a short word between)."""
    if len(abbr) < 3 or not abbr.isupper():
        return None
    pattern = re.compile(rf"(?<![\w’'-]){abbr[0]}[\w’'-]{{2,}}"
                         + "".join(rf"\s+(?i:{letter})[\w’'-]{{2,}}" for letter in abbr[1:].lower())
                         + r"(?![\w’'-])")
    for text, _, note in pieces(doc):
        for m in pattern.finditer(text):
            words = m.group().split()
            if not any(w.lower() in _SHORT_WORDS or w.isupper() for w in words):
                a, b = _sentence_at(sentence_spans(text), m.start())
                return " ".join(words), note or place(doc, a, b)
    return None


def _in_capitals(text: str, start: int, end: int) -> bool:
    """Whether a word stands among other words in capitals ("BRIEF VAN DE STAATSSECRETARIS"): a heading."""
    before = re.findall(r"[\w’'-]+", text[max(0, start - 40) : start])[-1:]
    after = re.findall(r"[\w’'-]+", text[end : end + 40])[:1]
    return any(w.isupper() and len(w) > 1 for w in before + after)


@cache
def curated_expansions(language: str = "nl") -> dict[str, str]:
    """Expansions of abbreviations that documents use without writing out (data, not from the documents), in
    `language` where the list writes one out in it ("AI" in an English paper is "artificial intelligence"), else
    as the list's Dutch has it."""
    data = tomllib.loads(files("assistant").joinpath("abbreviations.toml").read_text(encoding="utf-8"))
    return {**data["abbreviations"], **data.get("written_out_in", {}).get(language, {})}


def expansions(entries: Iterable[GlossaryEntry]) -> dict[str, str]:
    """Abbreviation → expansion as the documents write it, for search: a query with "NOLAI" also looks for
    "Nationaal Onderwijslab" (curated expansions are not searched: the documents do not use those words)."""
    return {e.term: e.expansion for e in entries
            if e.kind == "abbreviation" and e.expansion and e.defined_at and not e.conflict}
