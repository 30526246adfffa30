"""Plain text and Markdown files into blocks.

Markdown is parsed by markdown-it-py (CommonMark, with GitHub's tables): it says where the headings are (`#` and
underlined), what a list item, a quotation and a code block are. Plain text is laid out from its lines alone
(`lines`). A Markdown table becomes one paragraph per row, its cells in reading order, marked as a table, as a
PDF's and a web page's are: a row is then a sentence that holds a figure with what it is of, read under its
header row. The text stays as written (inline markup included), so quotes can be found in the file.
"""

from __future__ import annotations

from pathlib import Path

from assistant.sources.loaders.decoding import clean_text
from assistant.sources.loaders.lines import blocks_from_lines, join_lines
from assistant.sources.loaders.rendering import Block, Rendering, text_metadata


def load_text(path: Path, text: str) -> Rendering:
    """A plain text file as blocks, headings and paragraphs inferred from its lines."""
    lines = clean_text(text).split("\n")
    rendering = Rendering(path, "text", blocks_from_lines(lines, None))
    text_metadata(rendering)
    return rendering


def load_markdown(path: Path, text: str) -> Rendering:
    """A Markdown file as blocks: headings with their level, a paragraph or a list item each (its bullet or
    number kept: "- Publiceer …", "2. …"), a table's rows one paragraph each, a code block as one."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(clean_text(text))
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
        elif kind in {"fence", "code_block", "html_block"} and token.content.strip():
            blocks.append(Block("para", join_lines(token.content.strip("\n").split("\n"))))
        elif kind == "table_open":
            tables += 1
        elif kind in {"th_open", "td_open"}:
            cells.append(_joined(tokens[i + 1].content))
        elif kind == "tr_close":
            if row := " ".join(c for c in cells if c):
                blocks.append(Block("para", row, table=tables - 1))
            cells = []
    rendering = Rendering(path, "markdown", blocks)
    text_metadata(rendering)
    return rendering


def _joined(content: str) -> str:
    """An inline's lines as one, hyphenation across them undone as for every other format."""
    return join_lines([line.strip() for line in content.split("\n")])
