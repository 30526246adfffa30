"""How documents are named in running text: quoted titles, runs of capitalised words with a document noun, titles
cued by a document noun, the curated names of EU acts (`assistant/eu_acts.toml`), and `name_key`, by which two
spellings of one name are compared."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from assistant.text.marks import SUPERSCRIPT_BLANKS

# Head nouns of named documents, matched as the end of a word ("Cybersecuritystrategie", "Werkagenda").
_DOC_NOUNS = ("strategie", "strategy", "agenda", "visie", "actieplan", "kader", "akkoord", "convenant", "pact",
              "rapport", "rapportage", "advies", "nota", "verordening", "richtlijn", "act", "beleidsprogramma",
              "publicatie", "artikel", "bijlage", "onderzoek", "brief", "notitie", "plan")
SMALL = {"voor", "de", "het", "van", "op", "en", "der", "den", "in", "met", "over", "een", "te", "tot", "the",
         "of", "on", "and", "for"}
_LEADING = {"de", "het", "een", "in", "op", "met", "van", "voor", "zie", "the", "a", "an", "deze", "die", "dit",
            "mijn", "onze", "hun", "zijn", "haar", "uw", "als", "ook", "en", "bij"}
_QUOTE_PAIRS = {"‘": "’", "“": "”", "«": "»", '"': '"', "„": "”"}
ABBR = re.compile(r"\s*\((?P<abbr>[A-Z][A-Za-z0-9-]{1,10})\)")
_TOKEN = re.compile(r"[^\W\d_][\w’'-]*|\d{4}(?:\s?[–-]\s?\d{4})?")
_CONNECTORS = {"van", "voor", "op", "der", "den", "en"}


def quoted_at(text: str, pos: int) -> tuple[str, int] | None:
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


def title_before(text: str, pos: int) -> tuple[str, int] | None:
    """A quoted title ending just before `pos` (only spaces between), and where its opening mark is."""
    head = text[:pos].rstrip()
    openers = [o for o, c in _QUOTE_PAIRS.items() if head.endswith(c)]
    for at in sorted((i for i, ch in enumerate(head) if ch in openers), reverse=True):
        quoted = quoted_at(head, at)
        if quoted and quoted[1] == len(head):
            return quoted[0], at
    return None


def is_doc_noun(word: str) -> bool:
    """A document's head noun, also at the end of a compound ("Cybersecuritystrategie"); not all capitals
    (a letter's printed heading), and "Act" only as the English word."""
    w = word.strip("’'")
    if len(w) > 3 and w.isupper():
        return False
    return w in {"Act", "Acts"} or any(w.lower().endswith(n) for n in _DOC_NOUNS if n != "act")


def name_key(name: str) -> str:
    """A name without years, abbreviations in brackets, quotes, small words and case: how two spellings of
    one document's name are compared."""
    text = unicodedata.normalize("NFKC", name).translate(SUPERSCRIPT_BLANKS)
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"\b\d{4}(?:\s?[–-]\s?\d{2,4})?\b", " ", text)
    return " ".join(w for w in re.findall(r"\w+", text.lower()) if w not in SMALL)


def capitalised_runs(text: str) -> Iterable[tuple[int, int, str, bool]]:
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
            elif joins and words[j] in {"op", "voor", "van"} and any(is_doc_noun(w) for w in words[i : end + 1]) \
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
            abbr = ABBR.match(text, stop)
            has_noun = any(is_doc_noun(w) for w in words[first : end + 1])
            named = has_noun and end > first
            yield start, abbr.end() if abbr else stop, text[start : abbr.end() if abbr else stop], named
        i = end + 1


def cued_titles(text: str, first_word_cue: bool = False) -> Iterable[tuple[int, int, str, str]]:
    """Quoted titles with a document noun among the four words before (implementatiekader ‘…’, inkoopstrategie
    van het Rijk «…», EU «…»), or in a footnote with a document noun as its first word (Onderzoek door …)."""
    opening = re.match(r"\s*(?:Zie\s+)?(?:[Hh]et\s+|[Dd]e\s+|[Ee]en\s+)?(?P<w>[\w-]+)", text)
    for m in re.finditer(r"[‘“«\"]", text):
        quoted = quoted_at(text, m.start())
        if quoted is None or len(quoted[0]) > 160 or not quoted[0]:
            continue
        before = re.findall(r"[\w’'-]+", text[max(0, m.start() - 80) : m.start()])[-4:]
        cue = next((w for w in reversed(before) if is_doc_noun(w) or w == "EU"), None)
        if cue is None and first_word_cue and opening and is_doc_noun(opening.group("w")):
            cue = opening.group("w")
        if cue:
            yield m.start(), quoted[1], quoted[0], cue


def kind_of(cue: str) -> str:
    """The kind of reference a document noun names (`rapport` for "Adviesrapport")."""
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


@cache
def eu_names() -> dict[str, dict[str, str]]:
    """The curated list of EU acts and policy documents by the names documents use (data, not from the
    documents: it gives their official identifier and address)."""
    import tomllib
    from importlib.resources import files

    data = tomllib.loads(files("assistant").joinpath("eu_acts.toml").read_text(encoding="utf-8"))
    return {name_key(n): act for act in data["act"] for n in act["names"]}


@cache
def eu_pattern() -> re.Pattern[str]:
    """The curated names as they may stand in running text ("de AVG", "de Algemene verordening
    gegevensbescherming", "NIS 2"), first letter in either case."""
    import tomllib
    from importlib.resources import files

    data = tomllib.loads(files("assistant").joinpath("eu_acts.toml").read_text(encoding="utf-8"))
    names = sorted({n for act in data["act"] for n in act["names"]}, key=len, reverse=True)
    alternatives = [f"[{n[0].upper()}{n[0].lower()}]{re.escape(n[1:])}" for n in names]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")
