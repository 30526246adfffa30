"""The overview scored against a hand-made list of its abbreviations, dates and organisations."""

from __future__ import annotations

import re
from typing import Any

from assistant.enrich.overview import Overview
from assistant.text.normalize import match_key


def score(view: Overview, oracle: dict[str, Any]) -> dict[str, Any]:
    """Glossary precision and recall, timeline recall and organisation recall against a hand-made list
    (rules in `evals/overview/README.md`)."""
    def pair(abbr: str, expansion: str) -> tuple[str, str]:
        return abbr.lower(), " ".join(re.sub(r"[–—-]", "-", expansion).lower().split())

    doc_id = oracle["doc_id"]
    found = {pair(e.term, e.expansion or "") for e in view.glossary
             if e.kind == "abbreviation" and any(c.doc_id == doc_id for c in e.defined_at)}
    gold = {pair(g["abbreviation"], g["expansion"]) for g in oracle["glossary"]}
    undefined = {e.term for e in view.glossary if e.kind == "abbreviation" and not e.defined_at
                 and any(c.doc_id == doc_id for c in e.used_at)}
    gold_undefined = {u["abbreviation"] for u in oracle["undefined_abbreviations"]}
    events = [e for e in view.timeline if e.cited.doc_id == doc_id]

    def found_event(g: dict[str, Any]) -> bool:
        whens = {g["when"], *g.get("when_alt", [])}
        key = " ".join(g["quote"].split()).lower()
        return any(e.when in whens and (
            key[:40] in " ".join(e.cited.quote.split()).lower()
            or " ".join(e.cited.quote.split()).lower()[:40] in key
            or (e.cited.page == g["page"] and g["as_written"].lower() in e.cited.quote.lower())) for e in events)

    dated = [g for g in oracle["timeline"] if g["when"]]
    missed_events = [f"{g['when']} {g['as_written']} (p. {g['page']})" for g in dated if not found_event(g)]
    def plain(name: str) -> str:
        return re.sub(r"['\"]", "", match_key(name))

    names = {plain(n) for a in view.actors for n in [a.name, *a.aliases]}
    missed_actors = [o["name"] for o in oracle["organisations"]
                     if not {plain(n) for n in [o["name"], *o.get("aliases", [])]} & names]
    # precision where the oracle judges: of the names listed for this document, those it lists as organisations
    # or offices against those it lists as looking like names but being none ("… Vergaderjaar", a product)
    gold_names = {plain(n) for o in oracle["organisations"] for n in [o["name"], *o.get("aliases", [])]}
    wrong_names = {plain(o["name"]) for o in oracle.get("not_organisations", [])}
    listed = [a for a in view.actors if a.kind != "member" and any(c.doc_id == doc_id for c in a.roles)]
    right = [a.name for a in listed if {plain(n) for n in [a.name, *a.aliases]} & gold_names]
    wrong = [a.name for a in listed if a.name not in right and plain(a.name) in wrong_names]
    counts = {"glossary": (len(found & gold), len(found), len(gold)),  # true, extracted, labelled: summed over
              "timeline": (len(dated) - len(missed_events), None, len(dated)),  # documents by the benchmark
              "actors": (len(oracle["organisations"]) - len(missed_actors), None, len(oracle["organisations"])),
              "actors_judged": (len(right), len(right) + len(wrong), None)}
    return {
        "counts": counts,
        "glossary_precision": _share(len(found & gold), len(found)),
        "glossary_recall": _share(len(found & gold), len(gold)),
        "glossary_missed": sorted(gold - found), "glossary_extra": sorted(found - gold),
        "undefined_precision": _share(len(undefined & gold_undefined), len(undefined)),
        "undefined_recall": _share(len(undefined & gold_undefined), len(gold_undefined)),
        "undefined_missed": sorted(gold_undefined - undefined), "undefined_extra": sorted(undefined - gold_undefined),
        "timeline_recall": round(1 - len(missed_events) / max(len(dated), 1), 3), "timeline_missed": missed_events,
        "timeline_extracted": len(events), "timeline_dated_in_list": len(dated),
        "actors_recall": round(1 - len(missed_actors) / max(len(oracle["organisations"]), 1), 3),
        "actors_missed": missed_actors, "actors_extracted": len(view.actors),
        "actors_precision": _share(len(right), len(right) + len(wrong)) if wrong_names else None,
        "actors_wrong": wrong,
    }


def _share(part: int, whole: int) -> float | None:
    """A precision or recall; None where there is nothing to measure it on (a document that defines no
    abbreviation, and where none is found, has neither)."""
    return round(part / whole, 3) if whole else None
