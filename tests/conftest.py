"""Shared fixtures: real components in temporary directories, and no network beyond loopback."""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from fake_ollama import FakeOllama, running

from assistant.config import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

os.environ["ANONYMIZED_TELEMETRY"] = "False"


def _is_local(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host in {"localhost", ""}:
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False
    return True  # AF_UNIX paths


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection that leaves the machine: the product must work with no network at all."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guard(which: Callable) -> Callable:
        def connect(self: socket.socket, address: object) -> object:
            if not _is_local(address):
                raise AssertionError(f"network connection attempted to {address!r}")
            return which(self, address)

        return connect

    monkeypatch.setattr(socket.socket, "connect", guard(real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guard(real_connect_ex))


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting leaks in from the developer's environment or an `assistant.toml` in the checkout."""
    for key in list(os.environ):
        if key.startswith(("ASSISTANT_", "OPENAI_")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


def make_settings(corpus_dir: Path, index_dir: Path, **overrides: object) -> Settings:
    return Settings(corpus_dir=corpus_dir, index_dir=index_dir, **overrides)


# The head of a motion as the Tweede Kamer publishes it: its dossier and number, who proposes it and when.
MOTION_HEAD = """Tweede Kamer der Staten-Generaal
Vergaderjaar 2024–2025
26 643 Informatie- en communicatietechnologie (ICT)
Nr. 1209

MOTIE VAN HET LID BROUWER-KAYA C.S.

Voorgesteld 17 april 2025 door het lid Brouwer-Kaya, mede namens de leden Van Dijkhuizen en El Amrani.
"""

# A regulation that defines its terms the way Dutch regulations do (tests/enrich, tests/answer).
REGELING = """Regeling subsidie digitale hulppunten 2025

Artikel 1. Begripsbepalingen

In deze regeling wordt verstaan onder:

a. bibliotheek: openbare bibliotheek als bedoeld in de Wet stelsel openbare bibliotheekvoorzieningen;

b. digitaal hulppunt: fysieke plek in een bibliotheek waar inwoners kosteloos hulp krijgen.

Artikel 2. Doel

a. De aanvrager: beschikt over rechtspersoonlijkheid.
"""


_FORMATS = {".md": "markdown", ".txt": "text", ".html": "html", ".pdf": "pdf", ".docx": "docx", ".odt": "odt"}


def manifest(*documents: dict[str, str]) -> str:
    """A corpus manifest with one entry per document: its fields (`id`, `title`, `language`, …) and `path`, the
    file it is read from (its format from the file's extension)."""
    entries = []
    for doc in documents:
        fields = {k: v for k, v in doc.items() if k != "path"}
        lines = [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
        path = doc["path"]
        lines.append(f'files = [{{ path = "{path}", format = "{_FORMATS[Path(path).suffix]}" }}]')
        entries.append("[[document]]\n" + "\n".join(lines))
    return "\n\n".join(entries) + "\n"


def indexed(base: Path, files: dict[str, str | Callable[[Path], object]]) -> Settings:
    """A corpus in `base`/corpus, ingested into `base`/index: each file given as its text, or as what writes it
    at the path it is given (`table_report`)."""
    from assistant.ingest import ingest

    corpus = base / "corpus"
    corpus.mkdir()
    for name, content in files.items():
        if isinstance(content, str):
            (corpus / name).write_text(content, encoding="utf-8")
        else:
            content(corpus / name)
    settings = make_settings(corpus, base / "index")
    assert not ingest(settings).failed
    return settings


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The bundled corpus ingested once per test session into a temporary index (treat as read-only)."""
    from assistant.ingest import ingest

    base = tmp_path_factory.mktemp("bundled")
    shutil.copytree(CORPUS, base / "corpus")
    settings = make_settings(base / "corpus", base / "index")
    report = ingest(settings)
    assert not report.failed, report.failed
    return settings


@pytest.fixture
def workspace(tmp_path: Path) -> Settings:
    """An empty corpus and index of the test's own."""
    (tmp_path / "corpus").mkdir()
    return make_settings(tmp_path / "corpus", tmp_path / "index")


def make_pdf(path: Path, pages: list[str], footnotes: dict[int, list[str]] | None = None,
             footer: str | None = None, title: str | None = None) -> Path:
    """A real PDF with known page texts, optional footnotes per page (index -> lines) and a footer line.

    `footer` may contain `{page}`, e.g. "Tweede Kamer, vergaderjaar 2022-2023, 26 643, nr. 1055 {page}".
    """
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=False)
    if title:
        pdf.set_title(title)
    font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if Path(font).exists():
        pdf.add_font("dv", fname=font)
        pdf.set_font("dv", size=10)
    else:
        pdf.set_font("helvetica", size=10)
    for number, text in enumerate(pages, 1):
        pdf.add_page()
        pdf.set_xy(20, 20)
        pdf.multi_cell(170, 5, text)
        if footnotes and number in footnotes:
            pdf.set_xy(20, 240)
            pdf.multi_cell(170, 4, "\n".join(footnotes[number]))
        if footer:
            pdf.set_xy(20, 280)
            pdf.cell(170, 4, footer.format(page=number))
    pdf.output(str(path))
    return path


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    """Environment for running `python -m assistant.cli` in a real subprocess against `settings`' directories."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "OPENAI_"))}
    env.update(ASSISTANT_CORPUS_DIR=str(settings.corpus_dir), ASSISTANT_INDEX_DIR=str(settings.index_dir),
               ANONYMIZED_TELEMETRY="False", COLUMNS="200", **extra)
    return env


def wait_until_answering(url: str, proc: subprocess.Popen, log: Callable[[], str] = str,
                         limit_s: float = 600) -> None:
    """Wait until `url` answers HTTP 200 (or, for a `tcp://` address, accepts a connection), failing at once if
    `proc` ends first. `limit_s` only stops a hang: a loaded machine waits as long as the server takes."""
    parts = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + limit_s
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"{proc.args[:4]} exited with {proc.returncode} before answering:\n{log()}")
        try:
            if parts.scheme == "tcp":
                socket.create_connection((parts.hostname, parts.port), timeout=5).close()
                return
            with urllib.request.urlopen(url, timeout=30) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer in {limit_s} s:\n{log()}")
        time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """A real `chroma run` on a free loopback port, with its data in the test's directory."""
    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        chroma = Path(shutil.which("chroma") or "chroma")
    port = free_port()
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_answering(f"tcp://127.0.0.1:{port}", proc)
        yield port
    finally:
        proc.terminate()
        proc.wait()


@pytest.fixture(scope="session")
def _server() -> Iterator[FakeOllama]:
    """The fake Ollama server (tests/fake_ollama.py), one for the session."""
    with running() as state:
        yield state


@pytest.fixture
def server(_server: FakeOllama) -> Iterator[FakeOllama]:
    """The fake Ollama server, listing `gemma3:4b`, with no requests recorded yet and no stream held."""
    with _server.fresh():
        yield _server


# A report's table: the rows of `table_report`, and the sentences before and after it.
ROWS = [
    ["Onderdeel", "Begroot", "Gerealiseerd", "Verschil"],
    ["Identificatie en authenticatie (DigiD en eHerkenning)", "148,0", "156,3", "+8,3"],
    ["Berichtenverkeer (MijnOverheid en Berichtenbox)", "96,5", "91,2", "-5,3"],
    ["Basisregistraties", "122,4", "119,8", "-2,6"],
]
BEFORE = "De uitgaven aan de generieke digitale infrastructuur bedroegen in 2024 in totaal 412,6 miljoen euro."
AFTER = "De overschrijding bij identificatie en authenticatie hangt samen met extra maatregelen tegen phishing."


def table_report(path: Path, rows: list[list[str]], ruled: bool = True) -> Path:
    """A PDF page with a sentence, a ruled (or unruled) table whose first column wraps, and a sentence after it."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    pdf.multi_cell(0, 5, BEFORE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.multi_cell(0, 5, "Tabel 4. Uitgaven generieke digitale infrastructuur 2024 (miljoen euro)",
                   new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(3, 2, 2, 2), width=120, line_height=6, first_row_as_headings=True,
                   borders_layout="ALL" if ruled else "NONE") as table:
        for row in rows:
            cells = table.row()
            for value in row:
                cells.cell(value)
    pdf.ln(4)
    pdf.multi_cell(0, 5, AFTER, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def table_page(rows: list[list[str]]) -> str:
    """A web page with the sentence, the table (its header in `<thead>`) and the sentence `table_report` has."""
    head = "".join(f"<th>{cell}</th>" for cell in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows[1:])
    return (f"<html><head><title>Monitor</title></head><body><main><h1>Monitor</h1><p>{BEFORE}</p>"
            f"<table><caption>Tabel 4. Uitgaven 2024</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table><p>{AFTER}</p></main></body></html>")


def table_markdown(rows: list[list[str]]) -> str:
    """A Markdown file with the sentence, the table and the sentence `table_report` has."""
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(["# Monitor", "", BEFORE, "", lines[0], "|" + "---|" * len(rows[0]), *lines[1:], "", AFTER, ""])


def table_text(rows: list[list[str]], aligned: bool = False) -> str:
    """A text file with the sentence, the table and the sentence `table_report` has: its cells parted by tabs, or
    (`aligned`) padded with spaces into columns, as a report exported to text lays them out."""
    widths = [max(len(row[k]) for row in rows) + 2 for k in range(len(rows[0]))]
    lines = ["".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() if aligned
             else "\t".join(row) for row in rows]
    return "\n".join(["Monitor", "", BEFORE, "", *lines, "", AFTER, ""])


_WORD_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def word_paragraph(text: str, style: str | None = None, note: int | None = None) -> str:
    """A Word paragraph (in `style`, "Heading1"), with a reference to footnote `note` after its text."""
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    ref = f'<w:r><w:footnoteReference w:id="{note}"/></w:r>' if note else ""
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{text}</w:t></w:r>{ref}</w:p>'


def word_list_item(text: str) -> str:
    """A paragraph of Word's bulleted list 1."""
    return ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>')


def word_table(rows: list[list[str]], header: bool = True) -> str:
    """A Word table, its first row repeated as the header row on every page (`w:tblHeader`) if `header`."""
    def row(cells: list[str], first: bool) -> str:
        props = "<w:trPr><w:tblHeader/></w:trPr>" if first and header else ""
        return f"<w:tr>{props}" + "".join(f"<w:tc>{word_paragraph(c)}</w:tc>" for c in cells) + "</w:tr>"
    return "<w:tbl>" + "".join(row(cells, i == 0) for i, cells in enumerate(rows)) + "</w:tbl>"


def word_document(path: Path, body: str, notes: Sequence[str] = (), title: str | None = None) -> Path:
    """A .docx file written part by part (as Word lays it out): `body`'s paragraphs and tables, the
    `notes` as its footnotes 1, 2, ..., and `title` in its properties."""
    import zipfile

    styles = "".join(f'<w:style w:type="paragraph" w:styleId="{style}"><w:name w:val="{name}"/></w:style>'
                     for style, name in [("Title", "Title"), ("TOC1", "toc 1"),
                                         *((f"Heading{i}", f"heading {i}") for i in (1, 2, 3))])
    notes_xml = "".join(f'<w:footnote w:id="{i}">{word_paragraph(t)}</w:footnote>' for i, t in enumerate(notes, 1))
    types = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{types}.document.main+xml"/>'
            f'<Override PartName="/word/styles.xml" ContentType="{types}.styles+xml"/>'
            f'<Override PartName="/word/footnotes.xml" ContentType="{types}.footnotes+xml"/>'
            f'<Override PartName="/word/numbering.xml" ContentType="{types}.numbering+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            f'<Relationships xmlns="{_RELS}">'
            f'<Relationship Id="rId1" Type="{_OFFICE}/officeDocument" Target="word/document.xml"/>'
            f'<Relationship Id="rId2" Type="{_RELS}/metadata/core-properties" Target="docProps/core.xml"/>'
            '</Relationships>'))
        archive.writestr("word/_rels/document.xml.rels", (
            f'<Relationships xmlns="{_RELS}">'
            f'<Relationship Id="rId1" Type="{_OFFICE}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId2" Type="{_OFFICE}/footnotes" Target="footnotes.xml"/>'
            f'<Relationship Id="rId3" Type="{_OFFICE}/numbering" Target="numbering.xml"/></Relationships>'))
        archive.writestr("word/document.xml", f"<w:document {_WORD_NS}><w:body>{body}</w:body></w:document>")
        archive.writestr("word/styles.xml", f"<w:styles {_WORD_NS}>{styles}</w:styles>")
        archive.writestr("word/footnotes.xml", f"<w:footnotes {_WORD_NS}>{notes_xml}</w:footnotes>")
        archive.writestr("word/numbering.xml", (  # list 1: bullets (`word_list_item`)
            f'<w:numbering {_WORD_NS}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
            '<w:lvlText w:val="•"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
            "</w:numbering>"))
        archive.writestr("docProps/core.xml", (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            + (f"<dc:title>{title}</dc:title>" if title else "") + "</cp:coreProperties>"))
    return path


def table_word(path: Path, rows: list[list[str]]) -> Path:
    """A Word document with the sentence, the table (its header row marked) and the sentence `table_report` has."""
    return word_document(path, word_paragraph("Monitor", "Heading1") + word_paragraph(BEFORE) + word_table(rows)
                         + word_paragraph(AFTER))


_ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"')


def odf_paragraph(text: str, level: int | None = None, note: tuple[int, str] | None = None) -> str:
    """An OpenDocument paragraph, or a heading at outline `level`, with footnote `note` (number, text) after it."""
    tag = "text:h" if level else "text:p"
    attrs = f' text:outline-level="{level}"' if level else ""
    ref = (f'<text:note text:id="ftn{note[0]}" text:note-class="footnote"><text:note-citation>{note[0]}'
           f"</text:note-citation><text:note-body><text:p>{note[1]}</text:p></text:note-body></text:note>"
           if note else "")
    return f"<{tag}{attrs}>{text}{ref}</{tag}>"


def odf_table(rows: list[list[str]], header: bool = True) -> str:
    """An OpenDocument table, its first row among the header rows (repeated on every page) if `header`."""
    def row(cells: list[str]) -> str:
        return "<table:table-row>" + "".join(f"<table:table-cell>{odf_paragraph(c)}</table:table-cell>"
                                             for c in cells) + "</table:table-row>"
    first = f"<table:table-header-rows>{row(rows[0])}</table:table-header-rows>" if header else row(rows[0])
    return f'<table:table table:name="T">{first}{"".join(map(row, rows[1:]))}</table:table>'


def odf_document(path: Path, body: str, title: str | None = None, styles: str = "") -> Path:
    """An .odt file with `body` as its text, `styles` as its automatic styles and `title` in its metadata (the
    parts a reader needs)."""
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", f"<office:document-content {_ODF_NS}><office:automatic-styles>{styles}"
                                        f"</office:automatic-styles><office:body><office:text>{body}"
                                        "</office:text></office:body></office:document-content>")
        archive.writestr("meta.xml", f"<office:document-meta {_ODF_NS}><office:meta>"
                                     + (f"<dc:title>{title}</dc:title>" if title else "")
                                     + "</office:meta></office:document-meta>")
    return path


def table_odf(path: Path, rows: list[list[str]]) -> Path:
    """An .odt with the sentence, the table (with its header row) and the sentence `table_report` has."""
    return odf_document(path, odf_paragraph("Monitor", 1) + odf_paragraph(BEFORE) + odf_table(rows)
                        + odf_paragraph(AFTER))
