"""A Word document (.docx) into blocks: mammoth turns it into clean HTML by its paragraph styles ("heading 1" is
`h1`, a list a list, a table a table), which is then read as a web page is (`html.body_blocks`).

A table's first row is its header, marked as one or not. Its footnotes and endnotes become the document's
footnotes, their references superscript numbers glued to the word before them, as a PDF's are; its title comes
from the file's properties, else from its first heading.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from assistant.sources.loaders.decoding import clean_text
from assistant.sources.loaders.html import body_blocks
from assistant.sources.loaders.opendocument import office_title
from assistant.sources.loaders.rendering import Rendering, text_metadata
from assistant.text.marks import TO_SUPERSCRIPT
from assistant.types import AssistantError, Footnote

_NOTE = re.compile(r"^(?:footnote|endnote)-(\d+)$")
# The document's title, in Word's own style for it, heads it as a web page's `h1` does (mammoth leaves it a
# paragraph), and "heading 1" is a level below it, so a section that opens right under the title is one ("Kop
# 1" is "heading 1" in the file whatever the language Word was set to). A table of contents ("toc 1", "toc 2",
# …) repeats the headings with page numbers: it is left out.
_STYLES = "\n".join([
    "p[style-name='Title'] => h1:fresh",
    *(f"p[style-name='heading {i}'] => h{min(i + 1, 6)}:fresh" for i in range(1, 10)),
    *(f"p[style-name='toc {i}'] => !" for i in range(1, 10)),
])


def _no_image(image: object) -> dict[str, str]:
    """An image as an empty `img`: its bytes are never read (mammoth would inline each one as base64)."""
    return {}


def load_docx(path: Path, data: bytes) -> Rendering:
    """A .docx file's body as blocks, with its footnotes and the title its properties give."""
    import mammoth
    from bs4 import BeautifulSoup

    no_image = mammoth.images.img_element(_no_image)
    try:
        html = mammoth.convert_to_html(io.BytesIO(data), style_map=_STYLES, convert_image=no_image).value
    except Exception as exc:  # not a zip, or a zip without a Word document in it
        raise AssistantError(f"{path.name}: not a readable Word document (.docx) ({exc})") from exc
    soup = BeautifulSoup(html, "lxml")
    footnotes: dict[int, Footnote] = {}
    for note in soup.select('li[id^="footnote-"], li[id^="endnote-"]'):
        found = _NOTE.match(str(note.get("id", "")))
        if not found:
            continue
        number = int(found.group(1))
        for back in note.select('a[href^="#footnote-ref-"], a[href^="#endnote-ref-"]'):
            back.decompose()
        text = " ".join(clean_text(note.get_text(" ", strip=True)).split())
        if text:
            footnotes.setdefault(number, Footnote(number, text))
        parent = note.parent
        note.decompose()
        if parent is not None and not parent.find("li"):
            parent.decompose()
    for ref in soup.select('sup > a[href^="#footnote-"], sup > a[href^="#endnote-"]'):
        number = str(ref.get("href", "")).rsplit("-", 1)[1]
        sup = ref.parent
        holder = sup.parent if sup is not None else None
        if sup is None or not number.isdigit():
            continue
        sup.replace_with(number.translate(TO_SUPERSCRIPT))
        if holder is not None:
            holder.smooth()  # glued to the word before it: "vastgesteld op 3 maart 2023.¹"
    # Word marks a header row only when it is repeated on every page, which few tables ask for: a table's first
    # row is taken for its header, as a PDF's is
    rendering = Rendering(path, "docx", body_blocks(soup, headed=True), footnotes, metadata=_properties(data))
    text_metadata(rendering)
    return rendering


def _properties(data: bytes) -> dict[str, str]:
    """The title the file's properties (docProps/core.xml) give, if any."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            title = office_title(archive.read("docProps/core.xml"))
    except (KeyError, zipfile.BadZipFile):
        return {}
    return {"title": title} if title else {}
