"""Hostile and broken files: generated here, fed to `ingest` (files dropped into the corpus) and to
`add_document` (what an upload does), each next to one good document.

For every file: either a per-file failure whose message a user understands (it names the file and the reason,
one line, no traceback), or a correct ingest; never a crash; the good document stays indexed and is found;
and a refused `add_document` leaves the corpus directory, its manifest and the live index as they were.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import cli_env, make_pdf, make_settings

from assistant.answer.answerer import Answerer
from assistant.config import Settings
from assistant.index import Index, current_generation
from assistant.ingest import FileResult, IngestReport, add_document, file_problem, ingest
from assistant.retrieve import Searcher
from assistant.sources.corpus import document_slug, load_manifest
from assistant.types import AssistantError

GOOD_ID = "restwarmte"
GOOD_TEXT = ("# Restwarmte van datacenters\n\nHet kabinet wil dat nieuwe datacenters hun restwarmte leveren aan "
             "warmtenetten in de buurt. Gemeenten krijgen meer ruimte om datacenters te weigeren als het stroomnet "
             "vol is.\n")
GOOD_QUERY = "restwarmte datacenters warmtenetten"
GOOD_QUESTION = "Wat wil het kabinet met de restwarmte van nieuwe datacenters?"
# A sentence the hostile files that do carry text use, so a correct ingest can be checked word for word.
PROBE = "De provincie Zeeland opent een loket voor digitale inclusie in Middelburg."
PROBE_WORDS = "Zeeland loket digitale inclusie Middelburg"


# --- generated files --------------------------------------------------------------------------------------------


_SERIAL = itertools.count()


def _pdf_bytes(pages: list[str], tmp: Path, **kw: object) -> bytes:
    path = make_pdf(tmp / f"src-{next(_SERIAL)}.pdf", pages, **kw)
    data = path.read_bytes()
    path.unlink()
    return data


def _pypdf_write(writer: object) -> bytes:
    import io

    out = io.BytesIO()
    writer.write(out)  # type: ignore[attr-defined]
    return out.getvalue()


def truncated_pdf(d: Path) -> bytes:
    data = _pdf_bytes([PROBE], d)
    return data[: len(data) // 3]


def corrupt_xref_pdf(d: Path) -> bytes:
    """Every offset in the cross-reference table is wrong, and startxref points past the end."""
    data = _pdf_bytes([PROBE], d)
    head, _, tail = data.rpartition(b"xref")
    tail = re.sub(rb"\d{10} (\d{5}) n", lambda m: b"0000000999 " + m.group(1) + b" n", tail)
    tail = re.sub(rb"startxref\s+\d+", b"startxref\n99999999", tail)
    return head + b"xref" + tail


def encrypted_pdf(d: Path) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes([PROBE], d))))
    writer.encrypt(user_password="geheim", owner_password="eigenaar")
    return _pypdf_write(writer)


def owner_only_encrypted_pdf(d: Path) -> bytes:
    """Encrypted with an empty user password (only editing is protected): readable, so it must ingest."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes([PROBE], d))))
    writer.encrypt(user_password="", owner_password="eigenaar")
    return _pypdf_write(writer)


def zero_page_pdf(d: Path) -> bytes:
    from pypdf import PdfWriter

    return _pypdf_write(PdfWriter())


def huge_page_count_pdf(d: Path) -> bytes:
    """One page of text followed by 2,999 empty pages."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes([PROBE], d))))
    for _ in range(2999):
        writer.add_blank_page(595, 842)
    return _pypdf_write(writer)


def no_text_layer_pdf(d: Path) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")
    return bytes(pdf.output())


def garbage_content_pdf(d: Path) -> bytes:
    """A page whose content stream is random bytes."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = StreamObject()
    stream.set_data(random.Random(7).randbytes(4000))
    page[NameObject("/Contents")] = writer._add_object(stream)
    return _pypdf_write(writer)


def header_only_pdf(d: Path) -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def zip_named_pdf(d: Path) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", f"<w:document>{PROBE}</w:document>")
    return out.getvalue()


def zip_with_pdf_header(d: Path) -> bytes:
    """A polyglot: starts like a PDF, is a ZIP archive after the first line."""
    return b"%PDF-1.4\n" + zip_named_pdf(d)


def javascript_pdf(d: Path) -> bytes:
    """A real PDF that also carries JavaScript (an /OpenAction): the text is what counts, nothing runs."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes([PROBE], d))))
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    action = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert('pwned');")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _pypdf_write(writer)


def hostile_metadata_pdf(d: Path) -> bytes:
    """A /Title of 5,000 characters with markup in it."""
    return _pdf_bytes([PROBE], d, title="<script>alert(1)</script>" + "Lange titel " * 400)


def script_html(d: Path) -> bytes:
    return (
        "<!doctype html><html><head><title>Loket</title><script>alert('head')</script>"
        "<style>p{color:red}</style></head><body onload=\"alert('onload')\"><main>"
        f"<h1>Loket</h1><p onclick=\"alert('click')\">{PROBE}</p>"
        "<img src=x onerror=\"alert('img')\"><a href=\"javascript:alert('link')\">klik</a>"
        "<script>document.write('injected text')</script><iframe src=\"http://evil.example/\"></iframe>"
        "<svg onload=\"alert('svg')\"><text>svgtekst</text></svg></main></body></html>"
    ).encode()


def deep_html(d: Path) -> bytes:
    return ("<html><body>" + "<div>" * 10_000 + f"<p>{PROBE}</p>" + "</div>" * 10_000 + "</body></html>").encode()


def whitespace_html(d: Path) -> bytes:
    return b" \n\t\r\n   \n" * 1000


def tags_only_html(d: Path) -> bytes:
    return b"<html><head><title></title></head><body><div><span></span></div><p>   </p></body></html>"


def binary_txt(d: Path) -> bytes:
    return random.Random(1).randbytes(64 * 1024)


def high_bytes_txt(d: Path) -> bytes:
    """Bytes no text encoding makes sense of, without a NUL among them."""
    rnd = random.Random(2)
    return bytes(rnd.choice([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xC3, 0xFF, 0xFE, 0x80]) for _ in range(8192))


def utf16_bom_txt(d: Path) -> bytes:
    return f"Loket\n\n{PROBE}\n".encode("utf-16")


def utf16_no_bom_txt(d: Path) -> bytes:
    return f"Loket\n\n{PROBE}\n".encode("utf-16-le")


def latin1_txt(d: Path) -> bytes:
    return f"Coördinatie\n\n{PROBE} Het beleid wordt geëvalueerd in één reële pilot.\n".encode("latin-1")


def mixed_encodings_txt(d: Path) -> bytes:
    """The first paragraph UTF-8, the second Windows-1252 (a file pasted together from two sources)."""
    return (f"Coördinatie\n\n{PROBE} Het beleid wordt geëvalueerd.\n\n".encode()
            + "De coördinatie ligt bij één reële werkgroep.\n".encode("cp1252"))


def zero_bytes(d: Path) -> bytes:
    return b""


def bom_only_txt(d: Path) -> bytes:
    return b"\xef\xbb\xbf"


def nul_after_text_txt(d: Path) -> bytes:
    """Real text for the first 8 KB (what sniffing looks at), then NUL bytes."""
    head = (f"Loket\n\n{PROBE}\n\n" + "Dit is gewone tekst over het loket. " * 300).encode()
    return head + b"\x00" * (256 * 1024)


def control_chars_txt(d: Path) -> bytes:
    return (f"Loket\n\n{PROBE}\x07\x08\x1b[31m rood\x1b[0m \u202eesrever\u202c \u200b\ufeff\x0b\x1f einde.\n").encode()


def form_feeds_only_txt(d: Path) -> bytes:
    return b"\f\f\f\f\n\f"


def footnotes_only_pdftext(d: Path) -> bytes:
    """Extracted PDF text (pages split by form feeds) whose every line looks like a footnote, though nothing in
    the text points to one."""
    pages = ["1 Kamerstukken II 2022/23, 26 643, nr. 1055.\n2 Zie https://www.digitaleoverheid.nl.",
             "3 Kamerstukken II 2021/22, 26 643, nr. 842.\n4 Staatscourant 2022, 35231."]
    return "\f".join(pages).encode()


def footnotes_only_txt(d: Path) -> bytes:
    return (b"1 Kamerstukken II 2022/23, 26 643, nr. 1055.\n2 Zie https://www.digitaleoverheid.nl.\n"
            b"3 Kamerstukken II 2021/22, 26 643, nr. 842.\n")


def long_line_md(d: Path) -> bytes:
    """A 1 MB Markdown file that is one line (one 'sentence' of 160,000 words)."""
    words = "loket digitale inclusie zeeland middelburg provincie ".split()
    line = " ".join(words[i % len(words)] for i in range(160_000))
    return f"# Loket\n\n{PROBE}\n\n{line[: 1024 * 1024]}\n".encode()


def long_word_txt(d: Path) -> bytes:
    return f"Loket\n\n{PROBE}\n\n{'x' * (1024 * 1024)}\n".encode()


def headings_only_md(d: Path) -> bytes:
    return b"# Een\n\n## Twee\n\n### Drie\n"


def html_with_pdf_bytes(d: Path) -> bytes:
    return _pdf_bytes([PROBE], d)


def docx_file(d: Path) -> bytes:
    return zip_named_pdf(d)


def markdown_script(d: Path) -> bytes:
    return (f"# Loket\n\n{PROBE}\n\n<script>alert(1)</script>\n\n![x](http://evil.example/p.png)\n\n"
            "[klik](javascript:alert(1))\n").encode()


@dataclass(frozen=True)
class Case:
    """A hostile file: its name, its bytes, and what must become of it.

    `expect`: "fail" (a per-file failure whose message contains one of `reasons`), "ok" (ingested, its indexed
    text holding `text` and found by searching `query`), or "either" (one of the two).
    """

    id: str
    name: str
    make: Callable[[Path], bytes]
    expect: str
    reasons: tuple[str, ...] = ()
    text: str = PROBE
    query: str = PROBE_WORDS
    absent: tuple[str, ...] = ()  # what a correct ingest must not index (scripts, attributes, mojibake, NULs)
    slow: bool = False
    bug: str | None = None  # a known product bug: the case's tests are xfail(strict=True) with this reason
    hangs: bool = False  # could hang ingest: run as a command with a time limit, see test_a_one_megabyte_sentence_*



CASES = [
    Case("truncated-pdf", "afgebroken.pdf", truncated_pdf, "fail", ("unreadable PDF",)),
    Case("corrupt-xref-pdf", "kapotte-xref.pdf", corrupt_xref_pdf, "either", ("unreadable PDF",)),
    Case("encrypted-pdf", "versleuteld.pdf", encrypted_pdf, "fail", ("encrypted PDF",)),
    Case("owner-only-encrypted-pdf", "alleen-eigenaar.pdf", owner_only_encrypted_pdf, "ok"),
    Case("zero-page-pdf", "nul-paginas.pdf", zero_page_pdf, "fail", ("no pages",)),
    Case("huge-page-count-pdf", "drieduizend.pdf", huge_page_count_pdf, "ok", slow=True),
    Case("no-text-layer-pdf", "scan.pdf", no_text_layer_pdf, "fail", ("no text layer",)),
    Case("garbage-content-pdf", "rommel.pdf", garbage_content_pdf, "fail", ("no text layer", "unreadable PDF")),
    Case("header-only-pdf", "alleen-kop.pdf", header_only_pdf, "fail", ("unreadable PDF",)),
    Case("zip-named-pdf", "eigenlijk-zip.pdf", zip_named_pdf, "fail", ("not a PDF",)),
    Case("zip-with-pdf-header", "polyglot.pdf", zip_with_pdf_header, "fail", ("unreadable PDF",)),
    Case("javascript-pdf", "javascript.pdf", javascript_pdf, "ok", absent=("app.alert", "pwned")),
    Case("hostile-metadata-pdf", "metadata.pdf", hostile_metadata_pdf, "ok"),
    Case("empty-pdf", "leeg.pdf", zero_bytes, "fail", ("empty",)),
    Case("script-html", "scripts.html", script_html, "ok",
         absent=("alert", "onload", "onclick", "onerror", "injected text", "javascript", "evil.example")),
    Case("deep-html", "diep.html", deep_html, "either", ("HTML",)),
    Case("whitespace-html", "wit.html", whitespace_html, "fail", ("empty",)),
    Case("tags-only-html", "alleen-tags.html", tags_only_html, "fail", ("no text found",)),
    Case("pdf-bytes-named-html", "eigenlijk-pdf.html", html_with_pdf_bytes, "fail", ("binary content",)),
    Case("binary-txt", "binair.txt", binary_txt, "fail", ("binary content",)),
    Case("high-bytes-txt", "hoge-bytes.txt", high_bytes_txt, "fail", ("encoding", "binary", "no text")),
    Case("utf16-bom-txt", "utf16.txt", utf16_bom_txt, "ok"),
    Case("utf16-no-bom-txt", "utf16-zonder-bom.txt", utf16_no_bom_txt, "either", ("binary content", "encoding")),
    Case("latin1-txt", "latin1.txt", latin1_txt, "ok", absent=("Ã", "\ufffd")),
    Case("mixed-encodings-txt", "gemengd.txt", mixed_encodings_txt, "either", ("encoding",), absent=("Ã", "\ufffd")),
    Case("zero-byte-txt", "leeg.txt", zero_bytes, "fail", ("empty",)),
    Case("bom-only-txt", "alleen-bom.txt", bom_only_txt, "fail", ("no text found", "empty")),
    Case("nul-after-text-txt", "nul-na-tekst.txt", nul_after_text_txt, "either", ("binary content",),
         absent=("\x00",)),
    Case("control-chars-txt", "stuurtekens.txt", control_chars_txt, "ok"),
    Case("form-feeds-only-txt", "paginas-leeg.txt", form_feeds_only_txt, "fail", ("no text found", "empty")),
    # numbered lines no marker in the text points to are not footnotes: kept as text, like the plain-text case
    Case("footnotes-only-pdftext", "voetnoten.txt", footnotes_only_pdftext, "ok",
         text="Staatscourant 2022, 35231.", query="Staatscourant 2022 35231 Kamerstukken 842"),
    Case("footnotes-only-txt", "voetnootregels.txt", footnotes_only_txt, "ok",
         text="2 Zie https://www.digitaleoverheid.nl.", query="Kamerstukken 26 643 nr 842 digitaleoverheid"),
    Case("long-line-md", "lange-regel.md", long_line_md, "ok", hangs=True),
    Case("long-word-txt", "lang-woord.txt", long_word_txt, "ok", hangs=True),
    Case("headings-only-md", "alleen-koppen.md", headings_only_md, "fail", ("no text",)),
    Case("markdown-script", "markdown-script.md", markdown_script, "ok"),
    Case("docx", "brief.docx", docx_file, "fail", ("not a readable Word document",)),
    Case("doc", "brief.doc", lambda d: b"\xd0\xcf\x11\xe0" + PROBE.encode(), "fail", ("unsupported file type .doc",)),
    Case("no-suffix", "LEESMIJ", lambda d: PROBE.encode(), "fail", ("unsupported file type (none)",)),
]
IN_PROCESS = [c for c in CASES if not c.hangs]


def _params(cases: list[Case]) -> list:
    params = []
    for c in cases:
        marks = [pytest.mark.slow] if c.slow else []
        if c.bug:
            marks.append(pytest.mark.xfail(strict=True, reason=c.bug))
        params.append(pytest.param(c, id=c.id, marks=marks))
    return params


# --- a workspace with one good document ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus with one good document, added the way an upload adds it (with a manifest entry), and its index."""
    base = tmp_path_factory.mktemp("hostile-template")
    (base / "corpus").mkdir()
    source = base / "upload" / f"{GOOD_ID}.md"
    source.parent.mkdir()
    source.write_text(GOOD_TEXT, encoding="utf-8")
    settings = make_settings(base / "corpus", base / "index")
    result = add_document(settings, source, title="Restwarmte van datacenters", kind="Kamerbrief",
                          date="2024-03-01")
    assert result.status == "added", result
    shutil.rmtree(source.parent)
    return base


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Settings:
    """This test's own copy of the template: corpus, manifest and index."""
    shutil.copytree(template / "corpus", tmp_path / "corpus", symlinks=True)
    shutil.copytree(template / "index", tmp_path / "index", symlinks=True)
    return make_settings(tmp_path / "corpus", tmp_path / "index")


def snapshot(directory: Path) -> dict[str, bytes | str]:
    """Every entry under `directory` (hidden ones too): file bytes, symlink targets, directories."""
    out: dict[str, bytes | str] = {}
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_dir():
            out[rel] = "<dir>"
        elif path.is_file():
            out[rel] = path.read_bytes()
        else:
            out[rel] = "<special>"
    return out


def assert_clear(message: str, *names: str) -> None:
    """A message a user can act on: one line, names the file, no traceback or Python internals."""
    assert message and message.strip(), "empty message"
    assert "Traceback" not in message and not re.search(r'File ".*", line \d+', message), message
    assert not re.search(r"<[\w.]+ object at 0x[0-9a-f]+>", message), message
    assert "\n" not in message and len(message) <= 400, message
    if names:
        assert any(n in message for n in names), (names, message)


def assert_good_document_answers(settings: Settings) -> None:
    """The good document is indexed, found first, and answers its question with a verbatim quote."""
    index = Index.open(settings)
    assert GOOD_ID in index.documents, sorted(index.documents)
    hits = Searcher(settings).search(GOOD_QUERY, k=3)
    assert hits and hits[0].chunk.doc_id == GOOD_ID, [h.chunk.doc_id for h in hits]
    answer = Answerer(settings, "extractive").ask(GOOD_QUESTION)
    assert not answer.abstained, answer.answer
    assert any(c.doc_id == GOOD_ID and "restwarmte leveren aan warmtenetten" in c.quote for c in answer.citations)


def _result_for(report: IngestReport, name: str) -> FileResult:
    matches = [r for r in report.results if name in r.name.split(", ")]
    assert len(matches) == 1, (name, [(r.name, r.status, r.message) for r in report.results])
    return matches[0]


def check_outcome(case: Case, result: FileResult, settings: Settings, *names: str) -> None:
    """A clear failure or a correct ingest, as the case expects."""
    if result.status == "failed":
        assert case.expect in {"fail", "either"}, f"{case.id} should have been ingested: {result.message}"
        assert_clear(result.message)
        assert any(n in f"{result.name}: {result.message}" for n in names), (names, result)
        assert any(r in result.message for r in case.reasons), (case.reasons, result.message)
        assert result.doc_id not in Index.open(settings).documents
        return
    assert case.expect in {"ok", "either"}, f"{case.id} should have failed but was {result.status}"
    assert result.status == "added", (result.status, result.message)
    text = Index.open(settings).document(result.doc_id).text
    assert case.text in text, text[:500]
    for bad in case.absent:
        assert bad not in text, (bad, text[:300])
    assert Searcher(settings).search(case.query, k=1)[0].chunk.doc_id == result.doc_id


def run_cli(settings: Settings, *args: str, timeout: float = 600, **env: str) -> subprocess.CompletedProcess | None:
    """`assistant ARGS` in a subprocess of its own session; None when it did not finish within `timeout` (it is
    killed then)."""
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", *args], env=cli_env(settings, **env),
                            cwd=settings.corpus_dir.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        return None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_the_cases_cover_the_brief() -> None:
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES) and len({c.name for c in CASES}) == len(CASES)


# --- dropped into the corpus: `ingest` ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", _params(IN_PROCESS))
def test_ingest_hostile_file(case: Case, ws: Settings) -> None:
    path = ws.corpus_dir / case.name
    path.write_bytes(case.make(ws.corpus_dir.parent))
    report = ingest(ws)  # a file that makes it hang is stopped by the suite's per-test timeout
    check_outcome(case, _result_for(report, case.name), ws, case.name)
    assert _result_for(report, f"{GOOD_ID}.md").status == "unchanged"
    assert_good_document_answers(ws)
    again = ingest(ws)  # a second run embeds nothing and reports the bad file again
    assert again.embedded == 0
    assert _result_for(again, case.name).status in {"failed", "unchanged"}


# --- uploaded: `add_document` ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", _params(IN_PROCESS))
def test_add_document_hostile_file(case: Case, ws: Settings, tmp_path: Path) -> None:
    source = tmp_path / "upload" / case.name
    source.parent.mkdir()
    source.write_bytes(case.make(tmp_path))
    stored = document_slug(document_slug(source.stem)) + source.suffix.lower()
    corpus_before = snapshot(ws.corpus_dir)
    generation = current_generation(ws.index_dir)
    try:
        result = add_document(ws, source, title="Vijandig bestand")
    except AssistantError as exc:
        message = str(exc)
        assert case.expect in {"fail", "either"}, f"{case.id} should have been added: {message}"
        assert_clear(message, source.name, stored)
        assert any(r in message for r in case.reasons), (case.reasons, message)
        # refused: corpus and manifest byte for byte as before, and the same live index
        assert snapshot(ws.corpus_dir) == corpus_before
        assert current_generation(ws.index_dir) == generation
    else:
        assert case.expect in {"ok", "either"}, f"{case.id} should have been refused, was {result.status}"
        check_outcome(case, result, ws, stored)
        assert result.doc_id in {e.id for e in load_manifest(ws.corpus_dir)}
        assert (ws.corpus_dir / stored).read_bytes() == source.read_bytes()
    assert_good_document_answers(ws)


def test_a_refused_upload_leaves_the_corpus_byte_identical(ws: Settings, tmp_path: Path) -> None:
    source = tmp_path / "Gescand.pdf"
    source.write_bytes(no_text_layer_pdf(tmp_path))
    before = snapshot(ws.corpus_dir)
    with pytest.raises(AssistantError, match="no text layer"):
        add_document(ws, source, title="Gescande brief")
    assert snapshot(ws.corpus_dir) == before


def test_an_upload_refused_by_its_content_touches_nothing(ws: Settings, tmp_path: Path) -> None:
    """Refused before the ingest (type, size, metadata): corpus, manifest and index byte for byte as they were."""
    corpus, index = snapshot(ws.corpus_dir), snapshot(ws.index_dir)
    refusals = {
        "nep.pdf": (b"MZ\x90\x00 not a pdf", {}, "not a PDF"),
        "binair.md": (b"abc\x00def", {}, "binary content"),
        "setup.exe": (b"MZ", {}, "unsupported file type .exe"),
        "leeg.txt": (b"", {}, "empty"),
        "datum.txt": (PROBE.encode(), {"date": "2024-02-30"}, "date"),
        "id.txt": (PROBE.encode(), {"doc_id": "../../etc/passwd"}, "id"),
        "id-nul.txt": (PROBE.encode(), {"doc_id": "x\x00y"}, "id"),
    }
    for name, (data, meta, reason) in refusals.items():
        source = tmp_path / name
        source.write_bytes(data)
        with pytest.raises(AssistantError) as caught:
            add_document(ws, source, **meta)
        assert reason in str(caught.value), str(caught.value)
        assert_clear(str(caught.value))
    with pytest.raises(AssistantError, match="no such file"):
        add_document(ws, tmp_path / "bestaat-niet.txt")
    with pytest.raises(AssistantError, match="no such file"):
        add_document(ws, Path(str(tmp_path / "nul\x00byte.txt")))
    assert snapshot(ws.corpus_dir) == corpus
    assert snapshot(ws.index_dir) == index


def test_metadata_cannot_break_the_manifest(ws: Settings, tmp_path: Path) -> None:
    """A title or kind written to escape its TOML string stays one value of one entry."""
    source = tmp_path / "notitie.txt"
    source.write_text(f"Notitie\n\n{PROBE}\n", encoding="utf-8")
    title = 'x"\n[[document]]\nid = "evil"\ntitle = "evil"\nfiles = [{ path = "../../etc/passwd" }]\n#'
    result = add_document(ws, source, title=title, kind='Kamerbrief"""\'\'\'\\', date="2024-01-02")
    assert result.status == "added"
    entries = {e.id: e for e in load_manifest(ws.corpus_dir)}
    assert set(entries) == {GOOD_ID, "notitie"}
    assert entries["notitie"].title == title.strip()
    assert [f.path for f in entries["notitie"].files] == ["notitie.txt"]
    assert_good_document_answers(ws)


# --- too long to embed in reasonable time -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if c.hangs], ids=lambda c: c.id)
def test_a_one_megabyte_sentence_is_ingested_within_a_minute(case: Case, ws: Settings) -> None:
    (ws.corpus_dir / case.name).write_bytes(case.make(ws.corpus_dir.parent))
    done = run_cli(ws, "ingest")
    assert done is not None, f"`assistant ingest` of {case.name} did not finish within 60 s"
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert PROBE in Index.open(ws).document(document_slug(Path(case.name).stem)).text
    assert_good_document_answers(ws)


# --- size --------------------------------------------------------------------------------------------------------

FIFTY_MB = 50 * 1024 * 1024


def _sparse(path: Path, size: int = FIFTY_MB) -> Path:
    """A text head and then a hole: 50 MB on paper, written in no time and taking no disk space."""
    with open(path, "wb") as fh:
        fh.write(f"Groot bestand\n\n{PROBE}\n".encode())
        fh.truncate(size)
    return path


def test_50_mb_file_is_refused_over_a_10_mb_limit(template: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(template / "corpus", tmp_path / "corpus")
    shutil.copytree(template / "index", tmp_path / "index")
    monkeypatch.setenv("ASSISTANT_INGEST__MAX_FILE_MB", "10")
    settings = make_settings(tmp_path / "corpus", tmp_path / "index")
    assert settings.ingest.max_file_mb == 10

    upload = _sparse(tmp_path / "groot.txt")
    before = snapshot(settings.corpus_dir)
    with pytest.raises(AssistantError, match="larger than 10 MB") as caught:
        add_document(settings, upload)
    assert_clear(str(caught.value), "groot.txt")
    assert snapshot(settings.corpus_dir) == before
    assert "larger than 10 MB" in file_problem(upload, 10)

    _sparse(settings.corpus_dir / "groot.txt")
    report = ingest(settings)
    result = _result_for(report, "groot.txt")
    assert result.status == "failed" and "larger than 10 MB" in result.message
    assert_clear(result.message, "groot.txt")
    assert_good_document_answers(settings)

    done = run_cli(settings, "ingest", ASSISTANT_INGEST__MAX_FILE_MB="10")
    assert done is not None and done.returncode == 1, done
    assert re.search(r"groot\.txt: larger than 10 MB", done.stderr), done.stderr[-2000:]
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_50_mb_text_file_under_the_default_limit_is_ingested(ws: Settings) -> None:
    """50 MB of real text bytes (a paragraph, 50 MB of spaces, a last sentence): accepted, read, indexed."""
    path = ws.corpus_dir / "groot.txt"
    with open(path, "wb") as fh:
        fh.write(f"Groot bestand\n\n{PROBE}\n".encode())
        fh.write(b" " * FIFTY_MB)
        fh.write(b"\nHet laatste loket van de provincie Zeeland sluit in december.\n")
    assert file_problem(path, ws.ingest.max_file_mb) is None
    report = ingest(ws)  # a file that makes it hang is stopped by the suite's per-test timeout
    result = _result_for(report, "groot.txt")
    assert result.status == "added", result
    text = Index.open(ws).document("groot").text
    assert PROBE in text and "Het laatste loket van de provincie Zeeland sluit in december." in text
    assert len(text) < 10_000
    assert_good_document_answers(ws)


def test_50_mb_sparse_file_is_refused_as_binary(ws: Settings, tmp_path: Path) -> None:
    """Under the default limit, but NUL bytes right after a short text head: refused as binary, quickly."""
    path = _sparse(ws.corpus_dir / "groot.txt")
    assert "binary" in file_problem(path, ws.ingest.max_file_mb)
    done = run_cli(ws, "ingest")
    assert done is not None, "`assistant ingest` of a 50 MB sparse file did not finish within 60 s"
    assert done.returncode == 1 and re.search(r"^error: groot\.txt: .*binary content", done.stderr, re.M), done
    assert "Traceback" not in done.stderr
    before = snapshot(ws.corpus_dir)
    with pytest.raises(AssistantError, match="binary content"):
        add_document(ws, _sparse(tmp_path / "upload.txt"))
    assert snapshot(ws.corpus_dir) == before
    assert_good_document_answers(ws)


@pytest.mark.slow
def test_50_mb_file_with_nul_bytes_after_the_sniffed_head_is_refused_within_a_minute(ws: Settings) -> None:
    path = ws.corpus_dir / "groot.txt"
    with open(path, "wb") as fh:
        fh.write(nul_after_text_txt(ws.corpus_dir)[:8192])
        fh.truncate(FIFTY_MB)
    done = run_cli(ws, "ingest")
    assert done is not None, "`assistant ingest` did not finish within 60 s"
    assert re.search(r"^error: groot\.txt: .*binary content", done.stderr, re.M), done.stderr[-2000:]
    assert_good_document_answers(ws)


# --- names -------------------------------------------------------------------------------------------------------

HOSTILE_NAMES = {
    "percent-encoded-dotdot": "..%2F..%2Fetc.txt",
    "leading-dots": "...notitie.txt",
    "rtl-override-inside": "nota\u202efdp.txt",
    "control-characters": "nota\x07\x1b[31m.txt",
    "newline": "regel\nbreuk.txt",
    "markup": "<img src=x onerror=alert(1)>.txt",
    "emoji": "\U0001f4c4 notitie.txt",
    "leading-dash": "--rebuild.txt",
    "only-spaces": "   .txt",
    "backslashes": "..\\..\\windows\\nota.txt",
    "long-200": "n" * 200 + ".txt",
}
SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _outside(tmp_path: Path) -> set[str]:
    """What lies in the test's directory around the corpus and index."""
    return {p.name for p in tmp_path.iterdir()}


@pytest.mark.parametrize("key", HOSTILE_NAMES)
def test_hostile_name_dropped_into_the_corpus(key: str, ws: Settings, tmp_path: Path) -> None:
    name = HOSTILE_NAMES[key]
    around = _outside(tmp_path)
    (ws.corpus_dir / name).write_text(f"Notitie\n\n{PROBE} Kenmerk {key}.\n", encoding="utf-8")
    report = ingest(ws)
    if name.startswith("."):  # a hidden file, like corpus/.removed: left alone, and left where it is
        assert not [r for r in report.results if r.name != f"{GOOD_ID}.md"], report.results
        assert (ws.corpus_dir / name).is_file() and set(Index.open(ws).documents) == {GOOD_ID}
    else:
        result = _result_for(report, name)
        assert result.status == "added", (result.status, result.message)
        assert SAFE_ID.match(result.doc_id), result.doc_id
        assert f"Kenmerk {key}." in Index.open(ws).document(result.doc_id).text
    assert _outside(tmp_path) == around
    assert_good_document_answers(ws)


@pytest.mark.parametrize("key", HOSTILE_NAMES)
def test_hostile_name_uploaded(key: str, ws: Settings, tmp_path: Path) -> None:
    name = HOSTILE_NAMES[key]
    upload = tmp_path / "upload"
    upload.mkdir()
    source = upload / name
    source.write_text(f"Notitie\n\n{PROBE} Kenmerk {key}.\n", encoding="utf-8")
    around = _outside(tmp_path)
    result = add_document(ws, source, title=name)
    assert result.status == "added"
    assert SAFE_ID.match(result.doc_id), result.doc_id
    stored = [p.name for p in ws.corpus_dir.iterdir() if p.name not in {"manifest.toml", f"{GOOD_ID}.md"}]
    assert len(stored) == 1 and re.fullmatch(r"[a-z0-9][a-z0-9-]*\.txt", stored[0]), stored
    entry = next(e for e in load_manifest(ws.corpus_dir) if e.id == result.doc_id)
    assert [f.path for f in entry.files] == stored and entry.title == name.strip()
    assert f"Kenmerk {key}." in Index.open(ws).document(result.doc_id).text
    assert _outside(tmp_path) == around
    assert_good_document_answers(ws)


def test_rtl_override_exe_is_refused(ws: Settings, tmp_path: Path) -> None:
    """"\u202etxt.exe" shows as "exe.txt" but is an .exe: refused by type, in both ways in."""
    name = "\u202etxt.exe"
    source = tmp_path / name
    source.write_bytes(b"MZ\x90\x00" + bytes(100))
    before = snapshot(ws.corpus_dir)
    with pytest.raises(AssistantError, match=r"unsupported file type \.exe") as caught:
        add_document(ws, source)
    assert_clear(str(caught.value))
    assert snapshot(ws.corpus_dir) == before
    (ws.corpus_dir / name).write_bytes(source.read_bytes())
    result = _result_for(ingest(ws), name)
    assert result.status == "failed" and "unsupported file type .exe" in result.message
    assert_good_document_answers(ws)


_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_refusal_messages_show_hostile_names_harmlessly(ws: Settings, tmp_path: Path) -> None:
    messages = []
    for name, data in (("\u202etxt.exe", b"MZ"), ("kapot\x1b[31m.pdf", b"MZ not a pdf")):
        source = tmp_path / name
        source.write_bytes(data)
        with pytest.raises(AssistantError) as caught:
            add_document(ws, source)
        messages.append(str(caught.value))
        (ws.corpus_dir / name).write_bytes(data)
    report = ingest(ws)
    messages += [r.message for r in report.failed]
    assert len(messages) == 4
    for message in messages:
        assert not _INVISIBLE.search(message), repr(message)


def test_names_that_differ_only_by_unicode_normalisation(ws: Settings, tmp_path: Path) -> None:
    nfc, nfd = unicodedata.normalize("NFC", "café-notitie.txt"), unicodedata.normalize("NFD", "café-notitie.txt")
    assert nfc != nfd
    # dropped into the corpus: two files, two documents with distinct ids
    (ws.corpus_dir / nfc).write_text(f"Notitie\n\n{PROBE} Eerste versie.\n", encoding="utf-8")
    (ws.corpus_dir / nfd).write_text(f"Notitie\n\n{PROBE} Tweede versie.\n", encoding="utf-8")
    report = ingest(ws)
    ids = {_result_for(report, nfc).doc_id, _result_for(report, nfd).doc_id}
    assert len(ids) == 2 and all(SAFE_ID.match(i) for i in ids)
    assert {_result_for(report, n).status for n in (nfc, nfd)} == {"added"}
    # uploaded: the second one would take the first one's stored name and id, so it is refused
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / nfc, tmp_path / "b" / nfd
    first.write_text(f"Notitie\n\n{PROBE} Derde versie.\n", encoding="utf-8")
    second.write_text(f"Notitie\n\n{PROBE} Vierde versie.\n", encoding="utf-8")
    added = add_document(ws, first, doc_id="upload-cafe")
    assert added.status == "added"
    before = snapshot(ws.corpus_dir)
    with pytest.raises(AssistantError, match="already") as caught:
        add_document(ws, second, doc_id="upload-café")
    assert_clear(str(caught.value))
    with pytest.raises(AssistantError):
        add_document(ws, second, doc_id="upload-cafe")
    assert snapshot(ws.corpus_dir) == before
    assert_good_document_answers(ws)




def test_very_long_name_dropped_into_the_corpus(ws: Settings) -> None:
    name = "n" * 250 + ".txt"
    (ws.corpus_dir / name).write_text(f"Notitie\n\n{PROBE}\n", encoding="utf-8")
    report = ingest(ws)  # raises today: one file's name stops every document's ingest
    result = _result_for(report, name)
    if result.status == "failed":
        assert_clear(result.message, name[:40])
    else:
        assert PROBE in Index.open(ws).document(result.doc_id).text
    assert_good_document_answers(ws)


def test_very_long_name_uploaded(ws: Settings, tmp_path: Path) -> None:
    source = tmp_path / ("n" * 250 + ".txt")
    source.write_text(f"Notitie\n\n{PROBE}\n", encoding="utf-8")
    before = snapshot(ws.corpus_dir)
    try:
        result = add_document(ws, source)
    except AssistantError as exc:
        assert_clear(str(exc))
        assert snapshot(ws.corpus_dir) == before, "the refused upload stayed in the corpus"
    else:
        assert PROBE in Index.open(ws).document(result.doc_id).text
    assert not ingest(ws).failed
    assert_good_document_answers(ws)


# --- links and special files ------------------------------------------------------------------------------------


def test_symlink_to_a_file_outside_the_corpus(ws: Settings, tmp_path: Path) -> None:
    """Ingested (the corpus owner put it there) or refused clearly; the file outside is never touched."""
    outside = tmp_path / "buiten"
    outside.mkdir()
    target = outside / "geheim.txt"
    target.write_text(f"Buiten\n\n{PROBE}\n", encoding="utf-8")
    before = target.read_bytes(), target.stat().st_mtime_ns
    (ws.corpus_dir / "link.txt").symlink_to(target)
    report = ingest(ws)
    result = _result_for(report, "link.txt")
    if result.status == "failed":
        assert_clear(result.message, "link.txt")
    else:
        assert result.status == "added"
        assert PROBE in Index.open(ws).document(result.doc_id).text
    assert (target.read_bytes(), target.stat().st_mtime_ns) == before
    assert_good_document_answers(ws)


def test_a_symlinked_document_can_be_removed(ws: Settings, tmp_path: Path) -> None:
    from assistant.sources.corpus import remove_document

    target = tmp_path / "geheim.txt"
    target.write_text(f"Buiten\n\n{PROBE}\n", encoding="utf-8")
    (ws.corpus_dir / "link.txt").symlink_to(target)
    result = _result_for(ingest(ws), "link.txt")
    assert result.status == "added"
    remove_document(ws.corpus_dir, result.doc_id, ["link.txt"])  # what the Documents page's "Remove" does
    ingest(ws)
    assert target.read_text(encoding="utf-8").startswith("Buiten")
    assert result.doc_id not in Index.open(ws).documents


def _special_entries(corpus: Path, outside: Path) -> list[str]:
    (corpus / "dood.txt").symlink_to(outside / "bestaat-niet.txt")
    (corpus / "lus-a.txt").symlink_to(corpus / "lus-b.txt")
    (corpus / "lus-b.txt").symlink_to(corpus / "lus-a.txt")
    os.mkfifo(corpus / "pijp.txt")
    return ["dood.txt", "lus-a.txt", "lus-b.txt", "pijp.txt"]


def test_dangling_symlinks_loops_and_fifos_neither_hang_nor_crash(ws: Settings, tmp_path: Path) -> None:
    _special_entries(ws.corpus_dir, tmp_path)
    done = run_cli(ws, "ingest")  # a FIFO opened for reading would block forever
    assert done is not None, "ingest hung on a special file"
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert_good_document_answers(ws)
    fifo = ws.corpus_dir / "pijp.txt"
    with pytest.raises(AssistantError, match="no such file"):
        add_document(ws, fifo)


def test_dangling_symlinks_loops_and_fifos_are_reported(ws: Settings, tmp_path: Path) -> None:
    names = _special_entries(ws.corpus_dir, tmp_path)
    report = ingest(ws)
    failed = {r.name: r.message for r in report.failed}
    for name in names:
        assert name in failed, (name, failed)
        assert_clear(f"{name}: {failed[name]}", name)  # as `ingest` prints it: "error: <name>: <message>"
        assert "not a readable file" in failed[name]


# --- everything at once, and the command line -------------------------------------------------------------------


def test_all_hostile_files_at_once(ws: Settings) -> None:
    """Every in-process case in one corpus next to the good document: one ingest, a line per bad file, no crash;
    then the command: exit code 1, an error line per failed file, no traceback."""
    cases = [c for c in IN_PROCESS if not c.slow]
    for case in cases:
        (ws.corpus_dir / case.name).write_bytes(case.make(ws.corpus_dir.parent))
    report = ingest(ws)
    statuses = {}
    for case in cases:
        result = _result_for(report, case.name)
        statuses[case.name] = result.status
        assert result.status in {"failed", "added", "skipped"}, (case.id, result)
        if result.status == "failed":
            assert_clear(result.message)
        if case.expect == "fail":
            assert result.status in {"failed", "skipped"}, (case.id, result)
        if case.expect == "ok":
            assert result.status in {"added", "skipped"}, (case.id, result)
    assert _result_for(report, f"{GOOD_ID}.md").status == "unchanged"
    assert_good_document_answers(ws)

    done = run_cli(ws, "ingest")
    assert done is not None and done.returncode == 1, done
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    for name, status in statuses.items():
        if status == "failed":
            assert re.search(rf"^error: {re.escape(name)}: ", done.stderr, re.M), (name, done.stderr[-3000:])


def test_upload_through_the_app(ws: Settings, tmp_path: Path) -> None:
    """The Documents page's handler: refusals are one escaped status line and leave the corpus as it was."""
    from assistant.web.app import App

    app = App(ws, "extractive")
    quiet = lambda *args, **kwargs: None  # noqa: E731 (no Gradio request to show progress in)
    upload = tmp_path / "upload"
    upload.mkdir()
    for name, data in (("<img src=x onerror=alert(1)>.pdf", b"MZ not a pdf"),
                       ("kapot.pdf", truncated_pdf(tmp_path)), ("leeg.txt", b""),
                       ("scan.pdf", no_text_layer_pdf(tmp_path)), ("binair.txt", binary_txt(tmp_path))):
        source = upload / name
        source.write_bytes(data)
        before = snapshot(ws.corpus_dir)
        message, table, *_ = app.upload(str(source), "Titel", "document", "", progress=quiet)
        assert message.startswith("✗ "), message
        assert "<img" not in message and "Traceback" not in message, message
        assert snapshot(ws.corpus_dir) == before
        assert [row[0] for row in table] == [GOOD_ID]
    good = upload / "nota.html"
    good.write_bytes(script_html(tmp_path))
    message, table, *_ = app.upload(str(good), "<script>alert(1)</script>", "notitie", "2024-05-01", progress=quiet)
    assert message.startswith("✓ "), message
    assert sorted(row[0] for row in table) == ["nota", GOOD_ID]
    assert "alert" not in app.answerer.index.document("nota").text
    assert_good_document_answers(ws)
