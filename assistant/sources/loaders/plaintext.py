"""Plain text and Markdown files into blocks.

Markdown says where its headings are; plain text is laid out from its lines alone (`lines`).
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.sources.loaders.decoding import clean_text
from assistant.sources.loaders.lines import BULLET, blocks_from_lines, join_lines
from assistant.sources.loaders.rendering import Block, Rendering, text_metadata


def load_text(path: Path, text: str) -> Rendering:
    """A plain text file as blocks, headings and paragraphs inferred from its lines."""
    lines = clean_text(text).split("\n")
    rendering = Rendering(path, "text", blocks_from_lines(lines, None))
    text_metadata(rendering)
    return rendering


def load_markdown(path: Path, text: str) -> Rendering:
    """A Markdown file as blocks: `#` headings with their level, paragraphs split at blank lines and bullets."""
    blocks: list[Block] = []
    para: list[str] = []
    for line in clean_text(text).split("\n"):
        m = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)
        if m or not line:
            if para:
                blocks.append(Block("para", join_lines(para)))
                para = []
            if m:
                blocks.append(Block("heading", m.group(2), level=len(m.group(1))))
            continue
        if BULLET.match(line) and para:
            blocks.append(Block("para", join_lines(para)))
            para = []
        para.append(line)
    if para:
        blocks.append(Block("para", join_lines(para)))
    rendering = Rendering(path, "markdown", blocks)
    text_metadata(rendering)
    return rendering
