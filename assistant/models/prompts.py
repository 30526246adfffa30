"""Prompt templates, kept as files in `prompts/` so they can be read and changed without touching code.

A template is `<name>.<language>.txt` (or `<name>.txt` for every language) with `{placeholders}` filled by
`render`; values are inserted as they are, so braces or instructions inside a document stay plain text.
"""

from __future__ import annotations

from pathlib import Path
from string import Formatter

from assistant.types import AssistantError

PLACEHOLDERS = {"system": set(), "answer": {"question", "sources"}, "condense": {"previous", "question"},
                "summary": {"sources"}}


def load(prompts_dir: Path, name: str, language: str) -> str:
    """The template `name` for `language`, checked to use exactly the placeholders the pipeline fills."""
    for path in (prompts_dir / f"{name}.{language}.txt", prompts_dir / f"{name}.txt"):
        if path.is_file():
            template = path.read_text(encoding="utf-8").strip()
            break
    else:
        raise AssistantError(f"prompt {name!r} for language {language!r} not found in {prompts_dir}")
    try:
        parsed = [(f, spec, conversion) for _, f, spec, conversion in Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise AssistantError(f"prompt {path}: {exc} (write a literal brace as {{{{ or }}}})") from exc
    if any(spec or conversion for _, spec, conversion in parsed):
        raise AssistantError(f"prompt {path}: placeholders take no conversion or format (write {{question}})")
    fields = {f for f, _, _ in parsed}
    if fields != PLACEHOLDERS[name]:
        want = ", ".join(f"{{{f}}}" for f in sorted(PLACEHOLDERS[name])) or "none"
        raise AssistantError(f"prompt {path} uses placeholders {sorted(fields)}; it must use {want}")
    return template


def render(template: str, **values: str) -> str:
    return template.format_map(values)
