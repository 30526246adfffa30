"""What the commands share: their common options (each defined once, so its name, help and default are the
same everywhere), the settings they run with, and how an error the user can act on is reported."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from assistant.cli.params import INDEX_DIRECTORY, DocumentId
from assistant.config import BACKENDS, Settings
from assistant.types import AssistantError

F = TypeVar("F", bound=Callable[..., Any])

index_option = click.option("--index", type=INDEX_DIRECTORY, help="Index directory (default: settings).")

backend_option = click.option(
    "--backend", type=click.Choice(BACKENDS), default=None,
    help="Who writes the answer (default: settings, `auto`): an Ollama model, a model on an OpenAI-compatible "
    "server, the embedded model, or `extractive`, which quotes the best supporting sentences.",
)

documents_option = click.option("--doc", "doc_ids", type=DocumentId(), multiple=True,
                                help="Only this document id (repeatable).")


def json_option(prints: str) -> Callable[[F], F]:
    """`--json`, with what it prints as its help."""
    return click.option("--json", "as_json", is_flag=True, help=prints)


def settings(index: Path | None = None, corpus: Path | None = None) -> Settings:
    """The settings (file, environment), with the index and corpus directories given on the command line."""
    overrides: dict[str, Any] = {}
    if index is not None:
        overrides["index_dir"] = index
    if corpus is not None:
        overrides["corpus_dir"] = corpus
    try:
        return Settings(**overrides)
    except Exception as exc:  # pydantic's ValidationError lists every bad setting
        raise click.ClickException(f"invalid settings: {exc}") from exc


def known_documents(indexed: dict[str, Any], doc_ids: tuple[str, ...]) -> None:
    """Refuse document ids the index does not have."""
    unknown = [d for d in doc_ids if d not in indexed]
    if unknown:
        raise click.ClickException(f"unknown document id(s): {', '.join(unknown)}; see `assistant docs`")


def friendly(func: F) -> F:
    """Errors the user can act on become one clear line and exit code 1, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AssistantError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]
