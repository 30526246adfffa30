"""Whether the sentence an answer leads with is about the one thing the question asks for, where the documents hold
several alike: the row of a table the question names, not the row beside it; the group a question restricts itself
to ("alleen de waterschappen", "de algoritmes van gemeenten"), not a larger one or that group taken together with
another.

Each check is given the question's words as the sets of stems that meet them (`evidence.Scorer.terms`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from assistant.answer.chosen import Evidence
from assistant.text.tokens import lexical_tokens
from assistant.types import Document

_AND = frozenset({"en", "and", "&"})  # "MijnOverheid en Berichtenbox": two taken together


def is_the_row_asked(words: Sequence[Collection[str]], doc: Document, lead: Evidence, under: str) -> bool:
    """Whether the table row an answer leads with is the one the question asks about: not when one of its `words`
    that tells the table's rows apart (it stands in another of its rows) is neither in this row nor in what the
    row is read under (`under`: its header, caption, section, title). "Hoeveel unieke gebruikers had eHerkenning
    in 2024?" is not answered by "Unieke gebruikers van DigiD (miljoen) 13,1 13,4 13,8 14,2" where "Inlogsessies
    met eHerkenning" is a row beside it: those are the figures of another row than the one asked, of which the
    table has none. A year or figure of the question is `names_its_numbers`'s to check."""
    if lead.span.table_header is None:
        return True
    language = doc.meta.language
    held = set(lexical_tokens(f"{lead.span.quote} {under}", language))
    beside = [set(lexical_tokens(row, language)) for row in doc.rows_beside(lead.span.start)]
    return not any(not held.intersection(forms) and any(row.intersection(forms) for row in beside) for forms in words)


def holds_the_group(groups: Sequence[Collection[str]], doc: Document, lead: Evidence, under: str) -> bool:
    """Whether the sentence an answer leads with is about the group a question restricts itself to (`groups`, each
    the stems of a word after "alleen"/"only" or before "alone"/"afzonderlijk": `questions.restricted`): it names
    the group (or is read under it), and not joined to another by "en"/"and". "Welk percentage van de websites
    van alleen de waterschappen voldeed …?" is not answered by the share of all websites, nor by the row
    "Provincies en waterschappen samen 141 38% …"; "How much was budgeted for the Berichtenbox alone?" not by
    "Berichtenverkeer (MijnOverheid en Berichtenbox) 96,5 …"."""
    if not groups:  # asked of every sentence an answer may lead with: nothing to read where nothing is restricted
        return True
    language = doc.meta.language
    # what parentheses say of a group explains it, it joins no other ("Rijksoverheid (ministeries en agentschappen)")
    words = re.findall(r"[\w-]+", re.sub(r"\([^()]*\)", " ", lead.span.quote))
    stems = [set(lexical_tokens(word, language)) for word in words]
    read_under = set(lexical_tokens(under, language))
    for forms in groups:
        at = [i for i, found in enumerate(stems) if found.intersection(forms)]
        if not at and not read_under.intersection(forms):
            return False
        if any(words[j].lower() in _AND for i in at for j in range(max(i - 2, 0), min(i + 3, len(words)))):
            return False
    return True


def with_the_group(groups: Sequence[Collection[str]], chosen: list[Evidence], candidates: Sequence[Evidence],
                   most: int, holds: Callable[[Evidence], bool]) -> list[Evidence]:
    """The chosen sentences with the best candidate that `holds` what is asked of the group the question
    restricts itself to (`groups`) in front, where none of them does: a figure of one group (a table's row
    "Rijksoverheid (ministeries en agentschappen) 201 …") scores below the sentences about all groups together
    ("In 2024 zijn 1.203 websites … getoetst"), as it shares fewer words with the question."""
    if not groups or any(holds(ev) for ev in chosen):
        return chosen
    found = next((ev for ev in candidates if ev.span.footnote is None
                  and not any(ev.span.overlaps(c.span) for c in chosen) and holds(ev)), None)
    return chosen if found is None else [found, *chosen][:most]
