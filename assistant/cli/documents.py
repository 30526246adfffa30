"""The documents: `ingest` the corpus, `corpus add` one document (a file or a cited publication), list the indexed
`docs`, and the `refs` they cite."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from assistant.cli.options import friendly, index_option, json_option, settings
from assistant.cli.params import DocumentId
from assistant.enrich.refs import KINDS
from assistant.present import terminal


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--corpus", type=click.Path(path_type=Path), help="Corpus directory (default: settings).")
@index_option
@click.option("--rebuild", is_flag=True, help="Ignore the existing index and build a new one from scratch.")
@friendly
def ingest(paths: tuple[Path, ...], corpus: Path | None, index: Path | None, rebuild: bool) -> None:
    """Index the corpus; only new or changed documents are read and embedded.

    Files given as PATHS are first copied into the corpus directory.

    \b
    Examples:
      assistant ingest
      assistant ingest ~/Downloads/werkagenda.pdf
      assistant ingest --rebuild
    """
    from rich.console import Console

    from assistant.ingest import ingest as run_ingest

    chosen = settings(index, corpus)
    console = Console(stderr=True)
    with _pages_progress(console) as progress:
        report = run_ingest(chosen, list(paths), rebuild=rebuild, progress=progress)
    terminal.ingest_report(report, chosen.index_dir, console)
    if report.failed:
        sys.exit(1)


@contextmanager
def _pages_progress(console: Any) -> Iterator[Callable[[str, int, int], None]]:
    """Ingest's progress as a user can plan by: documents done, pages done of all and per second, and the time
    left at that pace (embedding, nearly all of an ingest, goes page by page)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("pages"),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("reading the corpus", total=None, rate="")

        def update(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)
            speed = bar.tasks[0].speed
            bar.update(task, rate=f"{speed:.1f}/s" if speed else "")

        yield update


@click.group()
def corpus() -> None:
    """Add documents to the corpus: a local file with its metadata, or a cited publication by its id."""


@corpus.command("add")
@click.argument("source")
@click.option("--id", "doc_id", help="Document id (default: from the file name).")
@click.option("--title", help="Title (default: the file's own: its metadata or first heading, else its name).")
@click.option("--kind", help="Kamerbrief, strategie, rapport, motie, ... (default: from an official head).")
@click.option("--date", help="Date of the document, YYYY-MM-DD (default: the file's metadata or first date).")
@click.option("--identifier", help='Official identifier, e.g. "Kamerstukken II 2022/23, 26 643, nr. 940".')
@click.option("--url", help="Where the official publication is.")
@friendly
def corpus_add(source: str, doc_id: str | None, title: str | None, kind: str | None, date: str | None,
               identifier: str | None, url: str | None) -> None:
    """Add SOURCE to the corpus and index it. SOURCE is a PDF, HTML, text, Markdown, Word (.docx) or
    OpenDocument (.odt) file, or the id of a cited official publication (see `assistant refs --missing`), which
    is downloaded when a network is available.

    \b
    Examples:
      assistant corpus add ~/Downloads/werkagenda.pdf --id kst-26643-940 --title "Werkagenda" --date 2022-11-04
      assistant corpus add kst-26643-940
    """
    from assistant.ingest import add_document, add_reference

    chosen = settings()
    path = Path(source).expanduser()
    if path.exists():
        result = add_document(chosen, path, doc_id, title=title, kind=kind, date=date, identifier=identifier,
                              url=url)
    else:
        if any((doc_id, title, kind, date, identifier, url)):
            raise click.UsageError(f"{source}: no such file (the metadata options are for files)")
        result = add_reference(chosen, source)
    click.echo(f"{result.doc_id}: {result.status}, {result.pages} pages, {result.chunks} chunks")


@click.command()
@index_option
@json_option("One JSON object per document.")
@friendly
def docs(index: Path | None, as_json: bool) -> None:
    """List indexed documents with their metadata (inferred fields are marked *)."""
    from assistant.index import Index

    terminal.documents(Index.open(settings(index)).documents, as_json)


def _references(index: Path | None) -> tuple[Any, list[Any]]:
    """The opened index and every reference its documents cite."""
    from assistant.index import Index

    idx = Index.open(settings(index))
    return idx, idx.references()


@click.group(invoke_without_command=True)
@click.option("--doc", "doc_id", type=DocumentId(), help="Only references cited by this document.")
@click.option("--kind", type=click.Choice(KINDS), help="Only references of this kind.")
@click.option("--missing", is_flag=True, help="Only references whose document is not in the corpus.")
@index_option
@json_option("One JSON object per reference.")
@click.pass_context
@friendly
def refs(ctx: click.Context, doc_id: str | None, kind: str | None, missing: bool, index: Path | None,
         as_json: bool) -> None:
    """The references the documents cite (Kamerstukken, motions, reports, strategies, EU acts, web addresses),
    each once, with how often and where it is cited and whether it is in the corpus.

    \b
    Examples:
      assistant refs
      assistant refs --kind motie
      assistant refs --missing --json
      assistant refs show kst-26643-940
    """
    if ctx.invoked_subcommand is not None:
        return
    idx, found = _references(index)
    if doc_id and doc_id not in idx.documents:
        raise click.ClickException(f"unknown document id {doc_id}; see `assistant docs`")
    shown = [r for r in found if (not kind or r.kind == kind) and (not missing or not r.in_corpus)
             and (not doc_id or any(p.doc_id == doc_id for p in r.places))]
    terminal.references(shown, doc_id, as_json)


@refs.command("show")
@click.argument("ref_id")
@index_option
@json_option("The reference as one JSON object.")
@friendly
def refs_show(ref_id: str, index: Path | None, as_json: bool) -> None:
    """One reference with every sentence that cites it. REF_ID is an id, an identifier or a name as cited.

    \b
    Examples:
      assistant refs show kst-26643-940
      assistant refs show "26 643, nr. 940"
      assistant refs show "Werkagenda Waardengedreven Digitaliseren"
    """
    from assistant.enrich.refs import find

    _, found = _references(index)
    ref = find(found, ref_id)
    if ref is None:
        raise click.ClickException(f"no reference {ref_id!r} is cited; see `assistant refs`")
    if as_json:
        click.echo(ref.model_dump_json())
        return
    terminal.reference(ref)
