"""Finding the references one document cites, in its footnotes and its running text: identifiers with the title,
date and motion the words around them give, and named documents, resolved through the footnote marker after
them, a name a footnote gave, or the curated list of EU acts."""

from __future__ import annotations

import re

from assistant.enrich.refs.grammar import DATE, Found, identifiers, iso_date, own_ids
from assistant.enrich.refs.model import Mention, Place
from assistant.enrich.refs.names import (
    ABBR,
    SMALL,
    capitalised_runs,
    cued_titles,
    eu_names,
    eu_pattern,
    is_doc_noun,
    kind_of,
    name_key,
    quoted_at,
    title_before,
)
from assistant.text import rules
from assistant.text.marks import SUPERSCRIPT_BLANKS
from assistant.text.normalize import slug
from assistant.text.sentences import sentence_spans
from assistant.types import Document

_MOTION = re.compile(
    r"(?:(?:[Gg]ewijzigde|[Aa]angehouden|[Nn]adere)\s+)?[Mm]otie\s+van\s+(?:het\s+lid|de\s+leden)\s+"
    r"(?P<names>(?:(?:van\s+der|van\s+den|van\s+de|van|de|den|der|ter|ten)\s+)?[A-Z][\w’'-]+"
    r"(?:(?:\s*,\s*|\s+en\s+)(?:(?:van\s+der|van\s+den|van\s+de|van|de|den|der|ter|ten)\s+)?[A-Z][\w’'-]+)*)"
    r"(?P<cs>\s+c\.s\.)?"
)
_IN_MARKUP = rules.rule("references", "in-markup")
_LOCAL = rules.rule("references", "local-address")
_TRIGGER = re.compile(r"Kamerstuk|Staatscourant|Stcrt|Stb\.|Staatsblad|[Rr]apport|Verordening|Richtlijn|Regulation"
                      r"|Directive|https?://|www\.")


def _compatible(name: str, target: Found) -> bool:
    """Whether a name in the running text can be what a footnote cites: they share a longer word."""
    other = " ".join(filter(None, [target.title, target.identifier, *target.names])).lower()
    return any(len(w) >= 4 and w in other for w in re.findall(r"\w+", name.lower()) if w not in SMALL)


def _date_in(text: str) -> str | None:
    dates = list(DATE.finditer(text))
    return iso_date(dates[-1]) if dates else None


def _describe(text: str, found: list[Found]) -> list[tuple[int, int]]:
    """Give each identifier the title, date, motion and name the words around it give; returns the spans the
    citations cover (title included), so nothing in them is read twice."""
    spans = []
    for f in found:
        lead_end = f.start
        paren = re.search(r"\(\s*(?:bijlage\s+bij\s+)?$", text[: f.start])
        if paren:
            lead_end = paren.start()
        title = title_before(text, lead_end)
        if title:
            f.title, lead_end = title
        else:
            after = re.match(r"\s*,?\s*(?:van\s+(?P<date>" + DATE.pattern + r")\s*)?(?:over\s+)?(?=[‘“«\"])",
                             text[f.end :])
            quoted = quoted_at(text, f.end + after.end()) if after else None
            if quoted:
                f.title = quoted[0]
                spans.append((f.end, quoted[1]))
        clause = text[: lead_end]
        cut = max(clause.rfind(c) for c in "‘“«()")
        clause_start = cut + 1
        motion = None
        for m in _MOTION.finditer(text, 0, lead_end):
            if re.fullmatch(r"\s*(?:van\s+" + DATE.pattern + r"\s*)?(?:over\s*)?", text[m.end() : lead_end]):
                motion = m
        if motion and f.kind == "kamerstuk":
            f.kind = "motie"
            f.names.append(" ".join(text[motion.start() : motion.end()].split()))
            f.title = f.title or f.names[-1]
            clause_start = motion.start()
        f.date = f.date or _date_in(text[clause_start:lead_end]) or (
            _date_in(text[f.end : spans[-1][1]]) if spans and spans[-1][0] == f.end else None)
        noun = re.search(r"(?P<w>[\w’'-]+)\s*$", text[:lead_end])
        if noun and is_doc_noun(noun.group("w")) and not title:
            f.names.append(noun.group("w"))
            f.title = f.title or noun.group("w")
        if f.title:
            f.names.insert(0, f.title)
        spans.append((lead_end, f.end))
    return spans


def _in_footnote(text: str) -> list[Found]:
    """Everything a footnote's text cites, with titles, dates and kinds taken from the words around."""
    found = identifiers(text) if _TRIGGER.search(text) else []
    taken = _describe(text, found)
    for start, end, title, cue in cued_titles(text, first_word_cue=True):
        if not any(a <= start < b for a, b in taken):
            kind = kind_of(cue)
            found.append(Found(f"{kind}-{slug(title)[:60]}", kind, start, end, title=title, names=[title],
                                date=_date_in(text)))
            taken.append((start, end))
    if not found:
        # "Zie bijlage Toekomstbeelden …", "De Staat van de Uitvoering is een periodieke publicatie …"
        named = re.match(r"(?:Zie\s+)?(?P<cue>bijlage|rapport|publicatie)\s+(?P<name>[A-Z][^.;(]+)", text) or \
            re.match(r"(?:De|Het)\s+(?P<name>[A-Z][\w’'-]*(?:\s+(?:[a-z]{1,3}\s+)*[A-Z][\w’'-]*)*)\s+is\s+een\s+"
                     r"(?:\w+\s+){0,2}?(?P<cue>publicatie|rapport|strategie|agenda|visie|nota)\b", text)
        if named:
            name = named.group("name").strip()
            kind = kind_of(named.group("cue"))
            found.append(Found(f"{kind}-{slug(name)[:60]}", kind, named.start("name"), named.end("name"),
                                title=name, names=[name]))
    return found


# Stored extractions carry a version: bump `refs` in `assistant/index/versions.py` when the grammar or the
# extraction changes, and the next ingest extracts again.
def extract(doc: Document) -> list[Mention]:
    """Every citation in `doc`: its footnotes' texts and its running text."""
    mentions: list[Mention] = []
    own = own_ids(doc.meta)
    own_title = name_key(doc.meta.title)
    by_footnote: dict[int, list[Found]] = {}
    for number, note in sorted(doc.footnotes.items()):
        marker = next((off for off, n in doc.markers if n == number), None)
        found = [f for f in _in_footnote(note.text) if f.id not in own]
        by_footnote[number] = found
        for f in found:
            mentions.append(_mention(f, Place(
                doc_id=doc.meta.doc_id, page=note.page, footnote=number, quote=note.text,
                section=" › ".join(doc.section_at(marker)) if marker is not None else "",
                as_written=note.text[f.start : f.end])))
    aliases = {name_key(n): f for found in by_footnote.values() for f in found for n in f.names if n}
    text = doc.text.translate(SUPERSCRIPT_BLANKS)
    for start, end in _body_sentences(doc):
        sentence = text[start:end]
        found = [f for f in identifiers(sentence) if not _markup(sentence, f)] if _TRIGGER.search(sentence) else []
        taken = _describe(sentence, found)
        candidates = [(a, b, name, named) for a, b, name, named in capitalised_runs(sentence)]
        candidates += [(a, b, title, True) for a, b, title, _ in cued_titles(sentence)]
        candidates += _marked_phrases(sentence, start, doc.markers)
        candidates += [(m.start(), m.end(), m.group(), True) for m in eu_pattern().finditer(sentence)]
        for a, b, name, named in sorted(candidates, key=lambda c: (c[0], c[0] - c[1])):
            if any(x <= a < y or a <= x < b for x, y in taken):
                continue
            key = name_key(name)
            if not key or key == own_title or (key in own_title and len(key) > 12):
                continue  # the document naming itself
            f = _resolve(name, key, named, doc, start + b, by_footnote, aliases)
            if f is None and named:
                kind = kind_of(_head_noun(name))
                f = Found(f"{kind}-{slug(ABBR.sub('', name))[:60]}", kind, 0, 0, title=name)
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
                quote=doc.text[start:end], as_written=doc.text[start + f.start : start + f.end], start=start,
                end=end)))
    return mentions


def _resolve(name: str, key: str, named: bool, doc: Document, end: int, by_footnote: dict[int, list[Found]],
             aliases: dict[str, Found]) -> Found | None:
    """What a name in the running text refers to: what the footnote right after it cites (when they share a
    word, or the name is a document's and the footnote cites one untitled thing), else a name a footnote gave,
    else a curated EU act."""
    for offset, number in doc.markers:
        if end <= offset <= end + 2 and not doc.text[end:offset].strip(" .,"):
            cited = by_footnote.get(number, [])
            if cited and (_compatible(name, cited[-1]) or (named and len(cited) == 1 and not cited[0].title)):
                target = cited[-1]
                aliases.setdefault(key, target)
                return Found(target.id, target.kind, 0, 0, target.identifier, target.url, target.title, target.date)
    if key in aliases:
        t = aliases[key]
        return Found(t.id, t.kind, 0, 0, t.identifier, t.url, t.title, t.date)
    act = eu_names().get(key)
    if act:  # the curated list gives identifier and address; the title stays as the document writes it
        return Found(act["id"], "eu", 0, 0, act.get("identifier"), act.get("url"), name, names=[act["title"]])
    return None


def _markup(sentence: str, found: Found) -> bool:
    """Whether a web address stands in markup or code (`xmlns="http://..."`, `<https://...>`, a backticked
    command), or is one on the reader's own machine (`http://localhost:8080`): no source is cited there."""
    return found.kind == "url" and (bool(_IN_MARKUP.search(sentence[max(0, found.start - 3) : found.start]))
                                    or bool(_LOCAL.match(found.identifier or "")))


def _head_noun(name: str) -> str:
    return next((w for w in reversed(name.split()) if is_doc_noun(w)), name.split()[-1])


def _marked_phrases(sentence: str, offset: int, markers: list[tuple[int, int]]) -> list[tuple[int, int, str, bool]]:
    """The words a footnote marker is attached to, from the nearest document noun or quoted title before it
    (at most eight words back): "de brief over de hoofdlijnen van het digitaliseringsbeleid²". They count
    only when the footnote cites something with a word in common."""
    phrases = []
    for pos in (p - offset for p, _ in markers if offset < p <= offset + len(sentence)):
        head = sentence[:pos].rstrip(" .,")
        title = title_before(head, len(head))
        if title:
            phrases.append((title[1], len(head), title[0], False))
            continue
        words = list(re.finditer(r"[\w’'-]+", head))[-8:]
        noun = next((w for w in reversed(words) if is_doc_noun(w.group())), None)
        if noun:
            phrases.append((noun.start(), len(head), head[noun.start() :], False))
    return phrases


def _body_sentences(doc: Document) -> list[tuple[int, int]]:
    heads = {(s.start, s.start + len(s.path[-1])) for s in doc.sections if s.path}
    return [s for s in sentence_spans(doc.text) if s not in heads]


def _mention(f: Found, place: Place) -> Mention:
    names = list(dict.fromkeys(n for n in f.names if n))
    return Mention(id=f.id, kind=f.kind, title=f.title, date=f.date, identifier=f.identifier, url=f.url,
                   names=names, flags=f.flags, place=place)
