"""The registry: every document's mentions merged into one entry per cited document, linked to the corpus
document that is it; finding a reference as a user names it; and scoring extraction against a hand-made list."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from assistant.enrich.refs.grammar import official_url, own_ids, parse_id
from assistant.enrich.refs.model import KINDS, Mention, Reference
from assistant.enrich.refs.names import ABBR, name_key
from assistant.types import DocumentMeta

# Ids read from an identifier (or the curated EU list); other ids are made from a name and merge into these.
_STRONG = re.compile(r"(?:kst|stcrt|stb|wrr|url|eu-(?:reg|dir|dec|com))-")


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
            ref = refs[rid] = Reference(id=rid, kind=m.kind, url=official_url(rid))
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
        corpus.update({rid: doc_id for rid in own_ids(meta)})
        corpus.setdefault("title:" + name_key(meta.title), doc_id)
    for ref in refs.values():
        ref.title = ref.title or next((n for n in ref.names if not re.match(r"https?://|www\.", n)), None)
        ref.in_corpus = corpus.get(ref.id) or next(
            (corpus["title:" + name_key(n)] for n in ref.names if "title:" + name_key(n) in corpus), None)
        ref.places.sort(key=lambda p: (p.doc_id, p.page or 0, p.footnote or 0, p.start or 0))
    return sorted(refs.values(), key=_order)


def _order(ref: Reference) -> tuple:
    numbers = [int(n) for n in re.findall(r"\d+", ref.id)]
    return (KINDS.index(ref.kind) if ref.kind in KINDS else len(KINDS), ref.id.split("-")[0], numbers, ref.id)


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
        return {name_key(n) for n in names} | {a.lower() for n in names for a in re.findall(ABBR.pattern, n)}

    return next((r for r in references if r.id in wanted), None) or next(
        (r for r in references if key and key in keys(r)), None)
