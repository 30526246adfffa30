"""Plain text and Markdown files into blocks.

Markdown says where its headings are; plain text is laid out from its lines alone (`lines`). A Markdown table
(a row of cells between pipes, a row of dashes under its header) becomes one paragraph per row, its cells in
reading order, and is marked as a table, as a PDF's and a web page's are: a row is then a sentence that holds a
figure with what it is of, read under its header.
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


# The row under a table's header: its cells' dashes, aligned by colons ("|---|:--:|", "--- | ---").
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_BORDER = re.compile(r"(?<!\\)\|")  # a pipe that is not escaped ("\|" is a pipe in a cell's text)


def load_markdown(path: Path, text: str) -> Rendering:
    """A Markdown file as blocks: `#` headings with their level, paragraphs split at blank lines and bullets,
    a table's rows one paragraph each."""
    blocks: list[Block] = []
    para: list[str] = []
    lines = clean_text(text).split("\n")
    tables = 0
    in_table = False
    for i, line in enumerate(lines):
        if not in_table and "|" in line and i + 1 < len(lines) and "-" in lines[i + 1] \
                and _DELIMITER_ROW.match(lines[i + 1]) and len(_row(line)) > 1:
            if para:
                blocks.append(Block("para", join_lines(para)))
                para = []
            in_table = True
            tables += 1
        if in_table:
            if "|" in line:
                if not _DELIMITER_ROW.match(line) and (row := " ".join(c for c in _row(line) if c)):
                    blocks.append(Block("para", row, table=tables - 1))
                continue
            in_table = False
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


def _row(line: str) -> list[str]:
    """A table row's cells ("| DigiD | 681 | 742 |" -> "DigiD", "681", "742"), inline markup left as written."""
    cells = [cell.strip().replace("\\|", "|") for cell in _CELL_BORDER.split(line.strip())]
    return cells[1 if line.strip().startswith("|") else 0 : -1 if line.strip().endswith("|") else None]
