"""The overview for readers: an onboarding briefing (Markdown or HTML) and each section's quoted summary put
into one verified sentence by the answer model."""

from __future__ import annotations

import hashlib
import json
import re
import time
from typing import Any

from langchain_core.messages import HumanMessage

from assistant.answer import cite
from assistant.enrich.overview import Overview
from assistant.models import prompts
from assistant.models.embeddings import texts_alike
from assistant.text.normalize import language_of
from assistant.types import Span


def condense(view: Overview, settings: Any, backend: Any, ask: bool = True) -> tuple[Overview, int]:
    """Put each section's quoted summary into one sentence with the answer model, kept only where it verifies
    against those quotes as an answer's sentences must (its numbers, words and their order), is one sentence
    and is shorter than the quotes: a model adds no claim and no memory of its own.

    Every outcome, also a draft that did not verify, is kept per model in `<index>/condensed/`, so a section is
    asked once per model; with `ask` False only kept outcomes are applied (the web page never waits for a
    model). Returns a condensed copy of `view` and how many sections were asked now.
    """
    if backend.chat is None:
        return view, 0
    view = view.model_copy(deep=True)  # the index keeps one view per process, for every backend
    path = settings.index_dir / "condensed" / f"{re.sub(r'[^A-Za-z0-9._-]+', '-', backend.model or 'model')}.json"
    kept: dict[str, str | None] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    asked = 0
    for section in (s for d in view.documents for s in d.sections if s.summary):
        quotes = [" ".join(c.quote.split()) for c in section.summary]
        key = hashlib.sha256("\n".join(quotes).encode()).hexdigest()[:24]
        if key not in kept:
            if not ask:
                continue
            language = language_of(" ".join(quotes))
            sources = "\n".join(f"[{i}] {q}" for i, q in enumerate(quotes, 1))
            prompt = prompts.render(prompts.load(settings.prompts_dir, "summary", language), sources=sources)
            draft = str(backend.chat.invoke([HumanMessage(prompt)]).content)
            result = cite.verify(draft, quotes, "", min_support=settings.answer.min_support,
                                 min_pair_support=settings.answer.min_pair_support, language=language,
                                 words_alike=texts_alike(settings),
                                 min_word_similarity=settings.answer.min_word_similarity)
            claim = result.claims[0].text if len(result.claims) == 1 and not result.removed else None
            good = claim and len(claim) < len(" ".join(quotes)) and language_of(claim) == language
            kept[key] = claim if good else None
            asked += 1
        if kept[key]:
            section.condensed, section.condensed_by = kept[key], backend.model
    if asked:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(kept, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    return view, asked


def briefing(overview: Overview, fmt: str = "md") -> str:
    """The overview as an onboarding briefing (Markdown or HTML), every line with its source, and a reference
    list of the documents at the end."""
    notes: list[Span] = []

    def cite(c: Span) -> str:
        notes.append(c)
        return f"[{len(notes)}]"

    lines = ["# Overzicht / Overview", ""]
    for d in overview.documents:
        lines += [f"## {d.title}", f"{d.identifier or d.doc_id}" + (f", {d.date}" if d.date else ""), ""]
        for s in d.sections:
            depth = "#" * min(2 + len(s.path), 6)
            lines.append(f"{depth} {' › '.join(s.path[-1:])}")
            marks = [cite(c) for c in s.summary]  # the condensed sentence points to the quotes below it
            if s.condensed:
                lines.append(f"{s.condensed} ({s.condensed_by}, {', '.join(marks)})")
            lines += [f"> {' '.join(c.quote.split())} {m}" for c, m in zip(s.summary, marks, strict=True)] + [""]
    lines += ["## Begrippen en afkortingen / Glossary", ""]
    for e in overview.glossary:
        if e.kind == "abbreviation" and e.defined_at:
            lines.append(f"- **{e.term}**: {e.expansion} {cite(e.defined_at[0])}" + (" ⚠" if e.conflict else ""))
        elif e.kind == "abbreviation":
            lines.append(f"- **{e.term}**: " + (f"{e.expansion} (niet uit de documenten / not from the documents)"
                                                  if e.expansion else "(niet uitgeschreven / not written out)"))
        else:
            lines.append(f"- **{e.term}**: “{' '.join((e.expansion or '').split())}” {cite(e.defined_at[0])}")
    lines += ["", "## Tijdlijn / Timeline", ""]
    for t in overview.timeline:
        mark = (" (afgeleid / resolved)" if t.resolved else "") + (
            "" if t.current else " (niet meer actueel / no longer current)")
        lines.append(f"- **{t.when}**{mark} — {t.status}: “{' '.join(t.cited.quote.split())}” {cite(t.cited)}")
    lines += ["", "## Wie is wie / Who is who", ""]
    for a in overview.actors:
        role = f": “{' '.join(a.roles[0].quote.split())}” {cite(a.roles[0])}" if a.roles else ""
        alias = f" ({', '.join(a.aliases)})" if a.aliases else ""
        lines.append(f"- **{a.name}**{alias}{role}")
    lines += ["", "## Bronnen / Sources", ""]
    titles = {d.doc_id: f"{d.title} ({d.identifier or d.doc_id})" for d in overview.documents}
    for n, c in enumerate(notes, 1):
        where = ", ".join(x for x in (titles.get(c.doc_id, c.doc_id), f"p. {c.page}" if c.page else "",
                                      f"voetnoot {c.footnote}" if c.footnote else "", c.section) if x)
        lines.append(f"{n}. {where}")
    text = "\n".join(lines) + "\n"
    if fmt == "md":
        return text
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).render(text)
    return (f"<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Overzicht</title></head>"
            f"<body>{body}<p><small>{time.strftime('%Y-%m-%d')}</small></p></body></html>\n")
