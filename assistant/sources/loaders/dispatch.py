"""Which loader reads a file: the one its suffix, or the format the corpus manifest gives, names.

Whatever the format, an empty file or one without text is refused here with a message naming the file.
"""

from __future__ import annotations

from pathlib import Path

from assistant.sources.loaders.decoding import decode
from assistant.sources.loaders.html import load_html
from assistant.sources.loaders.opendocument import load_odt
from assistant.sources.loaders.pdf import load_pdf, paged, split_pages
from assistant.sources.loaders.plaintext import load_markdown, load_text
from assistant.sources.loaders.rendering import Rendering
from assistant.sources.loaders.word import load_docx
from assistant.types import AssistantError

SUPPORTED = {".pdf", ".html", ".htm", ".txt", ".md", ".markdown", ".docx", ".odt"}


def load(path: Path, fmt: str | None = None) -> Rendering:
    """Read `path` with the loader its suffix (or `fmt`) names."""
    suffix = path.suffix.lower()
    if fmt is None and suffix not in SUPPORTED:
        raise AssistantError(
            f"{path.name}: unsupported file type {suffix or '(none)'}; use one of {', '.join(sorted(SUPPORTED))}"
        )
    fmt = fmt or {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
                  ".docx": "docx", ".odt": "odt"}.get(suffix, "text")
    data = path.read_bytes()
    if not data.strip():
        raise AssistantError(f"{path.name}: empty file")
    if fmt == "pdf":
        rendering = load_pdf(path, data)
    elif fmt == "docx":
        rendering = load_docx(path, data)
    elif fmt == "odt":
        rendering = load_odt(path, data)
    elif fmt == "html":
        rendering = load_html(path, decode(data, path))
    elif fmt == "markdown":
        rendering = load_markdown(path, decode(data, path))
    else:
        text = decode(data, path)
        if fmt == "pdf-text" or "\f" in text:
            rendering = paged(path, "pdf-text", split_pages(text))
        else:
            rendering = load_text(path, text)
    if not any(b.text for b in rendering.blocks):
        raise AssistantError(f"{path.name}: no text found")
    return rendering
