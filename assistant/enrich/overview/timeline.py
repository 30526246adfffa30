"""The timeline of one document: dates, days without a year, months, years with a preposition, periods and
relative times ("eind dit jaar", "the end of next year"), in Dutch or English, resolved against the document's
date where the text allows, each marked past, ongoing, planned or target from the date and the wording."""

from __future__ import annotations

import datetime
import re

from assistant.enrich.overview.model import TimelineEvent
from assistant.enrich.overview.quotes import pieces, place
from assistant.text.dates import MONTH_NAMES, month_number
from assistant.text.sentences import sentence_spans
from assistant.types import Document

_MONTH = MONTH_NAMES
TIME_EXPRESSION = re.compile(  # a date, month, period, year with a preposition, or a relative time
    rf"(?P<date>\b(?P<d>\d{{1,2}}) (?P<m>{_MONTH})(?: (?P<y>\d{{4}}))?(?P<jl> jongstleden| jl\.)?)"
    # a range of months whose year only its last names: "between January and June 2024", "van maart tot juni 2025"
    rf"|(?P<months>\b(?:(?:tussen|between)\s+(?P<m3>{_MONTH})\s+(?:en|and)"
    rf"|(?P<m4>{_MONTH})\s*(?:tot en met|t/m|tot|to|until|through|–|-))\s*(?P<m5>{_MONTH}) (?P<y4>\d{{4}}))"
    rf"|(?P<month>\b(?P<m2>{_MONTH}) (?P<y2>\d{{4}}))"
    rf"|(?P<period>\b(?P<p1>(?:19|20)\d{{2}})(?:\s?[–-]\s?|\s+(?:tot en met|t/m|tot|to|through|until)\s+)"
    rf"(?P<p2>(?:19|20)\d{{2}})\b)"
    # a season of a year the text names: "in het najaar van 2025", "voor het zomerreces van 2026", "spring 2025"
    r"|(?P<season>\b(?:(?P<before>voor|vóór|before)\s+)?(?:(?:het|de|the)\s+)?(?P<s>najaar|voorjaar|zomer(?:reces)?"
    r"|autumn|fall|spring|summer(?: recess)?)(?:\s+(?:van|of))?\s+(?P<y5>(?:19|20)\d{2})\b)"
    r"|(?P<relative>\b(?:(?:het )?(?:eind|einde|begin|midden) (?:van )?(?:dit|volgend|komend) jaar|"
    r"(?:dit|volgend|komend|vorig) (?:jaar|najaar|voorjaar)|(?:deze|komende|afgelopen) zomer|"
    r"voor de zomer(?:van dit jaar)?|"
    r"(?:(?:the )?(?:end|beginning|middle) of |early |later )?(?:this|next|last) year)\b)"
    r"|(?P<year>\b(?P<prep>in|vóór|voor|na|sinds|vanaf|tot|uiterlijk|per|rond|eind|begin|jaar|over|van|by|from|since|until|"
    r"before|after|around|early|late) (?P<y3>(?:19|20)\d{2})\b"
    r"(?![/–-]\d))",
    re.IGNORECASE,
)
# The end of a range of days whose year it alone names: "1 januari tot en met 31 december 2024" is in 2024.
_RANGE_END = re.compile(rf"\s*(?:tot en met|t/m|tot|–|-)\s*(?P<d>\d{{1,2}}) (?P<m>{_MONTH}) (?P<y>\d{{4}})\b",
                        re.IGNORECASE)
# A session year or a number is part of the identifier it follows, no time of an event.
_IDENTIFIER_BEFORE = re.compile(r"(?:Kamerstuk\w*|Staatscourant|Stcrt\.|nr\.|[Vv]ergaderjaar)\s*\S*\s*$")
# Words that say something is to come; "plan" only as the English verb ("Dit plan beschrijft …" plans nothing).
_FUTURE = re.compile(r"\b(?:zal|zullen|wil|willen|ga|gaat|gaan|streef\w*|voornemens|verwacht\w*|doel\w*|"
                     r"komt|komen|moet|moeten|werk\w* aan|naar verwachting|"
                     r"will|shall|plans?\s+to|planned|intends?|expect\w*|aims?|must|apply from)\b", re.IGNORECASE)


def _relative(phrase: str, today: datetime.date) -> tuple[str, str]:
    p, y = phrase.lower(), today.year
    year = y + 1 if re.search(r"volgend|komend|next", p) else y - 1 if re.search(r"vorig|last", p) else y
    if re.search(r"\b(?:eind|einde|end)\b", p):
        return f"{year}-12", "month"
    if re.search(r"begin|early", p):
        return f"{year}-Q1", "quarter"
    if re.search(r"midden|middle|zomer", p):
        return f"{year}-Q2" if "voor de zomer" in p else f"{year}-Q3", "quarter"
    if "najaar" in p:
        return f"{year}-H2", "half"
    if "voorjaar" in p:
        return f"{year}-H1", "half"
    return str(year), "year"


def _when(m: re.Match[str], today: datetime.date | None, after: str = "") -> tuple[str, str, bool] | None:
    """(when, precision, resolved) of a time expression, or None when it needs a date the document lacks; a day
    without a year that opens a range of days (`after` it) is in the year the range ends in."""
    if m.group("date"):
        month, day = month_number(m.group("m")), int(m.group("d"))
        written = m.group("y") or ((end := _RANGE_END.match(after)) and end.group("y"))
        if written:
            year, resolved = int(written), False
        elif today is not None:  # a day without a year is in the document's year, or the year before if past
            year = today.year if (month, day) <= (today.month, today.day) or not m.group("jl") else today.year - 1
            resolved = True
        else:
            return None
        try:
            return datetime.date(year, month, day).isoformat(), "day", resolved
        except ValueError:
            return None
    if m.group("months"):
        first, year = m.group("m3") or m.group("m4"), m.group("y4")
        return f"{year}-{month_number(first):02d}/{year}-{month_number(m.group('m5')):02d}", "period", False
    if m.group("month"):
        return f"{m.group('y2')}-{month_number(m.group('m2')):02d}", "month", False
    if m.group("period"):
        return f"{m.group('p1')}/{m.group('p2')}", "period", False
    if m.group("season"):
        season, year = m.group("s").lower(), m.group("y5")
        if season.startswith(("zomer", "summer")):  # before the summer is its second quarter, as "voor de zomer"
            return (f"{year}-Q2" if m.group("before") else f"{year}-Q3"), "quarter", False
        return (f"{year}-H1" if season in ("voorjaar", "spring") else f"{year}-H2"), "half", False
    if m.group("relative"):
        if today is None:
            return None
        when, precision = _relative(m.group("relative"), today)
        return when, precision, True
    return m.group("y3"), "year", False


def _status(when: str, precision: str, sentence: str, today: datetime.date | None, written: str = "") -> str:
    """Past, planned, a target, or ongoing: a year, half, quarter or period that holds the document's own date
    ("Dit uitvoeringsplan beschrijft wat het Rijk in 2025 doet", written in June 2025) is neither over nor to
    come, unless the wording plans it; a day or a month is over (a document's own date, "januari 2025" on a
    factsheet, is past once it is out)."""
    moment = when.split("/")[-1][:10]
    later = today is not None and moment > today.isoformat()[: len(moment)]
    if later and re.search(r"\b(?:doel\w*|\w*neutraal|streven|streeft|target\w*|goals?|\w*neutral)\b", sentence, re.I):
        return "target"
    if later or _FUTURE.search(sentence):
        return "planned"
    part = re.match(r"(early|begin|late|eind|end)\b", written, re.I) if precision == "year" else None
    if part:  # "early 2024", written in October 2024, is over: the year's first quarter, not the whole year
        when = f"{when}-Q1" if part[1].lower() in ("early", "begin") else f"{when}-Q4"
    if today is not None and precision not in ("day", "month") and _holds(when, today):
        return "ongoing"
    return "past"


def _holds(when: str, today: datetime.date) -> bool:
    """Whether the time `when` stands for ("2025", "2025-H2", "2025-04", "2025-01/2025-06") holds `today`."""
    first, _, last = when.partition("/")
    quarter = (today.month - 1) // 3 + 1
    forms = {str(today.year), f"{today.year}-{today.month:02d}", f"{today.year}-Q{quarter}",
             f"{today.year}-H{1 if today.month <= 6 else 2}"}
    return first in forms if not last else first[:7] <= today.isoformat()[: len(first[:7])] and (
        today.isoformat()[: len(last[:7])] <= last[:7])


def timeline_events(doc: Document) -> list[TimelineEvent]:
    """Every dated event the document mentions, in document order."""
    today = None
    if doc.meta.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.meta.date):
        today = datetime.date.fromisoformat(doc.meta.date)
    events: list[TimelineEvent] = []
    for text, _, note in pieces(doc):
        for a, b in sentence_spans(text):
            sentence = text[a:b]
            read_to = 0  # a range of days is one event: its last day is not read again on its own
            for m in TIME_EXPRESSION.finditer(sentence):
                if m.start() < read_to or _IDENTIFIER_BEFORE.search(sentence[: m.start()]):
                    continue  # a range's last day, read with its first; a session year or number in an identifier
                found = _when(m, today, sentence[m.end():])
                if found is None:
                    continue
                when, precision, resolved = found
                written = m.group().strip()
                if precision == "day" and (last := _last_day(sentence, m.end())):
                    when, precision, read_to = f"{when}/{last[0]}", "period", last[1]
                    written = sentence[m.start():read_to].strip()
                if any(e.when == when and e.as_written == written and e.cited.quote == sentence for e in events):
                    continue
                events.append(TimelineEvent(
                    when=when, precision=precision, as_written=written, resolved=resolved,
                    status=_status(when, precision, sentence, today, written), cited=note or place(doc, a, b)))
    return events


def _last_day(sentence: str, at: int) -> tuple[str, int] | None:
    """The last day of a range of days that a day opens at `at` ("1 januari tot en met 31 december 2024"), with
    where the range ends in the sentence; None where no range follows."""
    end = _RANGE_END.match(sentence, at)
    if end is None:
        return None
    try:
        day = datetime.date(int(end.group("y")), month_number(end.group("m")), int(end.group("d")))
    except ValueError:
        return None
    return day.isoformat(), end.end()
