"""What the `assistant` command prints: answers with their numbered sources (streamed on a terminal), search hits,
documents, references, the overview, index health and progress, as plain lines, rich tables or JSON lines.

Results go to stdout and everything about the run (progress, notes, counts, errors) to stderr, so that the output
can be piped. Nothing here reads arguments or decides what to compute: the commands do that.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.types import Answer, SearchHit, harmless

if TYPE_CHECKING:
    from pathlib import Path

    from assistant.answer.answerer import Answerer, Turn
    from assistant.config import Settings
    from assistant.enrich.overview import GlossaryEntry, Overview, TimelineEvent
    from assistant.enrich.refs import Reference
    from assistant.health import Health
    from assistant.ingest import IngestReport
    from assistant.models.servers import Probe
    from assistant.retrieve import Filters
    from assistant.types import Span

_LANGUAGES = {"nl": "Dutch", "en": "English"}  # a document's language, as `docs` names it


@contextmanager
def progress(first: str, console: Console | None = None) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr that disappears when done; yields its update function (what, done, total)."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console or Console(stderr=True), transient=True) as bar:
        task = bar.add_task(first, total=None)

        def update(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        yield update


def table(title: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A table of results on stdout."""
    shown = Table(title=title)
    for column in header:
        shown.add_column(column)
    for row in rows:
        shown.add_row(*row)
    Console().print(shown)


def notices(lines: Iterable[str]) -> None:
    """Notes about the run (a backend that fell back, a model that is missing) on stderr."""
    for notice in lines:
        click.echo(f"note: {notice}", err=True)


def _where(place: Any, with_section: bool = True) -> str:
    """Where a quote stands: document, page, footnote and (for citations and references) section."""
    return ", ".join(x for x in (place.doc_id, f"p. {place.page}" if place.page else "",
                                 f"voetnoot {place.footnote}" if place.footnote else "",
                                 place.section if with_section else "") if x)


def _quoted(text: str) -> str:
    return f"«{' '.join(text.split())}»"


# -- ingest and index health ---------------------------------------------------------------------------------

def ingest_report(report: IngestReport, index_dir: Path, console: Console) -> None:
    """Per document what ingest did, the totals, what it repaired and what failed."""
    shown = Table(title=f"Ingest into {index_dir} ({report.generation})")
    for column in ("document", "file(s)", "status", "pages", "chunks", "note"):
        shown.add_column(column)
    for r in report.results:
        style = {"failed": "red", "skipped": "yellow"}.get(r.status)
        shown.add_row(r.doc_id or "", harmless(r.name), r.status, str(r.pages or ""), str(r.chunks or ""), r.message,
                      style=style)
    console.print(shown)
    docs = report.count("added", "updated", "unchanged")
    console.print(
        f"{docs} documents, {sum(r.pages for r in report.results)} pages, "
        f"{sum(r.chunks for r in report.results if r.status != 'removed')} chunks "
        f"({report.embedded} embedded), {report.count('skipped')} skipped, {len(report.failed)} failed, "
        f"{report.seconds:.1f} s"
    )
    for what in report.repaired:
        click.echo(f"repaired: {what}", err=True)
    failures(report)


def failures(report: IngestReport) -> None:
    """The files ingest could not read, with why, on stderr."""
    for r in report.failed:
        click.echo(f"error: {harmless(r.name)}: {r.message}", err=True)


def indexing(report: IngestReport, console: Console) -> None:
    """The one-line summary of the ingest `serve` runs before it starts, and its failures."""
    console.print(f"index {report.generation}: {report.count('added', 'updated', 'unchanged')} documents, "
                  f"{len(report.failed)} failed, {report.seconds:.1f} s")
    failures(report)


def health(found: Health | None, now: Health) -> None:
    """What `doctor` found (and, after a repair, what it found before), then the index's state in one line."""
    for p in found.problems if found else ():
        click.echo(f"found: {p.doc_id + ': ' if p.doc_id else ''}{p.what}", err=True)
    for p in now.problems:
        click.echo(f"problem: {p.doc_id + ': ' if p.doc_id else ''}{p.what}")
    for doc_id in now.pending:
        click.echo(f"not indexed yet: {doc_id} (run `assistant ingest`)")
    state = "consistent" if now.ok else f"{len(now.problems)} problem(s)"
    click.echo(f"index {now.generation}: {now.documents} documents, {now.chunks} chunks, {state}")


def servers(ollama: Probe, openai: Probe, settings: Settings) -> None:
    """Which model servers can write answers, with the models they have; and what `auto` picks from them."""
    for name, probe in (("Ollama", ollama), ("OpenAI-compatible server", openai)):
        if probe.problem is None:
            click.echo(f"{name} at {probe.url}: ready; models: {', '.join(probe.models)}")
        else:
            click.echo(probe.problem)
    picked = "ollama" if ollama.problem is None else "openai" if openai.problem is None else "extractive"
    click.echo(f"backend: {settings.llm.backend}" + (f" (picks {picked})" if settings.llm.backend == "auto" else ""))


# -- search and answers --------------------------------------------------------------------------------------

def hits(results: list[SearchHit], as_json: bool) -> None:
    """Ranked passages: a heading with title, pages and score, where it stands, and the start of its text."""
    for result in results:
        if as_json:
            click.echo(json.dumps(result.model_dump(), ensure_ascii=False))
            continue
        pages = ", ".join(map(str, result.pages)) or "-"
        click.secho(f"[{result.rank}] {result.title} — p. {pages} — score {result.score:.4f}", bold=True)
        click.echo(f"    {result.identifier or result.doc_id} › {' › '.join(result.section) or '(opening)'}")
        click.echo("    " + " ".join(result.text.split())[:600])
        click.echo()
    if not results:
        click.echo("no passages found", err=True)


def answer(verified: Answer, streamed: bool) -> None:
    """The answer (unless it was streamed and verification left it as it was) and its numbered sources."""
    notices(verified.notices)
    if not streamed:
        click.echo(verified.answer)
    sources = verified.citations or verified.related
    if sources:
        heading = "Bronnen" if verified.language == "nl" else "Sources"
        if verified.abstained:
            heading = "Misschien verwant" if verified.language == "nl" else "Maybe related"
        click.secho(f"\n{heading}:", bold=True)
    for c in sources:
        where = ", ".join(x for x in (c.identifier or c.doc_id, f"p. {c.page}" if c.page else "",
                                      f"voetnoot {c.footnote}" if c.footnote else "", c.section) if x)
        click.echo(f"[{c.n}] {c.title} ({where})")
        click.echo(f"    {_quoted(c.quote)}")
        if c.table_header:  # a row's figures are read under its table's header
            click.echo(f"    ({'in de tabel onder' if verified.language == 'nl' else 'in the table under'}: "
                       f"{_quoted(c.table_header)})")
    if verified.references:
        click.secho("\nGenoemde documenten:" if verified.language == "nl" else "\nDocuments referred to:", bold=True)
    for r in verified.references:
        click.echo("- " + " — ".join(x for x in (r.title, r.identifier, r.url) if x))


def streamed_answer(answerer: Answerer, question: str, history: list[Turn], filters: Filters) -> Answer:
    """On a terminal, show the model's words as they come, then the answer as verified against the sources."""
    live = sys.stdout.isatty()
    draft = []
    for event in answerer.stream(question, history, filters):
        if isinstance(event, Answer):
            if draft:
                click.echo()
            changed = "".join(draft).strip() != event.answer
            if draft and changed:
                click.secho("Na controle tegen de bronnen:" if event.language == "nl"
                            else "Checked against the sources:", bold=True)
            answer(event, streamed=bool(draft) and not changed)
            return event
        if live:
            draft.append(event)
            click.echo(event, nl=False)
    raise AssertionError("the answer stream ended without an answer")


# -- documents and references --------------------------------------------------------------------------------

def documents(indexed: dict[str, Any], as_json: bool) -> None:
    """Each indexed document with its metadata, inferred fields marked *."""
    for doc_id, d in sorted(indexed.items()):
        meta = d["meta"]
        if as_json:
            click.echo(json.dumps({**meta, "pages": d.get("pages"), "chunks": len(d["chunk_ids"])},
                                  ensure_ascii=False))
            continue
        mark = {k: "*" if k in meta["inferred"] else "" for k in ("title", "date", "identifier", "kind", "language")}
        click.secho(f"{doc_id}  {meta['title']}{mark['title']}", bold=True)
        click.echo(f"    {meta['kind']}{mark['kind']}, {_LANGUAGES.get(meta['language'], meta['language'])}"
                   f"{mark['language']}, {meta['date'] or 'undated'}{mark['date']}, "
                   f"{meta['identifier'] or 'no identifier'}{mark['identifier']}, status {meta['status']}; "
                   f"{d.get('pages', 0)} pages, {len(d['chunk_ids'])} chunks; files: {', '.join(meta['files'])}")


def references(shown: list[Reference], doc_id: str | None, as_json: bool) -> None:
    """Each reference once, with how often and where it is cited (in `doc_id` only, when given), then the count."""
    for ref in shown:
        places = [p for p in ref.places if not doc_id or p.doc_id == doc_id]
        if as_json:
            click.echo(json.dumps({**ref.model_dump(exclude={"places"}), "cited": len(places),
                                   "places": [p.model_dump() for p in places]}, ensure_ascii=False))
            continue
        click.secho(f"{ref.id}  [{ref.kind}]  {ref.title or ''}" + (f" ({ref.date})" if ref.date else ""), bold=True)
        pages = sorted({p.page for p in places if p.page})
        notes = sorted({p.footnote for p in places if p.footnote})
        found_at = [f"p. {', '.join(map(str, pages))}"] if pages else []  # a page-less file gives none
        found_at += [f"voetnoot {', '.join(map(str, notes))}"] if notes else []
        where = f"cited {len(places)}×" + (f" ({'; '.join(found_at)})" if found_at else "")
        status = f"in corpus: {ref.in_corpus}" if ref.in_corpus else "cited, not in corpus"
        line = " · ".join(x for x in (ref.identifier, where, status, ref.url) if x)
        click.echo(f"    {line}")
        if ref.flags:
            click.secho(f"    as cited: {', '.join(ref.flags)} (kept as written)", fg="yellow")
    if not as_json:
        click.echo(f"{len(shown)} references", err=True)


def reference(ref: Reference) -> None:
    """One reference in full: its particulars, whether it is in the corpus, and every sentence that cites it."""
    click.secho(f"{ref.id}  [{ref.kind}]  {ref.title or ''}", bold=True)
    for label, value in (("identifier", ref.identifier), ("date", ref.date), ("official", ref.url),
                         ("as cited", "; ".join(ref.names)), ("problems", ", ".join(ref.flags))):
        if value:
            click.echo(f"  {label:10} {value}")
    click.echo(f"  {'corpus':10} {ref.in_corpus or 'cited, not in corpus; add it with: ' + ref.missing_hint}")
    click.secho(f"\nCited {len(ref.places)}×:", bold=True)
    for place in ref.places:
        click.echo(f"- {_where(place)}")
        click.echo(f"    {_quoted(place.quote)}")


# -- the overview --------------------------------------------------------------------------------------------

def _cited(c: Span) -> str:
    return _where(c, with_section=False)


def overview(view: Overview) -> None:
    """Each document's sections with their quoted (or condensed) summaries, then how much the rest lists."""
    for d in view.documents:
        click.secho(f"{d.title}", bold=True)
        click.echo(f"{d.identifier or d.doc_id}" + (f", {d.date}" if d.date else "")
                   + (" (no headings: mapped by pages)" if d.by_pages else ""))
        for s in d.sections:
            pages = f"  (p. {s.pages[0]}" + (f"–{s.pages[-1]}" if len(s.pages) > 1 else "") + ")" if s.pages else ""
            click.echo(f"{'  ' * len(s.path)}{s.path[-1]}{pages}")  # a web page or a Word file has no pages
            if s.condensed:
                click.echo(f"{'  ' * len(s.path)}  {s.condensed} ({s.condensed_by})")
            for c in s.summary:
                click.echo(f"{'  ' * len(s.path)}  {_quoted(c.quote)} ({_cited(c)})")
        click.echo()
    click.echo(f"{len(view.glossary)} terms and abbreviations (`assistant glossary`), {len(view.timeline)} dated "
               f"events (`assistant timeline`), {len(view.actors)} organisations and office holders "
               "(`assistant overview --json`, the briefing)", err=True)


def condensed(view: Overview, model: str | None, asked: int) -> None:
    """How many section summaries the model put into one verified sentence."""
    made = sum(bool(s.condensed) for d in view.documents for s in d.sections)
    total = sum(bool(s.summary) for d in view.documents for s in d.sections)
    click.echo(f"{made} of {total} summaries condensed by {model} ({asked} asked now; the rest did "
               "not verify and stay quoted)", err=True)


def glossary(entries: list[GlossaryEntry], as_json: bool) -> None:
    """Each term with its meaning and where it is defined, or where it is used when the documents never say."""
    for e in entries:
        if as_json:
            click.echo(e.model_dump_json())
            continue
        if e.defined_at:
            conflict = "  ⚠ defined differently elsewhere" if e.conflict else ""
            meaning = e.expansion if e.kind == "abbreviation" else _quoted(e.expansion or "")
            click.echo(f"{e.term}: {meaning}  ({_cited(e.defined_at[0])}){conflict}")
        elif e.expansion:
            click.echo(f"{e.term}: {e.expansion}  (not from the documents; used at {_cited(e.used_at[0])})")
        else:
            click.echo(f"{e.term}: (never written out; used at {_cited(e.used_at[0])})")


def timeline(events: list[TimelineEvent], as_json: bool) -> None:
    """Dated events in time order, each with its status and sentence, their dates in one column (a period of
    days, "2024-01-01/2024-12-31", is the widest)."""
    width = max((len(e.when) for e in events), default=0)
    for e in events:
        if as_json:
            click.echo(e.model_dump_json())
            continue
        resolved = f" (from “{e.as_written}”)" if e.resolved else ""
        old = "" if e.current else " — no longer current"
        click.echo(f"{e.when:{width}} {e.status:8} {_quoted(e.cited.quote)} ({_cited(e.cited)}){resolved}{old}")
