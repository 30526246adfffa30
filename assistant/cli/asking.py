"""Asking the documents: `search` for ranked passages, `ask` for one cited answer (or a stream of them as JSON
lines), `chat` for a conversation with follow-up questions."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assistant.cli.options import (
    backend_option,
    documents_option,
    friendly,
    index_option,
    json_option,
    known_documents,
    settings,
)
from assistant.cli.params import IsoDate
from assistant.present import terminal
from assistant.types import AssistantError

if TYPE_CHECKING:
    from assistant.answer.answerer import Answerer, Turn
    from assistant.retrieve import Filters


@click.command()
@click.argument("query")
@click.option("-k", "k", type=click.IntRange(1, 100), default=None, help="Number of passages (default: settings).")
@documents_option
@click.option("--kind", "kinds", multiple=True, help="Only documents of this kind (repeatable).")
@click.option("--since", type=IsoDate(), help="Only documents dated on or after this ISO date.")
@click.option("--until", type=IsoDate(), help="Only documents dated on or before this ISO date.")
@index_option
@json_option("One JSON object per passage.")
@friendly
def search(query: str, k: int | None, doc_ids: tuple[str, ...], kinds: tuple[str, ...], since: str | None,
           until: str | None, index: Path | None, as_json: bool) -> None:
    """Ranked passages for QUERY, with document, section, page and score.

    \b
    Examples:
      assistant search "Basis Data Infrastructuur"
      assistant search "AI in het onderwijs" -k 3 --doc kst-26643-1055 --json
    """
    from assistant.retrieve import Filters, Searcher

    if not query.strip():
        raise click.UsageError("the query is empty")
    searcher = Searcher(settings(index))
    known_documents(searcher.index.documents, doc_ids)
    hits = searcher.search(query, k, Filters(list(doc_ids), list(kinds), since, until))
    terminal.hits([searcher.to_search_hit(rank, hit) for rank, hit in enumerate(hits, 1)], as_json)


def _answerer(backend: str | None, index: Path | None, doc_ids: tuple[str, ...]) -> tuple[Answerer, Filters]:
    """The answerer (models loaded once) and the document filter, checked against the index."""
    from assistant.answer.answerer import Answerer
    from assistant.health import outdated
    from assistant.retrieve import Filters

    answerer = Answerer(settings(index), backend)
    known_documents(answerer.index.documents, doc_ids)
    click.echo(answerer.backend.line, err=True)
    if warning := outdated(answerer.index):
        click.echo(f"warning: {warning}", err=True)
    return answerer, Filters(list(doc_ids))


def _jsonl_request(line: str) -> tuple[str, list[Turn]]:
    """A line is a question, or a JSON object {"question": ..., "history": [{"question", "answer"}, ...]}."""
    from assistant.answer.answerer import Turn

    if not line.lstrip().startswith("{"):
        return line, []
    try:
        data = json.loads(line)
        return str(data["question"]), [Turn(str(t["question"]), str(t.get("answer", "")))
                                       for t in data.get("history", [])]
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise AssistantError(f"not a question object ({exc}): {line.strip()[:80]}") from exc


@click.command()
@click.argument("question", required=False)
@backend_option
@documents_option
@index_option
@json_option("The answer as one JSON object.")
@click.option("--jsonl", is_flag=True, help="Read one question per line from stdin; one JSON object per line.")
@friendly
def ask(question: str | None, backend: str | None, doc_ids: tuple[str, ...], index: Path | None, as_json: bool,
        jsonl: bool) -> None:
    """Answer QUESTION from the documents, with a numbered source for every sentence.

    With --jsonl, a line may also be a JSON object {"question": ..., "history": [{"question": ...,
    "answer": ...}]} to ask a follow-up question.

    \b
    Examples:
      assistant ask "Welk netwerk formuleerde oplossingsrichtingen voor knelpunten?"
      assistant ask "Which institution runs a Centre of Expertise Applied AI?" --json
      printf 'Vraag een\\nVraag twee\\n' | assistant ask --jsonl --backend extractive
    """
    if jsonl == bool(question):
        raise click.UsageError("give a QUESTION, or --jsonl with questions on stdin")
    if question is not None and not question.strip():
        raise click.UsageError("the question is empty")
    answerer, filters = _answerer(backend, index, doc_ids)
    if jsonl:
        for number, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                text, history = _jsonl_request(line)
                click.echo(answerer.ask(text, history, filters).model_dump_json())
            except AssistantError as exc:  # one bad line must not lose the answers to the others
                click.echo(f"error: line {number}: {exc}", err=True)
                click.echo(json.dumps({"question": line.strip(), "error": str(exc)}, ensure_ascii=False))
        return
    if as_json:
        click.echo(answerer.ask(question, (), filters).model_dump_json())
        return
    terminal.streamed_answer(answerer, question, [], filters)


@click.command()
@backend_option
@documents_option
@index_option
@friendly
def chat(backend: str | None, doc_ids: tuple[str, ...], index: Path | None) -> None:
    """A conversation in the terminal: follow-up questions build on the earlier ones.

    Type a question and press Enter; an empty line starts a new conversation; Ctrl-C stops an answer;
    Ctrl-D ends.
    """
    from assistant.answer.answerer import Turn

    answerer, filters = _answerer(backend, index, doc_ids)
    history: list[Turn] = []
    click.echo("Ctrl-D ends", err=True)
    while True:
        try:
            question = input("\n> " if not history else "\n>> ")
        except EOFError:
            return
        if not question.strip():
            if history:
                click.echo("(new conversation)", err=True)
            history = []
            continue
        try:
            answer = terminal.streamed_answer(answerer, question, history, filters)
        except AssistantError as exc:
            click.echo(f"error: {exc}", err=True)
            continue
        except KeyboardInterrupt:  # stops this answer, not the conversation
            click.echo("\n(interrupted)", err=True)
            continue
        history.append(Turn(answer.question, answer.answer))
