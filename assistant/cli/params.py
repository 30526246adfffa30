"""How the commands read their arguments: dates, document ids and directories, checked by click before a command
runs, so that a mistyped value is a usage error that names the option."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

INDEX_DIRECTORY = click.Path(path_type=Path)

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class IsoDate(click.ParamType):
    """A date as the documents' metadata writes it: YYYY-MM-DD, or a whole month or year (YYYY-MM, YYYY)."""

    name = "text"  # the help's metavar: a year or a month is as good as a day

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """The date as given, when it is one that exists."""
        text = str(value)
        if _ISO_DATE.match(text):
            year, month, day = [*text.split("-"), "01", "01"][:3]
            try:
                datetime.date(int(year), int(month), int(day))
                return text
            except ValueError:
                pass
        self.fail(f"{text!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY", param, ctx)


class DocumentId(click.ParamType):
    """The id of an indexed document (as `assistant docs` lists it); the shell completes it from the index."""

    name = "text"

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        """The indexed ids that start with what is typed so far (none when there is no index yet)."""
        from assistant.config import Settings
        from assistant.index import Index
        from assistant.types import AssistantError

        index = ctx.params.get("index")
        try:
            ids = Index.open(Settings(**({"index_dir": index} if index else {}))).documents
        except (AssistantError, ValueError):
            return []
        return [CompletionItem(doc_id) for doc_id in sorted(ids) if doc_id.startswith(incomplete)]
