"""The lay of the land before a first question: the `overview` of each document (or a briefing file), the
`glossary` of terms and abbreviations, and the `timeline` of dated events."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from assistant.cli.options import backend_option, friendly, index_option, json_option, settings
from assistant.cli.params import DocumentId
from assistant.present import terminal

if TYPE_CHECKING:
    from assistant.enrich.overview import Overview


def _overview(index: Path | None) -> Overview:
    """The overview stored with the index."""
    from assistant.index import Index

    view = Index.open(settings(index)).overview()
    if view.outdated:
        click.echo(f"left out, made by an earlier version: {', '.join(view.outdated)}; run `assistant ingest` "
                   "to make their overview again", err=True)
    return view


def _about(view: Overview, doc_id: str) -> Overview:
    """The part of the overview that concerns one document."""
    if doc_id not in {d.doc_id for d in view.documents}:
        raise click.ClickException(f"unknown document id {doc_id}; see `assistant docs`")
    return view.model_copy(update={
        "documents": [d for d in view.documents if d.doc_id == doc_id],
        "glossary": [e for e in view.glossary if any(c.doc_id == doc_id for c in e.defined_at + e.used_at)],
        "timeline": [e for e in view.timeline if e.cited.doc_id == doc_id],
        "actors": [a for a in view.actors if any(c.doc_id == doc_id for c in a.roles)],
    })


@click.command()
@click.option("--doc", "doc_id", type=DocumentId(), help="Only this document.")
@index_option
@json_option("The whole overview as one JSON object.")
@click.option("--export", "export", type=click.Path(path_type=Path),
              help="Write a briefing for an onboarding pack: FILE.md (Markdown) or FILE.html.")
@click.option("--condense", is_flag=True,
              help="Let the answer model put each summary into one sentence, kept where it verifies.")
@backend_option
@friendly
def overview(doc_id: str | None, index: Path | None, as_json: bool, export: Path | None, condense: bool,
             backend: str | None) -> None:
    """The lay of the land before a first question: each document's sections with a quoted summary, and how
    many terms, dates and organisations `glossary`, `timeline` and the briefing list.

    \b
    Examples:
      assistant overview
      assistant overview --doc kst-26643-1055 --json
      assistant overview --export briefing.html
      assistant overview --condense --backend ollama
    """
    from assistant.models.llm import get_backend
    from assistant.present.briefing import briefing
    from assistant.present.briefing import condense as condensed

    view = _overview(index)
    configured = settings(index)
    chosen = get_backend(configured, backend)
    if condense and chosen.chat is None:
        raise click.UsageError("--condense needs a model: use --backend ollama, openai or embedded")
    view, asked = condensed(view, configured, chosen, ask=condense)
    if condense:
        terminal.condensed(view, chosen.model, asked)
    if doc_id:
        view = _about(view, doc_id)
    if export is not None:
        suffix = export.suffix.lower()
        if suffix not in {".md", ".html", ".htm"}:
            raise click.UsageError("--export FILE must end in .md or .html")
        export.write_text(briefing(view, "md" if suffix == ".md" else "html"), encoding="utf-8")
        click.echo(f"briefing written to {export}", err=True)
        return
    if as_json:
        click.echo(view.model_dump_json())
        return
    terminal.overview(view)


@click.command()
@index_option
@json_option("One JSON object per term.")
@friendly
def glossary(index: Path | None, as_json: bool) -> None:
    """Abbreviations and terms the documents define, with the defining sentence; abbreviations they use
    without writing out, with an expansion from a curated list marked as not from the documents."""
    terminal.glossary(_overview(index).glossary, as_json)


@click.command()
@index_option
@json_option("One JSON object per event.")
@friendly
def timeline(index: Path | None, as_json: bool) -> None:
    """Dated events and commitments in time order, each with its sentence; relative times ("eind dit jaar")
    are resolved against the document's date and marked so."""
    terminal.timeline(_overview(index).timeline, as_json)
