"""Render the second test corpus from `sources/` into `corpus/` (PDF, HTML, Markdown, text) with its manifest.

The output is reproducible: fixed PDF creation dates, core fonts only (nothing embedded), no timestamps.

Usage: .venv/bin/python evals/corpus2/build.py [--out DIR]   (default: evals/corpus2/corpus)
"""

from __future__ import annotations

import argparse
import datetime
import html
import io
import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
BZK = "Binnenlandse Zaken en Koninkrijksrelaties"

# id, title, kind, date, identifier, language, ministry, status, replaced_by, source, output file, format, layout
DOCUMENTS = [
    dict(id="rapport-monitor-digitale-dienstverlening-2024", title="Monitor Digitale Dienstverlening 2024",
         kind="rapport", date="2025-03-14", identifier="Kamerstukken II 2024/25, 26 643, nr. 1192, bijlage",
         language="nl", ministry=BZK, source="rapport-monitor-2024.md", out="monitor-digitale-dienstverlening-2024.pdf",
         format="pdf", layout="report"),
    dict(id="nota-verantwoord-datadelen", title="Beleidsnota Verantwoord datadelen binnen de overheid",
         kind="nota", date="2024-11-20", identifier="Kamerstukken II 2024/25, 26 643, nr. 1178", language="nl",
         ministry=BZK, source="nota-datadelen.md", out="beleidsnota-verantwoord-datadelen.html", format="html",
         layout="html"),
    dict(id="epsif-policy-paper-12", title="Trustworthy AI in Public Administration: Practices from Twelve Member "
         "Administrations", kind="policy paper", date="2024-10-08", identifier="EPSIF Policy Paper No. 12",
         language="en", ministry="", source="epsif-trustworthy-ai.md", out="epsif-policy-paper-12.pdf",
         format="pdf", layout="paper"),
    dict(id="uitvoeringsplan-digitale-inclusie-2025-v1", title="Uitvoeringsplan Digitale Inclusie 2025 (versie 1.0)",
         kind="uitvoeringsplan", date="2025-02-10", identifier="Kamerstukken II 2024/25, 29 362, nr. 371",
         language="nl", ministry=BZK, status="replaced", replaced_by="uitvoeringsplan-digitale-inclusie-2025-v2",
         source="uitvoeringsplan-inclusie-v1.md", out="uitvoeringsplan-digitale-inclusie-2025-v1.md",
         format="markdown", layout="markdown"),
    dict(id="uitvoeringsplan-digitale-inclusie-2025-v2", title="Uitvoeringsplan Digitale Inclusie 2025 (versie 2.0)",
         kind="uitvoeringsplan", date="2025-06-23", identifier="Kamerstukken II 2024/25, 29 362, nr. 384",
         language="nl", ministry=BZK, source="uitvoeringsplan-inclusie-v2.md",
         out="uitvoeringsplan-digitale-inclusie-2025-v2.md", format="markdown", layout="markdown"),
    dict(id="stcrt-2025-18342", title="Regeling subsidie digitale hulppunten 2025", kind="staatscourant",
         date="2025-05-28", identifier="Stcrt. 2025, 18342", language="nl", ministry=BZK,
         source="stcrt-2025-18342.md", out="stcrt-2025-18342.txt", format="text", layout="text"),
    dict(id="factsheet-edi-wallet-pilots", title="Factsheet: pilots met de Europese digitale identiteit",
         kind="factsheet", date="2025-01-15", identifier="Bijlage bij Kamerstukken II 2024/25, 27 529, nr. 331",
         language="nl", ministry=BZK, source="factsheet-edi-wallet.md", out="factsheet-edi-wallet-pilots.pdf",
         format="pdf", layout="columns"),
    dict(id="brief-gemeente-zuidwaarde-scan", title="Brief van de gemeente Zuidwaarde over de aansluiting op "
         "MijnOverheid (scan)", kind="brief", date="2024-09-02", identifier="Ingekomen stuk 2024-Z14872",
         language="nl", ministry=BZK, source="", out="brief-gemeente-zuidwaarde-scan.pdf", format="pdf",
         layout="scan"),
    dict(id="kst-26643-1201", title="Voortgang Algoritmeregister en toezicht op algoritmes", kind="Kamerbrief",
         date="2025-04-03", identifier="Kamerstukken II 2024/25, 26 643, nr. 1201", language="nl", ministry=BZK,
         source="kst-26643-1201.md", out="kst-26643-1201.pdf", format="pdf", layout="letter"),
    dict(id="kst-26643-1209", title="Motie van het lid Brouwer-Kaya c.s. over een niet-digitale terugvaloptie",
         kind="motie", date="2025-04-17", identifier="Kamerstukken II 2024/25, 26 643, nr. 1209", language="nl",
         ministry="", source="motie-terugvaloptie.md", out="kst-26643-1209.txt", format="text", layout="text"),
    dict(id="faq-digitale-hulppunten-2025", title="Veelgestelde vragen over de Regeling subsidie digitale "
         "hulppunten 2025", kind="FAQ", date="2025-06-02", identifier="RVO FAQ DH-2025", language="nl",
         ministry=BZK, source="faq-hulppunten.md", out="faq-digitale-hulppunten-2025.md", format="markdown",
         layout="markdown"),
]

LETTER_FOOTER = "Tweede Kamer, vergaderjaar 2024-2025, 26 643, nr. 1201"


# ---------------------------------------------------------------- source parsing


def parse(text: str) -> list[tuple]:
    """Blocks of a source: ("h", level, text), ("p", text), ("li", text), ("table", rows), ("fn", text),
    ("pagebreak",), ("columns",), ("nextcolumn",)."""
    blocks: list[tuple] = []
    rows: list[list[str]] = []
    for line in text.splitlines():
        line = line.rstrip()
        if line.startswith("|"):
            if not re.fullmatch(r"\|(\s*-+\s*\|)+", line):
                rows.append([c.strip() for c in line.strip("|").split("|")])
            continue
        if rows:
            blocks.append(("table", rows))
            rows = []
        if not line:
            continue
        if m := re.fullmatch(r"<!-- (pagebreak|columns|nextcolumn) -->", line):
            blocks.append((m.group(1),))
        elif m := re.fullmatch(r"(#{1,3}) (.+)", line):
            blocks.append(("h", len(m.group(1)), m.group(2)))
        elif line.startswith("- "):
            blocks.append(("li", line[2:]))
        elif line.startswith("^"):
            blocks.append(("fn", line[1:]))
        else:
            blocks.append(("p", line))
    if rows:
        blocks.append(("table", rows))
    return blocks


# ---------------------------------------------------------------- PDF


def _pdf_class():
    from fpdf import FPDF

    class Paper(FPDF):
        footer_text = ""
        header_text = ""

        def header(self):
            if self.header_text and self.page_no() > 1:
                self.set_font("helvetica", "I", 8)
                self.set_y(10)
                self.cell(0, 5, self.header_text, align="R")
                self.set_y(self.t_margin)

        def footer(self):
            if not self.footer_text:
                return
            self.set_y(-15)
            self.set_font("helvetica", "", 8)
            self.cell(0, 5, self.footer_text.format(page=self.page_no()), align="C")

    return Paper


def _new_pdf(doc: dict):
    pdf = _pdf_class()(format="A4")
    year, month, day = map(int, doc["date"].split("-"))
    pdf.set_creation_date(datetime.datetime(year, month, day, 9, 0, tzinfo=datetime.UTC))
    pdf.set_title(doc["title"])
    pdf.set_author(doc["ministry"] or "European Public Sector Innovation Forum")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=25)
    return pdf


def _footnotes(pdf, notes: list[str]) -> None:
    """Footnotes at the bottom of the current page, in small print under a short rule."""
    if not notes:
        return
    pdf.set_font("helvetica", "", 8)
    y = pdf.h - 25 - 4.5 * len(notes) - 3
    pdf.line(pdf.l_margin, y, pdf.l_margin + 50, y)
    pdf.set_y(y + 2)
    for note in notes:
        pdf.multi_cell(0, 4.5, note, new_x="LMARGIN", new_y="NEXT")
    notes.clear()


def render_pdf(doc: dict, blocks: list[tuple]) -> bytes:
    pdf = _new_pdf(doc)
    if doc["layout"] == "report":
        pdf.footer_text = "Pagina {page} van {{nb}}"
        pdf.header_text = "Monitor Digitale Dienstverlening 2024"
    elif doc["layout"] == "letter":
        pdf.footer_text = LETTER_FOOTER + " {page}"
    else:
        pdf.footer_text = "{page}"
    pdf.add_page()
    notes: list[str] = []
    width = pdf.w - 40
    column_width = (width - 8) / 2
    top = None
    for block in blocks:
        kind = block[0]
        if kind == "pagebreak":
            _footnotes(pdf, notes)
            pdf.add_page()
        elif kind == "columns":
            top = pdf.get_y() + 2
            pdf.set_right_margin(pdf.w - 20 - column_width)
            pdf.set_y(top)
        elif kind == "nextcolumn":
            pdf.set_left_margin(20 + column_width + 8)
            pdf.set_right_margin(20)
            pdf.set_xy(pdf.l_margin, top)
        elif kind == "h":
            size = {1: 16, 2: 13, 3: 11}[block[1]]
            pdf.set_font("helvetica", "B", size)
            pdf.ln(2)
            pdf.multi_cell(0, size * 0.5, block[2], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "p":
            pdf.set_font("helvetica", "", 10.5)
            pdf.multi_cell(0, 5.5, block[1], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)
        elif kind == "li":
            pdf.set_font("helvetica", "", 10.5)
            pdf.cell(6, 5.5, "-")
            pdf.multi_cell(0, 5.5, block[1], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "table":
            pdf.set_font("helvetica", "", 9.5)
            rows = block[1]
            first = 3.2 if max(len(r[0]) for r in rows) > 14 else 2.0
            widths = [first] + [2.0] * (len(rows[0]) - 1)
            with pdf.table(col_widths=widths, line_height=6, width=width, first_row_as_headings=True) as table:
                for row in rows:
                    cells = table.row()
                    for value in row:
                        cells.cell(value)
            pdf.ln(4)
        elif kind == "fn":
            notes.append(block[1])
    _footnotes(pdf, notes)
    return bytes(pdf.output())


def _png_page() -> bytes:
    """A grey page with dark bars where lines of print would be: an image of a letter, without a text layer."""
    from PIL import Image, ImageDraw

    rng = random.Random(14872)
    image = Image.new("L", (620, 877), 236)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 50, 200, 90), fill=70)  # municipal logo
    for y in range(60, 100, 10):  # letterhead
        draw.rectangle((420, y, 420 + rng.randint(80, 140), y + 5), fill=90)
    y = 170
    for paragraph in (3, 6, 5, 7, 4, 2):
        for line in range(paragraph):
            x = 60
            end = 560 if line < paragraph - 1 else rng.randint(200, 480)
            while x < end:
                word = rng.randint(12, 48)
                draw.rectangle((x, y, min(x + word, end), y + 6), fill=rng.randint(30, 80))
                x += word + 6
            y += 15
        y += 14
    draw.line((60, y + 40, 200, y + 25), fill=40, width=2)  # signature
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def render_scan(doc: dict) -> bytes:
    pdf = _new_pdf(doc)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.image(io.BytesIO(_png_page()), x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())


# ---------------------------------------------------------------- HTML, Markdown, text


def render_html(doc: dict, blocks: list[tuple]) -> bytes:
    body = []
    in_list = False
    for block in blocks:
        if block[0] == "li" and not in_list:
            body.append("<ul>")
            in_list = True
        elif block[0] != "li" and in_list:
            body.append("</ul>")
            in_list = False
        if block[0] == "h":
            body.append(f"<h{block[1]}>{html.escape(block[2])}</h{block[1]}>")
        elif block[0] == "p":
            body.append(f"<p>{html.escape(block[1])}</p>")
        elif block[0] == "li":
            body.append(f"<li>{html.escape(block[1])}</li>")
    if in_list:
        body.append("</ul>")
    page = (f'<!DOCTYPE html>\n<html lang="{doc["language"]}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(doc['title'])}</title>\n</head>\n<body>\n<main>\n" + "\n".join(body)
            + "\n</main>\n</body>\n</html>\n")
    return page.encode("utf-8")


def render_markdown(source: str) -> bytes:
    text = re.sub(r"^<!-- \w+ -->\n\n?", "", source, flags=re.M)
    return text.encode("utf-8")


def render_text(source: str) -> bytes:
    text = re.sub(r"^#{1,3} ", "", source, flags=re.M)
    return text.encode("utf-8")


# ---------------------------------------------------------------- manifest


def _toml(value) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(value)


def manifest() -> str:
    lines = ["# Second test corpus (fictional documents written for the tests). Generated by evals/corpus2/build.py.",
             ""]
    for doc in DOCUMENTS:
        lines.append("[[document]]")
        for key in ("id", "title", "kind", "date", "identifier"):
            lines.append(f"{key} = {_toml(doc[key])}")
        lines.append('url = ""')
        for key in ("language", "ministry"):
            lines.append(f"{key} = {_toml(doc[key])}")
        lines.append(f"status = {_toml(doc.get('status', 'current'))}")
        lines.append(f"replaced_by = {_toml(doc.get('replaced_by', ''))}")
        lines.append(f"files = [ {{ path = {_toml(doc['out'])}, format = {_toml(doc['format'])} }} ]")
        lines.append("")
    return "\n".join(lines)


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in DOCUMENTS:
        source = (SOURCES / doc["source"]).read_text(encoding="utf-8") if doc["source"] else ""
        layout = doc["layout"]
        if layout == "scan":
            data = render_scan(doc)
        elif doc["format"] == "pdf":
            data = render_pdf(doc, parse(source))
        elif layout == "html":
            data = render_html(doc, parse(source))
        elif layout == "markdown":
            data = render_markdown(source)
        else:
            data = render_text(source)
        path = out / doc["out"]
        path.write_bytes(data)
        written.append(path)
    path = out / "manifest.toml"
    path.write_text(manifest(), encoding="utf-8")
    written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "corpus", help="output directory")
    args = parser.parse_args()
    for path in build(args.out):
        print(f"{path.stat().st_size:>8}  {path}")


if __name__ == "__main__":
    main()
