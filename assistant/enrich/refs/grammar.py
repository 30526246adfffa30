"""The grammar of official identifiers (Kamerstukken, Staatscourant, Staatsblad, WRR reports, EU acts, web
addresses): reading them from text into canonical ids, standard spellings and official addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from assistant.text.dates import MONTHS
from assistant.text.normalize import slug
from assistant.types import DocumentMeta

PUBLICATIONS = "https://zoek.officielebekendmakingen.nl"


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
    url = rx(r"(?:https?://|www\.)[^\s<>()\[\]«»“”‘’\"`]+[^\s<>()\[\]«»“”‘’\"`.,;:!?]", "url")  # no ` in an address
    identifier = kamerstuk | staatscourant | staatsblad | wrr | eu_act | url
    return {"identifier": identifier, "date": date}


@dataclass
class Found:
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


def iso_date(match: re.Match[str] | None) -> str | None:
    """The ISO date of a matched Dutch date (`DATE`), or None without a match."""
    if not match:
        return None
    day, month, year = match.group("day", "month", "year")
    return f"{year}-{MONTHS.index(month) + 1:02d}-{int(day):02d}"


DATE = re.compile(r"(?P<day>\d{1,2})\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4})")


def url_id(url: str) -> str:
    """The id of a web address: without scheme, `www.` and trailing slash."""
    bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).rstrip("/")
    return "url-" + slug(bare)


def _session_flags(y1: str, y2: str) -> list[str]:
    """A parliamentary session runs over two consecutive years: 2022/23 or 2022-2023."""
    first = int(y1)
    second = int(y2) if len(y2) == 4 else (first // 100) * 100 + int(y2)
    return [] if second == first + 1 else ["year"]


def _from_identifier(tokens: Any, start: int, end: int) -> Found:
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
            return Found(dossier_id, "kamerstuk", start, end, ident, f"{PUBLICATIONS}/dossier/{digits}",
                          flags=[*flags, "partial"])
        kst = f"{dossier_id}-{t['nr'].lower()}"
        return Found(kst, "kamerstuk", start, end, f"{ident}, nr. {t['nr']}", official_url(kst), flags=flags)
    if name == "staatscourant":
        year = t.get("year") or (t["date"][-4:] if "date" in t else None)
        found = Found(f"stcrt-{year or 'onbekend'}-{t['nr']}", "staatscourant", start, end,
                       f"Staatscourant {year or '(jaar onbekend)'}, nr. {t['nr']}",
                       f"{PUBLICATIONS}/stcrt-{year}-{t['nr']}.html" if year else None,
                       flags=[] if year else ["no year"])
        found.date = iso_date(DATE.search(t["date"])) if "date" in t else None
        return found
    if name == "staatsblad":
        sid = f"stb-{t['year']}-{t['nr']}"
        return Found(sid, "staatsblad", start, end, f"Staatsblad {t['year']}, nr. {t['nr']}",
                      f"{PUBLICATIONS}/{sid}.html")
    if name == "wrr":
        return Found(f"wrr-{t['nr']}", "rapport", start, end, f"WRR-rapport nr. {t['nr']}")
    if name == "eu":
        m = re.match(r"(?P<type>\w+)\s*\(\w+\)\s*(?:nr\.\s*)?(?P<year>\d{4})/(?P<nr>\d+)", t[0])
        kind = "reg" if m.group("type") in {"Verordening", "Regulation"} else "dir"
        return Found(f"eu-{kind}-{m.group('year')}-{m.group('nr')}", "eu", start, end, t[0],
                      f"https://eur-lex.europa.eu/eli/{kind}/{m.group('year')}/{m.group('nr')}/oj")
    address = str(t[0])
    return Found(url_id(address), "url", start, end, address,
                  address if address.startswith("http") else f"https://{address}")


def identifiers(text: str) -> list[Found]:
    """Every identifier in `text`, in order."""
    return [_from_identifier(tokens, start, end) for tokens, start, end in _grammar()["identifier"].scan_string(text)]


def own_ids(meta: DocumentMeta) -> set[str]:
    """The ids under which a document would be cited: its own id and its official identifier."""
    ids = {meta.doc_id}
    if meta.identifier:
        ids |= {f.id for f in identifiers(meta.identifier)}
    return ids


def official_name(rid: str) -> str:
    """The publication's name on officielebekendmakingen.nl: letters in a Kamerstuk id are capitals there
    (kst-36200-VII-12, kst-36200-VII-A)."""
    series, *parts = rid.split("-")
    return "-".join([series, *(p.upper() if series == "kst" and p.isalpha() else p for p in parts)])


def official_url(rid: str) -> str | None:
    """Where the official publication of a Kamerstuk, Staatscourant or Staatsblad id is."""
    if re.fullmatch(r"(kst|stcrt|stb)-[\w-]+", rid) and "onbekend" not in rid:
        return f"{PUBLICATIONS}/{official_name(rid)}.html"
    return None


def parse_id(text: str) -> str | None:
    """The canonical id of an identifier a user typed ("26 643, nr. 940", "Kamerstuk 26643-940", an id)."""
    text = text.strip()
    if re.fullmatch(r"(?:kst|stcrt|stb|wrr|url|eu|motie|rapport|beleidsstuk|publicatie|kamerstuk)-[a-z0-9-]+", text):
        return text
    found = identifiers(text if text.lower().startswith("kamerstuk") else f"Kamerstuk {text}")
    return found[0].id if found else None


@cache
def named_in_words(identifier: str | None) -> str:
    """An identifier that names a document in words ("EPSIF Policy Paper No. 12"); "" for an official one.
    Read once per identifier: parsing one takes up to a millisecond, and every passage and every evidence
    sentence's document asks."""
    return "" if not identifier or identifiers(identifier) else identifier
