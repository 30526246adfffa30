"""The page's HTML: answers with linked citation markers and their own sources, the sources panel, the overview,
the references and the documents table.

Everything is rendered from escaped text: document text and model output never reach the browser as markup, and
only links to the configured official sites open (see `_outbound`). Nothing here needs Gradio.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from assistant.answer.answerer import Answerer
from assistant.config import Settings
from assistant.enrich.overview import Overview
from assistant.enrich.refs import Reference
from assistant.text.normalize import match_key
from assistant.types import Answer, Citation
from assistant.web.strings import TEXT

CSS = """
.sources .source, .cited .source { border-left: 3px solid #1f4e79; padding: .4em .8em; margin: .6em 0; }
.sources .source:target, .cited .source:target { background: #fff7d6; }
.sources mark, .cited mark { background: #ffe58a; }
.sources .where, .cited .where, .refs .where { color: #444; font-size: .9em; }
.cited { margin-top: .6em; border-top: 1px solid #ddd; padding-top: .3em; }
.cited > summary { cursor: pointer; font-weight: 600; }
.lang-nl .cited [lang=en], .lang-en .cited [lang=nl] { display: none; }
.refs .ref { border-left: 3px solid #6b8e23; padding: .4em .8em; margin: .6em 0; }
.refs .flag { color: #8a5300; }
.overview blockquote { margin: .3em 0 .3em 1em; padding-left: .6em; border-left: 3px solid #1f4e79; }
.overview table { border-collapse: collapse; width: 100%; }
.overview td, .overview th { border-bottom: 1px solid #ddd; padding: .25em .5em; vertical-align: top; }
.overview .where { color: #444; font-size: .9em; }
a.cite { text-decoration: none; font-weight: 600; }
@media (max-width: 700px) { .gradio-container { padding: 4px !important; } }
"""
# A marker's link opens the folded sources it points into before the browser scrolls there (browsers that do not
# unfold a closed <details> for a link's target would otherwise scroll to nothing).
OPEN_CITED = """<script>
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a.cite");
  const target = link && document.getElementById(link.getAttribute("href").slice(1));
  const folded = target && target.closest("details");
  if (folded) folded.open = true;
}, true);
</script>"""
_MARKER = re.compile(r"\[(\d+)\]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def shown(text: str) -> str:
    """Text for the chat (which renders HTML, not Markdown): a document's `<script>` or `![img](http://…)` is
    shown as written, never run or fetched."""
    return html.escape(text, quote=False)


def status(text: str) -> str:
    """A result line for a Markdown component: file names and messages shown as written, not as markup."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))


def _plain(text: str) -> str:
    return " ".join(text.split())


def _short(text: str, room: int = 200) -> str:
    """A question as one line of at most about `room` characters (a question may be 20,000)."""
    text = _plain(text)
    return text if len(text) <= room else text[:room].rsplit(" ", 1)[0] + " …"


def _outbound(url: str | None, label: str, hosts: list[str]) -> str:
    """A link to an official site that opens only when clicked; any other address (a document can plant one)
    as plain text."""
    if not url:
        return ""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme in {"http", "https"} and any(host == h or host.endswith("." + h) for h in hosts):
        return f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{label}</a>'
    return f"<code>{html.escape(url)}</code>"


def _reference_line(ref: Any, t: dict[str, str], hosts: list[str]) -> str:
    """Title, identifier and official link of a cited document, escaped."""
    text = " — ".join(html.escape(x) for x in (ref.title, ref.identifier) if x) or html.escape(ref.id)
    link = _outbound(ref.url, t["official"], hosts)
    return f"{text} · {link}" if link else text


def _paragraph(text: str, start: int, end: int, room: int = 320) -> tuple[str, str, str]:
    """The paragraph around [start, end) as (before, quote, after), at most `room` characters either side."""
    left = text.rfind("\n\n", 0, start)
    right = text.find("\n\n", end)
    left = 0 if left < 0 else left + 2
    right = len(text) if right < 0 else right
    before, after = text[left:start], text[end:right]
    if len(before) > room:
        before = "… " + before[-room:].split(" ", 1)[-1]
    if len(after) > room:
        after = after[:room].rsplit(" ", 1)[0] + " …"
    return before, text[start:end], after


def answer_markdown(answer: Answer, turn: int) -> str:
    """The answer as escaped text whose [n] markers link to this turn's own sources (see `cited_html`). A number
    the answer does not cite stays text: no marker on the page points nowhere. Its line breaks stay (the list
    of documents is one line each), as the chat renders HTML."""
    cited = {str(c.n) for c in answer.citations}
    pieces = _MARKER.split(answer.answer)  # text, number, text, number, ..., text
    body = "".join(shown(p).replace("\n", "<br>") if i % 2 == 0
                   else f'<a class="cite" href="#src-{turn}-{p}">[{p}]</a>' if p in cited
                   else shown(f"[{p}]") for i, p in enumerate(pieces))
    notes = "".join(f"<br><small>{shown(n)}</small>" for n in answer.notices)
    return body + notes


def answer_html(answer: Answer, turn: int, answerer: Answerer, settings: Settings) -> str:
    """An answer as the chat keeps it: its text, then its own sources. The sources travel with the message, so the
    markers of every answer in the conversation, not only the latest, land on the passages that answer cites."""
    return answer_markdown(answer, turn) + cited_html(answer, turn, answerer, settings)


def cited_html(answer: Answer, turn: int, answerer: Answerer, settings: Settings) -> str:
    """An answer's sources under it in the chat, folded away so the conversation stays readable: each anchored
    `src-{turn}-{n}` (a marker's link opens the block), then the documents they refer to. Nothing for an answer that
    cites nothing: an abstention's related passages are not its sources.

    Its labels are in both languages (see `_BOTH`); the chat column's class shows one. Switching the language thus
    never renders a message again, which could land over an answer still being written."""
    if not answer.citations:
        return ""
    t = _BOTH
    parts = [f'<details class="cited"><summary>{t["sources"]} ({len(answer.citations)})</summary>']
    parts += [_source_html(c, t, f"src-{turn}-{c.n}", answerer, settings) for c in answer.citations]
    parts.append(_referenced_html(answer, t, settings))
    parts.append("</details>")
    return "".join(parts)


_BOTH = {key: nl if nl == TEXT["en"][key] else f'<span lang="nl">{nl}</span><span lang="en">{TEXT["en"][key]}</span>'
         for key, nl in TEXT["nl"].items()}


def sources_html(answer: Answer | None, lang: str, answerer: Answerer, settings: Settings) -> str:
    """The sources panel beside the chat, for the latest answer: its question, each cited passage in its paragraph,
    with its place and links, then the documents the answer refers to; for an abstention the closest passages.
    The markers' anchors are in the chat (see `cited_html`), so they stay when the next answer replaces this."""
    t = TEXT[lang]
    if answer is None:
        return f'<div class="sources"><p>{t["none"]}</p></div>'
    listed = answer.citations or answer.related
    heading = t["sources"] if answer.citations else t["maybe"]
    parts = [f'<div class="sources"><h3>{heading}</h3>',
             f'<p class="where">{t["for_question"]}: “{shown(_short(answer.question))}”</p>']
    parts += [_source_html(c, t, None, answerer, settings) for c in listed]
    parts.append(_referenced_html(answer, t, settings))
    parts.append("</div>")
    return "".join(parts)


def _referenced_html(answer: Answer, t: dict[str, str], settings: Settings) -> str:
    """The documents the cited passages refer to, so a reader can look them up (in the panel and in the chat)."""
    if not answer.references:
        return ""
    items = "".join(f"<li>{_reference_line(r, t, settings.ui.link_hosts)}</li>" for r in answer.references)
    return f"<h4>{t['referenced']}</h4><ul>{items}</ul>"


def _context(c: Citation, answerer: Answerer) -> tuple[str, str, str]:
    """The quote in its paragraph; the quote alone when the document has changed or gone since it was cited (the
    panel renders its answer again when the language changes, perhaps after a document was replaced or removed)."""
    try:
        text = answerer.document(c.doc_id).text
    except (KeyError, OSError):
        return "", c.quote, ""
    if _plain(text[c.start:c.end]) != _plain(c.quote):
        return "", c.quote, ""
    return _paragraph(text, c.start, c.end)


def _source_html(c: Citation, t: dict[str, str], anchor: str | None, answerer: Answerer, settings: Settings
                 ) -> str:
    esc = html.escape
    index = answerer.index
    if c.footnote is None:
        before, quote, after = _context(c, answerer)
        context = f"{esc(_plain(before))} <mark>{esc(_plain(quote))}</mark> {esc(_plain(after))}"
    else:
        context = f"<b>{t['footnote']} {c.footnote}:</b> <mark>{esc(_plain(c.quote))}</mark>"
    if c.table_header:  # a row's figures are read under its table's header
        context = f"<span class='where'>{t['table']}: {esc(_plain(c.table_header))}</span><br>{context}"
    notes = [f for f in _footnotes(c, answerer) if c.footnote is None and f"{f.number}" in context]
    footnotes = "".join(f"<div class='where'>{t['footnote']} {f.number}: {esc(f.text)}</div>" for f in notes)
    where = " · ".join(esc(x) for x in (c.identifier or c.doc_id, c.section) if x)
    page = f" · {t['page']} {c.page}" if c.page else ""
    links = []
    if c.url:
        links.append(_outbound(c.url, t["official"], settings.ui.link_hosts))
    pdf = _local_pdf(index.documents.get(c.doc_id, {}), settings.corpus_dir)
    if pdf and c.page:
        links.append(f'<a href="/gradio_api/file={esc(str(pdf))}#page={c.page}" target="_blank">'
                     f'{t["local"]} {c.page}</a>')
    ident = f' id="{anchor}"' if anchor else ""
    return (f'<div class="source"{ident}><b>[{c.n}] {esc(c.title)}</b><div class="where">{where}{page}</div>'
            f"<p>{context}</p>{footnotes}<div>{' · '.join(links)}</div></div>")


def _footnotes(c: Citation, answerer: Answerer) -> tuple[Any, ...]:
    """The footnotes of the cited chunk; none when the index no longer holds it (see `_context`)."""
    try:
        return answerer.index.chunk(c.chunk_id).footnotes
    except KeyError:
        return ()


def _local_pdf(document: dict[str, Any], corpus_dir: Path) -> Path | None:
    files = document.get("meta", {}).get("files", [])
    pdfs = [corpus_dir / f for f in files if f.lower().endswith(".pdf")]
    return pdfs[0].resolve() if pdfs else None


def overview_html(view: Overview, lang: str) -> str:
    """The Overview page: each document's sections with quoted summaries, the glossary, the timeline and
    who is who, every line with its source."""
    t, esc = TEXT[lang], html.escape

    def where(c: Any) -> str:
        bits = [c.doc_id, f"{t['page']} {c.page}" if c.page else "",
                f"{t['footnote']} {c.footnote}" if c.footnote else ""]
        return f"<span class='where'>{esc(', '.join(b for b in bits if b))}</span>"

    def quote(c: Any) -> str:
        return f"“{esc(_plain(c.quote))}” {where(c)}"

    parts = [f'<div class="overview"><p>{esc(t["intro"])}</p>']
    if view.outdated:
        parts.append(f"<p class='flag'>⚠ {esc(t['outdated'])} {esc(', '.join(view.outdated))}</p>")
    for d in view.documents:
        parts.append(f"<details open><summary><b>{esc(d.title)}</b> — {esc(d.identifier or d.doc_id)}"
                     f"{', ' + esc(d.date) if d.date else ''}</summary><ul>")
        for s in d.sections:
            pages = f"{t['page']} {s.pages[0]}" + (f"–{s.pages[-1]}" if len(s.pages) > 1 else "") if s.pages else ""
            quotes = "".join(f"<blockquote>{quote(c)}</blockquote>" for c in s.summary)
            if s.condensed:
                by = f"<span class='where'>({esc(s.condensed_by or '')})</span>"
                quotes = f"<p>{esc(s.condensed)} {by}</p>{quotes}"
            parts.append(f"<li style='margin-left:{len(s.path) - 1}em'><b>{esc(s.path[-1])}</b> "
                         f"<span class='where'>{pages}</span>{quotes}</li>")
        parts.append("</ul></details>")
    parts.append(f"<h3>{t['glossary']}</h3><table>")
    for e in view.glossary:
        if e.defined_at:
            meaning = esc(e.expansion or "") if e.kind == "abbreviation" else f"“{esc(_plain(e.expansion or ''))}”"
            flag = f" <span class='flag'>⚠ {t['conflict']}</span>" if e.conflict else ""
            source = where(e.defined_at[0]) + flag
        else:
            meaning = f"{esc(e.expansion)} <i>({t['curated']})</i>" if e.expansion else f"<i>{t['unexpanded']}</i>"
            source = where(e.used_at[0]) if e.used_at else ""
        parts.append(f"<tr><td><b>{esc(e.term)}</b></td><td>{meaning}</td><td>{source}</td></tr>")
    parts.append(f"</table><h3>{t['timeline']}</h3><table>")
    for ev in view.timeline:
        resolved = f"<br><span class='where'>{t['resolved']} “{esc(ev.as_written)}”</span>" if ev.resolved else ""
        if not ev.current:
            resolved += f"<br><span class='flag'>⚠ {t['not_current']}</span>"
        parts.append(f"<tr><td><b>{esc(ev.when)}</b>{resolved}</td><td>{t.get(ev.status, ev.status)}</td>"
                     f"<td>{quote(ev.cited)}</td></tr>")
    parts.append(f"</table><h3>{t['actors']}</h3><table>")
    for a in view.actors:
        alias = f" <span class='where'>({esc(', '.join(a.aliases))})</span>" if a.aliases else ""
        role = quote(a.roles[0]) if a.roles else ""
        parts.append(f"<tr><td><b>{esc(a.name)}</b>{alias}</td><td>{role}</td></tr>")
    parts.append("</table></div>")
    return "".join(parts)


def references_html(references: list[Reference], query: str, kind: str | None, missing: bool, lang: str,
                    link_hosts: list[str]) -> str:
    """The References page: every cited document once, with its identifier, official link, whether it is in
    the corpus, and each place it is cited (the citation highlighted in its sentence)."""
    t, esc = TEXT[lang], html.escape
    wanted = match_key(query or "")
    shown_refs = []
    for ref in references:
        text = match_key(" ".join(filter(None, [ref.id, ref.title, ref.identifier, *ref.names,
                                                *(p.quote for p in ref.places)])))
        if (not kind or ref.kind == kind) and (not missing or not ref.in_corpus) and wanted in text:
            shown_refs.append(ref)
    if not shown_refs:
        return f'<div class="refs"><p>{t["no_refs"]}</p></div>'
    parts = [f'<div class="refs"><p class="where">{len(shown_refs)} {t["refs"].lower()}</p>']
    for ref in shown_refs:
        status_line = (f"{t['in_corpus']} <code>{esc(ref.in_corpus)}</code>" if ref.in_corpus
                       else f"{t['not_in_corpus']} <code>{esc(ref.missing_hint)}</code>")
        flags = f' <span class="flag">⚠ {esc(", ".join(ref.flags))}</span>' if ref.flags else ""
        places = []
        for p in ref.places:
            where = ", ".join(x for x in (p.doc_id, f"{t['page']} {p.page}" if p.page else "",
                                          f"{t['footnote']} {p.footnote}" if p.footnote else "", p.section) if x)
            sentence = _plain(p.quote)
            cut = sentence.find(_plain(p.as_written))
            marked = (esc(sentence) if cut < 0 else esc(sentence[:cut]) + "<mark>"
                      + esc(_plain(p.as_written)) + "</mark>" + esc(sentence[cut + len(_plain(p.as_written)):]))
            places.append(f"<li><span class='where'>{esc(where)}</span><br>{marked}</li>")
        line = _reference_line(ref, t, link_hosts)
        parts.append(
            f'<div class="ref" id="ref-{esc(ref.id)}"><b>{line}</b> '
            f'<span class="where">[{esc(ref.kind)}] {esc(ref.id)}{" · " + esc(ref.date) if ref.date else ""}'
            f"</span>{flags}<div class='where'>{status_line}</div>"
            f"<details><summary>{t['cited_at']} ({len(ref.places)})</summary><ul>{''.join(places)}</ul>"
            "</details></div>")
    parts.append("</div>")
    return "".join(parts)


def plain_text(answer: Answer, lang: str) -> str:
    """The answer with a formatted reference list, for pasting into a note or an e-mail."""
    lines = [answer.answer, "", TEXT[lang]["sources"] + ":"] if answer.citations else [answer.answer]
    for c in answer.citations:
        where = ", ".join(x for x in (c.identifier, f"p. {c.page}" if c.page else "", c.section) if x)
        lines.append(f"[{c.n}] {c.title} ({where}): “{_plain(c.quote)}”" + (f" {c.url}" if c.url else ""))
    if answer.references:
        lines += ["", TEXT[lang]["referenced"] + ":"]
        lines += [" — ".join(x for x in (r.title, r.identifier, r.url) if x) for r in answer.references]
    return "\n".join(lines)


def documents_table(documents: dict[str, Any]) -> list[list[Any]]:
    """The documents page's table: one row per indexed document, by id."""
    rows = []
    for doc_id, d in sorted(documents.items()):
        m = d["meta"]
        rows.append([doc_id, m["title"], m["kind"], m["date"] or "", m["identifier"] or "", d.get("pages", 0),
                     len(d["chunk_ids"]), ", ".join(m["files"]), m["status"]])
    return rows
