"""Read one file (PDF, HTML, text, Markdown) into clean blocks with pages and footnotes.

Every loader ends in the same `Rendering`: a list of headings and paragraphs whose text is already
cleaned the way citations need it (ligatures, soft hyphens, line-break hyphenation, page furniture), so
`documents` can merge renderings and `chunking` never sees layout.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from assistant.types import AssistantError, Footnote

SUPPORTED = {".pdf", ".html", ".htm", ".txt", ".md", ".markdown"}
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_FOOTER = re.compile(
    r"^Tweede Kamer,\s+vergaderjaar\s+(?P<year>\d{4}\s*[-–]\s*\d{4}),\s+(?P<dossier>[\d ]+?),\s+nr\.\s*(?P<nr>\d+)"
    r"\s+(?P<page>\d{1,4})$"
)
_PAGE_ONLY = re.compile(r"^(?:pagina\s+|page\s+|blz\.\s*)?(\d{1,4})(?:\s+(?:van|of)\s+\d{1,4})?$", re.I)
_FOOTNOTE_START = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_TERMINAL = ".!?:;»”’\")"
_BULLET = re.compile(r"^(?:[•○◦▪■●\-–*]|o(?= [A-Z])|\d{1,2}[.)]|[a-z][.)])\s")
_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|Thema\s+\d+:|Hoofdstuk\s+\d+|Bijlage\s+\w+)\s*\S")
_DATE_NL = re.compile(
    r"\b(\d{1,2})\s+(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)"
    r"\s+(\d{4})\b",
    re.I,
)
_MONTHS = {m: i for i, m in enumerate(
    "januari februari maart april mei juni juli augustus september oktober november december".split(), 1)}


@dataclass
class Block:
    """A heading or paragraph; `breaks` lists (offset in text, page) where a new page begins inside it."""

    kind: str  # "heading" | "para"
    text: str
    page: int | None = None
    breaks: list[tuple[int, int]] = field(default_factory=list)
    level: int | None = None  # from markup (HTML h1-h6, Markdown #); None means infer from the text


@dataclass
class Rendering:
    """One file's text as blocks, plus what the file itself says about the document."""

    path: Path
    format: str
    blocks: list[Block]
    footnotes: dict[int, Footnote] = field(default_factory=dict)
    paged: bool = False
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def plain(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)


def clean_text(text: str) -> str:
    """Typography clean-up that keeps every character a reader can see (quotes stay verbatim)."""
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES).replace("\u00ad", "").replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def decode(data: bytes, path: Path) -> str:
    """Bytes to text: UTF-8 first, else the detected encoding, else a clear refusal."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AssistantError(f"{path.name}: binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    # Dutch text that is not UTF-8 is almost always Windows-1252 (a superset of Latin-1's printable range);
    # detection alone takes short Dutch texts for Central European code pages ("geïnvesteerd" -> "geďnvesteerd").
    # Line by line, because files pasted together from several sources mix the two.
    try:
        return "".join(_utf8_or_cp1252(line) for line in data.splitlines(keepends=True))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise AssistantError(f"{path.name}: not UTF-8 and no text encoding could be detected")
    return str(best)


def _utf8_or_cp1252(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252")


def find_date(text: str) -> str | None:
    """The first Dutch long-form date ("7 juli 2023") in `text`, as ISO."""
    m = _DATE_NL.search(text)
    if not m:
        return None
    return f"{int(m.group(3)):04d}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"


def load(path: Path, fmt: str | None = None) -> Rendering:
    """Read `path` with the loader its suffix (or `fmt`) names."""
    suffix = path.suffix.lower()
    if fmt is None and suffix not in SUPPORTED:
        raise AssistantError(
            f"{path.name}: unsupported file type {suffix or '(none)'}; use one of {', '.join(sorted(SUPPORTED))}"
        )
    fmt = fmt or {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}.get(
        suffix, "text"
    )
    data = path.read_bytes()
    if not data.strip():
        raise AssistantError(f"{path.name}: empty file")
    if fmt == "pdf":
        rendering = _load_pdf(path, data)
    elif fmt == "html":
        rendering = _load_html(path, decode(data, path))
    elif fmt == "markdown":
        rendering = _load_markdown(path, decode(data, path))
    else:
        text = decode(data, path)
        if fmt == "pdf-text" or "\f" in text:
            rendering = _paged(path, "pdf-text", _split_pages(text))
        else:
            rendering = _load_text(path, text)
    if not any(b.text for b in rendering.blocks):
        raise AssistantError(f"{path.name}: no text found")
    return rendering


def _split_pages(text: str) -> list[str]:
    """Pages of extracted PDF text: form feeds, or (pdf-text convention) a line starting with one space."""
    if "\f" in text:
        return text.split("\f")
    pages: list[list[str]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if re.match(r"^ \S", line) or not pages:
            pages.append([])
        pages[-1].append(line)
    return ["\n".join(p) for p in pages]


def _load_pdf(path: Path, data: bytes) -> Rendering:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip().startswith(b"%PDF"):
        raise AssistantError(f"{path.name}: not a PDF (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise AssistantError(f"{path.name}: encrypted PDF; save an unprotected copy and add that")
            except (NotImplementedError, PdfReadError) as exc:
                raise AssistantError(f"{path.name}: encrypted PDF ({exc}); save an unprotected copy") from exc
        texts = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except AssistantError:
        raise
    except Exception as exc:  # pypdf raises many types for broken files
        raise AssistantError(f"{path.name}: unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if not texts:
        raise AssistantError(f"{path.name}: PDF has no pages")
    if not any(t.strip() for t in texts):
        raise AssistantError(
            f"{path.name}: PDF has no text layer (scanned?); run OCR first, e.g. `ocrmypdf in.pdf out.pdf`"
        )
    rendering = _paged(path, "pdf", texts)
    for key, name in (("/Title", "title"), ("/Author", "author")):
        value = str(info.get(key) or "").strip()
        if value:
            rendering.metadata[name] = value
    _text_metadata(rendering)  # no /Title: the first heading; and a date from the text (PDF metadata has none)
    return rendering


def _paged(path: Path, fmt: str, pages: list[str]) -> Rendering:
    """Turn page texts into blocks: drop running headers/footers, lift footnotes, join lines and pages."""
    page_lines = [[ln for ln in clean_text(p).split("\n")] for p in pages]
    furniture = _running_lines(page_lines)
    footnotes: dict[int, Footnote] = {}
    metadata: dict[str, str] = {}
    blocks: list[Block] = []
    for index, lines in enumerate(page_lines):
        number = index + 1
        body: list[str] = []
        for line in lines:
            footer = _FOOTER.match(line)
            if footer:
                number = int(footer.group("page"))
                first, second = re.split(r"\s*[-–]\s*", footer.group("year"))
                metadata.setdefault(
                    "identifier",
                    f"Kamerstukken II {first}/{second[2:]}, {footer.group('dossier').strip()}, "
                    f"nr. {footer.group('nr')}",
                )
                continue
            if line in furniture:
                continue
            body.append(line)
        body, number = _strip_page_number(body, number)
        body = _lift_footnotes(body, footnotes, number)
        _append_page(blocks, body, number)
    return Rendering(path, fmt, [b for b in blocks if b.text], footnotes, paged=True, metadata=metadata)


def _running_lines(page_lines: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages (running heads, letterheads)."""
    if len(page_lines) < 3:
        return set()
    edges = Counter()
    for lines in page_lines:
        content = [ln for ln in lines if ln]
        edges.update(set(content[:2] + content[-2:]))
    return {ln for ln, n in edges.items() if n >= max(3, 0.6 * len(page_lines)) and len(ln) < 120}


def _strip_page_number(body: list[str], number: int) -> tuple[list[str], int]:
    """A bare page number on the first or last non-empty line is furniture, and the printed number."""
    content = [i for i, ln in enumerate(body) if ln]
    for i in (content[:1] + content[-1:]) if content else []:
        m = _PAGE_ONLY.match(body[i])
        if m and len(content) > 1:
            number = int(m.group(1))
            body = body[:i] + body[i + 1 :]
            break
    return body, number


def _lift_footnotes(body: list[str], footnotes: dict[int, Footnote], page: int) -> list[str]:
    """Remove the footnote block at the bottom of a page into `footnotes`, numbered on from the last one."""
    expected = max(footnotes, default=0) + 1
    for start, line in enumerate(body):
        m = _FOOTNOTE_START.match(line)
        if not m or int(m.group(1)) != expected:
            continue
        marker = re.search(r"(?:[^\W\d_]|[»”’\"')\].,;:])" + str(expected) + r"(?!\d)", " ".join(body[:start]))
        if start and body[start - 1] and not marker:
            continue  # a numbered line in running text, not the first footnote
        notes: dict[int, list[str]] = {}
        current = expected
        ok = True
        for ln in body[start:]:
            m2 = _FOOTNOTE_START.match(ln)
            if m2 and int(m2.group(1)) == current + (1 if current in notes else 0):
                current = int(m2.group(1))
                notes[current] = [m2.group(2)]
            elif ln and current in notes:
                notes[current].append(ln)
            elif ln:
                ok = False
                break
        if ok and notes:
            for n, parts in notes.items():
                footnotes[n] = Footnote(n, _join_lines(parts), page)
            return body[:start]
    return body


def _join_lines(lines: list[str]) -> str:
    """Join wrapped lines: hyphenated word breaks are undone, real hyphens ("AI-", "2022-") kept."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and ("://" in out.rsplit(" ", 1)[-1] or "www." in out.rsplit(" ", 1)[-1]):
            out += line
        elif re.search(r"[a-zà-ÿ]-$", out) and line[:1].islower() and not re.search(r"\b[A-Z0-9]+-$", out):
            out = out[:-1] + line
        elif out.endswith("-"):
            out += line
        else:
            out += " " + line
    return out


def _is_heading(line: str, prev: str | None, nxt: str | None, blank_style: bool, wrap: int) -> bool:
    """A short line standing alone, not ending a sentence.

    `prev`/`nxt` are the neighbouring lines ("" when blank, None at the edges). Where the text separates
    paragraphs by blank lines (PDF extracts), a heading has blank lines around it; elsewhere it must end before
    the line is full, so a wrapped sentence is never taken for one.
    """
    if not line or len(line) > 90 or line[-1] in ".!?:;,-" or (line[-1] in "’”»\"'" and line[-2:-1] in ".!?"):
        return False
    if _BULLET.match(line) and not _NUMBERED_HEADING.match(line):
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    if blank_style:
        return not prev and not nxt
    if prev and prev[-1] not in _TERMINAL:
        return False
    if nxt and len(line) + 1 + len(nxt.split(" ", 1)[0]) > wrap:
        return False
    return not nxt or nxt[0].isupper() or nxt[0] in "•○◦▪■●-–*«‘\"" or nxt[0].isdigit()


def _blocks_from_lines(lines: list[str], page: int | None) -> list[Block]:
    """Group wrapped lines into headings and paragraphs (blank lines, bullets and sentence ends split)."""
    blocks: list[Block] = []
    para: list[str] = []
    widths = sorted(len(ln) for ln in lines if ln)
    wrap = widths[int(len(widths) * 0.75)] if widths else 80
    blank_style = sum(1 for ln in lines if not ln) > 0.05 * len(lines)

    def flush() -> None:
        if para:
            blocks.append(Block("para", _join_lines(para), page))
            para.clear()

    for i, line in enumerate(lines):
        if not line:
            flush()
            continue
        prev = (lines[i - 1] if para or not blank_style else "") if i else None
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if _is_heading(line, prev, nxt, blank_style, wrap):
            flush()
            blocks.append(Block("heading", line, page))
            continue
        if _BULLET.match(line) and para:
            flush()
        para.append(line)
        if not blank_style and line[-1] in _TERMINAL and len(line) < 0.8 * wrap:
            flush()
    flush()
    return blocks


def _append_page(blocks: list[Block], body: list[str], page: int) -> None:
    """Add one page's lines; a paragraph cut by the page break continues into the previous block."""
    new = _blocks_from_lines(body, page)
    if not new:
        return
    first = new[0]
    last = blocks[-1] if blocks else None
    if (
        last is not None
        and last.kind == "para"
        and first.kind == "para"
        and last.text[-1:] not in ".!?:;»”\""
        and (first.text[:1].islower() or last.text[-1:] in ",-")
    ):
        joined = _join_lines([last.text, first.text])
        last.breaks.append((len(joined) - len(first.text), page))
        last.text = joined
        new = new[1:]
    blocks.extend(new)


def _load_text(path: Path, text: str) -> Rendering:
    lines = clean_text(text).split("\n")
    rendering = Rendering(path, "text", _blocks_from_lines(lines, None))
    _text_metadata(rendering)
    return rendering


def _load_markdown(path: Path, text: str) -> Rendering:
    blocks: list[Block] = []
    para: list[str] = []
    for line in clean_text(text).split("\n"):
        m = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)
        if m or not line:
            if para:
                blocks.append(Block("para", _join_lines(para)))
                para = []
            if m:
                blocks.append(Block("heading", m.group(2), level=len(m.group(1))))
            continue
        if _BULLET.match(line) and para:
            blocks.append(Block("para", _join_lines(para)))
            para = []
        para.append(line)
    if para:
        blocks.append(Block("para", _join_lines(para)))
    rendering = Rendering(path, "markdown", blocks)
    _text_metadata(rendering)
    return rendering


_HTML_DROP = (
    "script, style, nav, header, footer, aside, form, noscript, template, iframe, svg, button, [role=navigation]"
)
_HTML_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dd", "dt", "td", "th", "pre", "blockquote"]


def _load_html(path: Path, text: str) -> Rendering:
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml refuses some pathological documents
        raise AssistantError(f"{path.name}: unparseable HTML ({exc})") from exc
    metadata: dict[str, str] = {}
    if soup.title and soup.title.get_text(strip=True):
        metadata["title"] = clean_text(soup.title.get_text(" ", strip=True))
    for meta in soup.find_all("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        content = (meta.get("content") or "").strip()
        if name in {"dcterms.issued", "dc.date", "dcterms.created", "date", "article:published_time"} and content:
            metadata.setdefault("date", content[:10])
        if name in {"dcterms.identifier", "dc.identifier"} and content:
            metadata.setdefault("identifier", content)
    for tag in soup.select(_HTML_DROP):
        tag.decompose()
    footnotes: dict[int, Footnote] = {}
    for note in soup.select("[class*=voetnoot], [class*=footnote], [id^=fn], [class*=noot]"):
        m = re.match(r"^\s*(\d{1,3})[.)]?\s+(.+)$", clean_text(note.get_text(" ", strip=True)), re.S)
        if m:
            footnotes.setdefault(int(m.group(1)), Footnote(int(m.group(1)), " ".join(m.group(2).split())))
            note.decompose()
    root = soup.find("main") or soup.find("article") or soup.find(id="content") or soup.body or soup
    blocks: list[Block] = []
    for element in root.find_all(_HTML_BLOCKS):
        if element.find_parent(_HTML_BLOCKS) is not None:
            continue  # nested blocks are read with their parent
        line = " ".join(clean_text(element.get_text(" ", strip=True)).split())
        line = re.sub(r"\s+([,.;:!?)»])", r"\1", line)
        if not line:
            continue
        if element.name[0] == "h" and element.name[1:].isdigit():
            blocks.append(Block("heading", line, level=int(element.name[1:])))
        else:
            blocks.append(Block("para", line))
    if not blocks:
        lines = clean_text(root.get_text("\n")).split("\n")
        blocks = _blocks_from_lines(lines, None)
    rendering = Rendering(path, "html", blocks, footnotes, metadata=metadata)
    _text_metadata(rendering)
    return rendering


def _text_metadata(rendering: Rendering) -> None:
    """Title (first heading) and date (first Dutch date) from the text, where the file gave none."""
    heading = next((b.text for b in rendering.blocks if b.kind == "heading"), None)
    if heading:
        rendering.metadata.setdefault("title", heading)
    date = find_date(rendering.plain[:3000])
    if date:
        rendering.metadata.setdefault("date", date)
