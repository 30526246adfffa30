"""Plain text and Markdown files into blocks.

Markdown is parsed by markdown-it-py (CommonMark, with GitHub's tables): it says where the headings are (`#` and
underlined), what a list item, a quotation and a code block are. Plain text is laid out from its lines alone
(`lines`), its tables from the tabs or runs of spaces between their cells. A table becomes one paragraph per row,
its cells in reading order, marked as a table, as a PDF's and a web page's are: a row is then a sentence that
holds a figure with what it is of, read under its header row. The text stays as written (inline markup
included), so quotes can be found in the file.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from pathlib import Path

from assistant.sources.loaders.decoding import clean_text
from assistant.sources.loaders.html import fragment_blocks
from assistant.sources.loaders.lines import blocks_from_lines, join_lines, layout
from assistant.sources.loaders.rendering import Block, Rendering, text_metadata
from assistant.text import rules

_CELL_GAP = rules.rule("layout", "cell-gap")
_CELL_WORDS = 4  # most words a table's cells hold on average
_FRONT_MATTER_LINES = 200  # where a Markdown file's front matter must have closed


def load_text(path: Path, text: str) -> Rendering:
    """A plain text file as blocks, headings and paragraphs inferred from its lines, and each table (`_tables`)
    one paragraph per row, marked as a table whose first row is its header."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = clean_text(text).split("\n")  # line for line the raw ones, its spaces made one
    laid_out = layout(lines)
    blocks: list[Block] = []
    done = 0
    for number, (first, end) in enumerate(_tables(raw)):
        blocks += blocks_from_lines(lines[done:first], None, laid_out)
        blocks += [Block("para", " ".join(clean_text(cell) for cell in _cells(line)), table=number)
                   for line in raw[first:end]]
        done = end
    rendering = Rendering(path, "text", blocks + blocks_from_lines(lines[done:], None, laid_out))
    text_metadata(rendering)
    return rendering


def _tables(raw: list[str]) -> list[tuple[int, int]]:
    """The line ranges of a text file's tables: three or more lines in a row, none blank, whose cells (parted by
    a tab or a run of spaces, `layout.cell-gap`) come in the same number, two or more, and are short (a few words
    each, as a table's are; prose with two spaces after a full stop has long ones). The header row may lack the
    first cell (the row labels' column)."""
    found: list[tuple[int, int]] = []
    start = 0
    for i in range(len(raw) + 1):
        if i < len(raw) and raw[i].strip():
            continue
        rows = [_cells(line) for line in raw[start:i]]
        if len(rows) >= 3 and (width := len(rows[1])) >= 2 and len(rows[0]) in {width, width - 1} \
                and all(len(row) == width for row in rows[1:]):
            words = [len(cell.split()) for row in rows for cell in row]
            if sum(words) <= _CELL_WORDS * len(words):
                found.append((start, i))
        start = i + 1
    return found


def _cells(line: str) -> list[str]:
    return [cell for cell in _CELL_GAP.split(line.strip()) if cell]


def load_markdown(path: Path, text: str) -> Rendering:
    """A Markdown file as blocks: headings with their level, a paragraph or a list item each (its bullet or
    number kept: "- Publiceer …", "2. …"), a table's rows one paragraph each, a code block as one, an HTML block
    as the web page reader reads it."""
    from markdown_it import MarkdownIt

    body, given = _front_matter(clean_text(text))
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    blocks: list[Block] = []
    tables = 0
    bullet = ""  # the marker of the list item whose first paragraph comes next
    cells: list[str] = []
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "list_item_open":
            bullet = f"{token.info}{token.markup} "
        elif kind == "heading_open":
            blocks.append(Block("heading", _joined(tokens[i + 1].content), level=int(token.tag[1:])))
        elif kind == "paragraph_open":
            blocks.append(Block("para", bullet + _joined(tokens[i + 1].content)))
            bullet = ""
        elif kind == "html_block":  # read as a browser shows it: no tags, no comments ("<!-- intern -->")
            found = fragment_blocks(token.content)
            blocks += [replace(b, table=tables + b.table) if b.table is not None else b for b in found]
            tables += len({b.table for b in found if b.table is not None})
        elif kind in {"fence", "code_block"} and token.content.strip():
            blocks.append(Block("para", join_lines(token.content.strip("\n").split("\n"))))
        elif kind == "table_open":
            tables += 1
        elif kind in {"th_open", "td_open"}:
            cells.append(_joined(tokens[i + 1].content))
        elif kind == "tr_close":
            if row := " ".join(c for c in cells if c):
                blocks.append(Block("para", row, table=tables - 1))
            cells = []
    rendering = Rendering(path, "markdown", blocks, metadata=given)
    text_metadata(rendering)
    return rendering


def _front_matter(text: str) -> tuple[str, dict[str, str]]:
    """A Markdown file's YAML front matter (between a first line `---` and the next `---` or `...`, as static site
    generators write it) taken off its text, and the title, date and identifier it gives: read as Markdown, it
    would be a heading ("title: … date: …") and the document's title. Text that opens with `---` but holds no
    YAML mapping stays text (a rule under the title)."""
    import yaml

    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text, {}
    end = next((i for i, line in enumerate(lines[1:_FRONT_MATTER_LINES], 1) if line.strip() in {"---", "..."}), None)
    if end is None:
        return text, {}
    try:
        fields = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError:
        return text, {}
    if not isinstance(fields, dict):
        return text, {}
    given = {key: str(value).strip() for key in ("title", "identifier")
             if isinstance(value := fields.get(key), str) and value.strip()}
    # a date, or a string that starts with one; nothing else is read, nor printed: YAML's aliases make a list of a
    # billion items out of a few lines
    date = fields.get("date")
    if isinstance(date, datetime.date | str) and (m := re.match(r"\d{4}-\d{2}-\d{2}", str(date))):
        given["date"] = m.group()
    return "\n".join(lines[end + 1 :]), given


def _joined(content: str) -> str:
    """An inline's lines as one, hyphenation across them undone as for every other format."""
    return join_lines([line.strip() for line in content.split("\n")])
