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

The identifiers are read in `grammar`, names and titles in `names`, one document's citations in `extract`,
and they are merged in `registry`; `model` holds what is stored and shown.
"""

from __future__ import annotations

from assistant.enrich.refs.extract import extract
from assistant.enrich.refs.grammar import PUBLICATIONS, official_name, parse_id
from assistant.enrich.refs.model import KINDS, Mention, Place, Reference
from assistant.enrich.refs.names import name_key
from assistant.enrich.refs.registry import build_registry, find, score

__all__ = [
    "KINDS",
    "PUBLICATIONS",
    "Mention",
    "Place",
    "Reference",
    "build_registry",
    "extract",
    "find",
    "name_key",
    "official_name",
    "parse_id",
    "score",
]
