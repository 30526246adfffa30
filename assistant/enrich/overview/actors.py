"""Who is who in one document: organisations (names with an organisation noun, or an abbreviation that stands
for one), office holders ("de staatssecretaris van BZK") and members of parliament ("het lid Brouwer-Kaya"), with
the sentences that give them a role."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.enrich.overview.glossary import ARTICLES
from assistant.enrich.overview.model import Actor, GlossaryEntry
from assistant.enrich.overview.quotes import pieces, place
from assistant.text import rules
from assistant.text.sentences import sentence_spans
from assistant.types import Document

_ORG_NOUNS = tuple(rules.words("organisation_nouns"))  # `assistant/rules/words.toml`
_NAME = r"[A-Z][\w’'-]*"
_JOIN = r"(?:\s+(?:van|voor|op|der|en|of)(?:\s+(?:de|het|der))?\s+|,\s+(?=[A-Z][\w’'-]*(?:,|\s+en\s))|\s+)"
_OFFICE_NOUNS = "|".join(f"[{w[0].upper()}{w[0]}]{re.escape(w[1:])}"
                         for w in sorted(rules.words("office_nouns"), key=len, reverse=True))
_OFFICE = re.compile(
    rf"\b(?P<office>(?:{_OFFICE_NOUNS})\s+(?:van|voor)(?:\s+(?:de|het))?\s+(?P<of>{_NAME}"
    rf"(?:(?:,\s+(?=[A-Z][a-z][\w’'-]*(?:,|\s+en\s))|\s+(?:en|der)\s+|\s+){_NAME})*))")
# Members of parliament a motion or letter names: "het lid Brouwer-Kaya", "de leden Van Dijkhuizen en El Amrani",
# "de motie van het lid Klaver c.s." (a surname with its particles)
_SURNAME = r"(?:(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en|El|Al)\s+)*[A-Z][\w’'-]+"
_MEMBERS = re.compile(rf"\b(?:het\s+lid|de\s+leden)\s+(?P<names>{_SURNAME}(?:\s*(?:,|\s+en)\s+{_SURNAME})*)")
_COLLECTIVE = re.compile(r"\b(?:[Hh]et|[Dd]e|[Tt]he)\s+(?P<name>" + "|".join(rules.words("collective_actors")) + r")\b")
# A Kamerstuk's head names the chamber that publishes it, then fields ("Vergaderjaar 2024–2025") no name runs into
_KAMERSTUK_HEAD = rules.rule("publications", "kamerstuk-head")
_PART_OF = re.compile(r"\s+van\s+(?:de|het)\s+")
_LIST_ITEM = re.compile(r"[^,]+?(?=,\s|\s+(?:en|of|and|or)\s|$)")
_ORG_RUN = re.compile(rf"{_NAME}(?:{_JOIN}{_NAME})*")
# A group named after its kind: coalitie «AI in actie», platform PRIO, coalitie AI in Actie (its name's words
# capitalised, joined by a preposition).
_NAMED_GROUP = re.compile(r"\b(?P<name>(?:coalitie|platform|netwerk|alliantie) (?:[‘«“][^’»”]{3,80}[’»”]"
                          r"|[A-Z]{2,}\b(?:\s+(?:in|voor|van)\s+[A-Z][\w-]*)?))")
# Capitalised words that open a sentence or clause rather than a name.
_OPENERS = set(rules.words("clause_openers"))


def _org_name(text: str) -> str | None:
    """The organisation a run of capitalised words names, if any: an organisation noun among at least two
    words, or one compound word that ends in one ("Argumentenfabriek")."""
    words = re.findall(r"[\w’'-]+|,", text)
    while words and (words[0].lower() in _OPENERS or words[0] == ","):
        words = words[1:]
    while words and (words[-1].lower() in ARTICLES | {"van", "voor", "en", "op", "of", "der"} or words[-1] == ","):
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
            # a part of an organisation named with it ("Directie Algoritmetoezicht van de Autoriteit
            # Persoonsgegevens") is one organisation and the other is another; "Ministerie van Binnenlandse Zaken"
            # and "Vereniging van Nederlandse Gemeenten" are one name
            split = [(0, piece)]
            if (of := _PART_OF.search(piece)) and _org_name(piece[: of.start()]) and _org_name(piece[of.end() :]):
                split = [(0, piece[: of.start()]), (of.end(), piece[of.end() :])]
            for at, words in split:
                if name := _org_name(words):
                    yield name, m.start() + offset + at + words.find(name.split()[0])
    for abbr, expansion in glossary.items():
        if re.search(rf"(?<![\w-]){re.escape(abbr)}(?![\w])", sentence) and any(
                w.lower().endswith(_ORG_NOUNS) for w in expansion.split()):
            yield abbr, sentence.find(abbr)
    for m in _NAMED_GROUP.finditer(sentence):
        yield m.group("name"), m.start("name")


def _listed_beside(sentence: str, found: list[tuple[str, int, str]]) -> Iterable[tuple[str, int]]:
    """One capitalised word listed next to an organisation in a list with at least two ("…, waterschappen (UvW),
    Kadaster, Geonovum en de overige leden van het Beraad …"): the items of a list are of one kind, so it names
    an organisation without an organisation noun of its own."""
    items = [(m.start() + len(m.group()) - len(m.group().lstrip()), m.group().strip())
             for m in _LIST_ITEM.finditer(sentence)]
    items = [(start, re.sub(r"^(?:en|of|and|or)\s+", "", item)) for start, item in items]
    spans = [(pos, pos + len(name)) for name, pos, _ in found]
    named = [any(a < start + len(item) and start < b for a, b in spans) for start, item in items]
    if sum(named) < 2:
        return
    for i, (start, item) in enumerate(items):
        beside = (i and named[i - 1]) or (i + 1 < len(items) and named[i + 1])
        if (not named[i] and beside and start > 0 and re.fullmatch(r"[A-Z][\w’'-]+", item)
                and item.lower() not in _OPENERS):
            yield item, sentence.find(item, start)


def names_organisation(text: str) -> bool:
    """Whether `text` names an organisation by its own words (a run of capitalised words with an organisation
    noun): who issued a publication that is no letter names itself so on its imprint line
    (`enrich.colophon.facts`)."""
    return next(_org_names(text, {}), None) is not None


def _office_key(name: str, glossary: dict[str, str]) -> str:
    """One key for "Minister van EZK" and "minister van Economische Zaken en Klimaat", for "coalitie «AI in
    actie»" and "coalitie AI in Actie"."""
    words = re.sub(r"[‘’“”«»]", "", name).split()
    expanded = [re.sub(r"^Ministerie van ", "", glossary.get(w, w)) for w in words]
    return " ".join(expanded).lower()


def actors_of(doc: Document, glossary: list[GlossaryEntry]) -> list[Actor]:
    """The organisations and office holders the document names, with their pages and roles; `glossary` (the
    document's own) joins an abbreviation to its expansion."""
    names = {e.term: e.expansion for e in glossary if e.kind == "abbreviation" and e.expansion}
    alias_of = {abbr: exp for abbr, exp in names.items()}
    alias_of.update({exp: abbr for abbr, exp in names.items()})
    actors: dict[str, Actor] = {}
    for text, _, note in pieces(doc):
        head = _KAMERSTUK_HEAD.match(text) if note is None else None
        for a, b in sentence_spans(text):
            sentence = text[a:b]
            if sum(w.isupper() for w in sentence.split()) > len(sentence.split()) / 2:
                continue
            held = list(_OFFICE.finditer(sentence))
            found = [(m.group("office"), m.start("office"), "office") for m in held]
            offices = [(pos, pos + len(n)) for n, pos, _ in found]
            # the organisation an office is of: the Kamer of its Voorzitter
            found += [(n, m.start("of"), "organisation") for m in held if (n := _org_name(m.group("of")))]
            found += [(n, pos, "organisation") for n, pos in _org_names(sentence, names)
                      if not any(a <= pos < b for a, b in offices)]
            found += [(n, pos, "organisation") for n, pos in _listed_beside(sentence, found)]
            found += [(m["name"], m.start("name"), "organisation") for m in _COLLECTIVE.finditer(sentence)]
            found += [(n.group(), m.start("names") + n.start(), "member") for m in _MEMBERS.finditer(sentence)
                      for n in re.finditer(_SURNAME, m.group("names"))]
            if head and a < head.end("nr"):  # the head's chamber, not a name run on into its fields
                found = [f for f in found if a + f[1] >= head.end("nr")]
                if a <= head.start("chamber") < b:
                    found.append((f"{head['chamber']} Kamer der Staten-Generaal", head.start("chamber") - a,
                                  "organisation"))
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
    return sorted(actors.values(), key=listed)


def listed(actor: Actor) -> tuple[int, str]:
    """Where an actor stands in who is who: offices, organisations, then members of parliament, each by name."""
    return ("office", "organisation", "member").index(actor.kind), actor.name.lower()
