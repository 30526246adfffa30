"""The web interface (Gradio): cited answers that stream in, the sources they rest on, and the documents.

Everything is rendered from escaped text: document text and model output never reach the browser as markup.
The page loads nothing from outside this server: system fonts, no analytics.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import os
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import gradio as gr

from assistant.answer.answerer import Answerer, Turn
from assistant.config import Settings
from assistant.enrich.refs import KINDS
from assistant.index.store import current_generation
from assistant.ingest import add_document, ingest
from assistant.present.briefing import condense
from assistant.retrieve import Filters
from assistant.sources.corpus import remove_document
from assistant.sources.loaders import SUPPORTED
from assistant.text.normalize import match_key
from assistant.types import Answer, AssistantError, Citation

EXAMPLES = {
    "nl": ["Welke vier thema's kent de agenda Coalities voor de digitale samenleving?",
           "Wat is de Basis Data Infrastructuur?",
           "Welk netwerk formuleerde oplossingsrichtingen voor knelpunten in de publieke dienstverlening?",
           "Wanneer stemde het Europees Parlement in met de AI-verordening?"],
    "en": ["Which institution runs a Centre of Expertise Applied AI?",
           "What are the two goals of the agenda 'Coalities voor de digitale samenleving'?"],
}
TEXT = {
    "nl": {"title": "Beleidsassistent digitalisering", "ask": "Stel een vraag over de documenten",
           "send": "Vraag", "new": "Nieuw gesprek", "docs": "Documenten", "filter": "Alleen in deze documenten",
           "sources": "Bronnen", "copy": "Antwoord met bronnen (om te kopiëren)", "chat": "Vragen",
           "upload": "Document toevoegen (PDF, HTML, TXT, MD)", "doc_title": "Titel", "kind": "Soort",
           "date": "Datum (JJJJ-MM-DD)", "add": "Toevoegen en indexeren", "remove": "Verwijderen",
           "remove_which": "Document om te verwijderen", "comment": "Toelichting bij uw beoordeling (optioneel)",
           "send_feedback": "Beoordeling versturen", "maybe": "Misschien verwant", "page": "p.",
           "footnote": "Voetnoot", "official": "Officiële publicatie", "local": "Lokale PDF, pagina",
           "none": "Nog geen bronnen: stel een vraag.", "backend": "Antwoorden door", "good": "Goed antwoord",
           "bad": "Slecht antwoord", "examples": "Voorbeeldvragen", "refs": "Verwijzingen",
           "refs_search": "Zoek in verwijzingen (nummer, titel, woord)", "refs_kind": "Soort verwijzing",
           "refs_missing": "Alleen wat niet in het corpus staat", "cited_at": "Geciteerd in",
           "in_corpus": "In het corpus als", "not_in_corpus": "Geciteerd, niet in het corpus; toevoegen met",
           "referenced": "Genoemde documenten", "no_refs": "Geen verwijzingen gevonden.", "overview": "Overzicht",
           "intro": "Wat staat er in de documenten? Per document de opbouw met een samenvatting per onderdeel, "
                    "de afkortingen en begrippen, de tijdlijn en wie wie is. Elke regel is een letterlijk citaat "
                    "met vindplaats.",
           "glossary": "Begrippen en afkortingen", "timeline": "Tijdlijn", "actors": "Wie is wie",
           "curated": "niet uit de documenten", "unexpanded": "nergens uitgeschreven", "resolved": "afgeleid uit",
           "briefing_md": "Briefing (Markdown)", "briefing_html": "Briefing (HTML)", "briefing": "Briefing",
           "try": "Begin met een vraag", "past": "gebeurd", "planned": "gepland", "target": "doel",
           "conflict": "elders anders gedefinieerd"},
    "en": {"title": "Digitalisation policy assistant", "ask": "Ask a question about the documents",
           "send": "Ask", "new": "New conversation", "docs": "Documents", "filter": "Only in these documents",
           "sources": "Sources", "copy": "Answer with references (to copy)", "chat": "Ask",
           "upload": "Add a document (PDF, HTML, TXT, MD)", "doc_title": "Title", "kind": "Kind",
           "date": "Date (YYYY-MM-DD)", "add": "Add and index", "remove": "Remove",
           "remove_which": "Document to remove", "comment": "Comment on your rating (optional)",
           "send_feedback": "Send rating", "maybe": "Maybe related", "page": "p.",
           "footnote": "Footnote", "official": "Official publication", "local": "Local PDF, page",
           "none": "No sources yet: ask a question.", "backend": "Answers by", "good": "Good answer",
           "bad": "Bad answer", "examples": "Example questions", "refs": "References",
           "refs_search": "Search references (number, title, word)", "refs_kind": "Kind of reference",
           "refs_missing": "Only what is not in the corpus", "cited_at": "Cited at",
           "in_corpus": "In the corpus as", "not_in_corpus": "Cited, not in the corpus; add it with",
           "referenced": "Documents referred to", "no_refs": "No references found.", "overview": "Overview",
           "intro": "What is in the documents? For each document its structure with a summary per part, the "
                    "abbreviations and terms, the timeline and who is who. Every line is a verbatim quote with "
                    "its place.",
           "glossary": "Terms and abbreviations", "timeline": "Timeline", "actors": "Who is who",
           "curated": "not from the documents", "unexpanded": "never written out", "resolved": "resolved from",
           "briefing_md": "Briefing (Markdown)", "briefing_html": "Briefing (HTML)", "briefing": "Briefing",
           "try": "Start with a question", "past": "happened", "planned": "planned", "target": "target",
           "conflict": "defined differently elsewhere"},
}
CSS = """
.sources .source { border-left: 3px solid #1f4e79; padding: .4em .8em; margin: .6em 0; }
.sources .source:target { background: #fff7d6; }
.sources mark { background: #ffe58a; }
.sources .where, .refs .where { color: #444; font-size: .9em; }
.refs .ref { border-left: 3px solid #6b8e23; padding: .4em .8em; margin: .6em 0; }
.refs .flag { color: #8a5300; }
.overview blockquote { margin: .3em 0 .3em 1em; padding-left: .6em; border-left: 3px solid #1f4e79; }
.overview table { border-collapse: collapse; width: 100%; }
.overview td, .overview th { border-bottom: 1px solid #ddd; padding: .25em .5em; vertical-align: top; }
.overview .where { color: #444; font-size: .9em; }
a.cite { text-decoration: none; font-weight: 600; }
@media (max-width: 700px) { .gradio-container { padding: 4px !important; } }
"""
THEME = gr.themes.Base(font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
                       font_mono=["ui-monospace", "Consolas", "monospace"])
_MARKER = re.compile(r"\[(\d+)\]")
_PROGRESS = gr.Progress()  # as a default value it makes Gradio show a progress bar for the ingest


def hash_password(password: str, salt: str | None = None, rounds: int = 200_000) -> str:
    """A PBKDF2-SHA256 hash in the form the `ui.users` setting stores (`pbkdf2_sha256$rounds$salt$hex`)."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), rounds).hex()
    return f"pbkdf2_sha256${rounds}${salt}${digest}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, rounds, salt, _ = stored.split("$")
        return scheme == "pbkdf2_sha256" and hmac.compare_digest(hash_password(password, salt, int(rounds)), stored)
    except ValueError:  # a malformed stored value matches no password
        return False


def shown(text: str) -> str:
    """Text for the chat (which renders HTML, not Markdown): a document's `<script>` or `![img](http://…)` is
    shown as written, never run or fetched."""
    return html.escape(text, quote=False)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def status(text: str) -> str:
    """A result line for a Markdown component: file names and messages shown as written, not as markup."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))


def _plain(text: str) -> str:
    return " ".join(text.split())


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


class App:
    """The state shared by all browser sessions: one answerer (models loaded once), the settings."""

    def __init__(self, settings: Settings, backend: str | None = None) -> None:
        self.settings = settings
        self.answerer = Answerer(settings, backend)
        self.answerer.via = "web"
        self._lock = threading.Lock()  # one ingest at a time, and no answer against a half-swapped index

    def reload(self) -> None:
        """A new answerer over the newly committed index (the model stays loaded: it is cached per process)."""
        self.answerer = Answerer(self.settings, self.answerer.backend)
        self.answerer.via = "web"

    def refresh(self) -> None:
        """Follow an index another process committed (several `serve` processes share one index or one Chroma
        server): answers always come from the live generation."""
        try:
            live = current_generation(self.settings.index_dir)
        except AssistantError:
            return  # a damaged pointer: keep answering from the generation already open
        if live and live != self.answerer.index.gen_dir.name:
            with self._lock:
                if live != self.answerer.index.gen_dir.name:
                    self.reload()

    def health(self) -> dict[str, Any]:
        """What `/health` reports: the index this process answers from and whether it is the live one."""
        try:
            live = current_generation(self.settings.index_dir)
        except AssistantError as exc:
            return {"status": "error", "problem": str(exc)}
        index = self.answerer.index
        return {"status": "ok" if live else "error", "generation": index.gen_dir.name, "live_generation": live,
                "documents": len(index.documents), "chunks": len(index.chunks),
                "backend": self.answerer.backend.name, "model": self.answerer.backend.model}

    # -- rendering -------------------------------------------------------------------------------------------

    def answer_markdown(self, answer: Answer, turn: int) -> str:
        """The answer as escaped text whose [n] markers link to this turn's sources in the sources panel."""
        if not answer.citations:
            body = shown(answer.answer)
        else:
            pieces = _MARKER.split(answer.answer)  # text, number, text, number, ..., text
            body = "".join(shown(p) if i % 2 == 0 else f'<a class="cite" href="#src-{turn}-{p}">[{p}]</a>'
                           for i, p in enumerate(pieces))
        notes = "".join(f"<br><small>{shown(n)}</small>" for n in answer.notices)
        return body + notes

    def sources_html(self, answer: Answer | None, lang: str, turn: int = 0) -> str:
        t = TEXT[lang]
        if answer is None:
            return f'<div class="sources"><p>{t["none"]}</p></div>'
        listed = answer.citations or answer.related
        heading = t["sources"] if answer.citations else t["maybe"]
        parts = [f'<div class="sources"><h3>{heading}</h3>']
        for c in listed:
            parts.append(self._source_html(c, t, f"src-{turn}-{c.n}" if answer.citations else None))
        if answer.references:
            parts.append(f"<h4>{t['referenced']}</h4><ul>")
            for r in answer.references:
                parts.append(f"<li>{_reference_line(r, t, self.settings.ui.link_hosts)}</li>")
            parts.append("</ul>")
        parts.append("</div>")
        return "".join(parts)

    def overview_html(self, lang: str) -> str:
        """The Overview page: each document's sections with quoted summaries, the glossary, the timeline and
        who is who, every line with its source."""
        t, esc = TEXT[lang], html.escape
        # with what `overview --condense` kept for this backend's model
        view, _ = condense(self.answerer.index.overview(), self.settings, self.answerer.backend, ask=False)

        def where(c: Any) -> str:
            bits = [c.doc_id, f"{t['page']} {c.page}" if c.page else "",
                    f"{t['footnote']} {c.footnote}" if c.footnote else ""]
            return f"<span class='where'>{esc(', '.join(b for b in bits if b))}</span>"

        def quote(c: Any) -> str:
            return f"“{esc(_plain(c.quote))}” {where(c)}"

        parts = [f'<div class="overview"><p>{esc(t["intro"])}</p>']
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
            parts.append(f"<tr><td><b>{esc(ev.when)}</b>{resolved}</td><td>{t.get(ev.status, ev.status)}</td>"
                         f"<td>{quote(ev.cited)}</td></tr>")
        parts.append(f"</table><h3>{t['actors']}</h3><table>")
        for a in view.actors:
            alias = f" <span class='where'>({esc(', '.join(a.aliases))})</span>" if a.aliases else ""
            role = quote(a.roles[0]) if a.roles else ""
            parts.append(f"<tr><td><b>{esc(a.name)}</b>{alias}</td><td>{role}</td></tr>")
        parts.append("</table></div>")
        return "".join(parts)

    def briefing_file(self, fmt: str) -> str:
        """The overview as a briefing file to download (Markdown or HTML), with its list of sources."""
        from assistant.present.briefing import briefing

        folder = Path(tempfile.mkdtemp(prefix="briefing-"))
        path = folder / f"overzicht.{fmt}"
        path.write_text(briefing(self.answerer.index.overview(), fmt), encoding="utf-8")
        return str(path)

    def references_html(self, query: str, kind: str | None, missing: bool, lang: str) -> str:
        """The References page: every cited document once, with its identifier, official link, whether it is in
        the corpus, and each place it is cited (the citation highlighted in its sentence)."""
        t, esc = TEXT[lang], html.escape
        wanted = match_key(query or "")
        shown_refs = []
        for ref in self.answerer.index.references():
            text = match_key(" ".join(filter(None, [ref.id, ref.title, ref.identifier, *ref.names,
                                                    *(p.sentence for p in ref.places)])))
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
                sentence = _plain(p.sentence)
                cut = sentence.find(_plain(p.as_written))
                marked = (esc(sentence) if cut < 0 else esc(sentence[:cut]) + "<mark>"
                          + esc(_plain(p.as_written)) + "</mark>" + esc(sentence[cut + len(_plain(p.as_written)):]))
                places.append(f"<li><span class='where'>{esc(where)}</span><br>{marked}</li>")
            line = _reference_line(ref, t, self.settings.ui.link_hosts)
            parts.append(
                f'<div class="ref" id="ref-{esc(ref.id)}"><b>{line}</b> '
                f'<span class="where">[{esc(ref.kind)}] {esc(ref.id)}{" · " + esc(ref.date) if ref.date else ""}'
                f"</span>{flags}<div class='where'>{status_line}</div>"
                f"<details><summary>{t['cited_at']} ({len(ref.places)})</summary><ul>{''.join(places)}</ul>"
                "</details></div>")
        parts.append("</div>")
        return "".join(parts)

    def _source_html(self, c: Citation, t: dict[str, str], anchor: str | None) -> str:
        esc = html.escape
        index = self.answerer.index
        if c.footnote is None:
            before, quote, after = _paragraph(self.answerer.document(c.doc_id).text, c.start, c.end)
            context = f"{esc(_plain(before))} <mark>{esc(_plain(quote))}</mark> {esc(_plain(after))}"
        else:
            context = f"<b>{t['footnote']} {c.footnote}:</b> <mark>{esc(_plain(c.quote))}</mark>"
        notes = [f for f in index.chunk(c.chunk_id).footnotes if c.footnote is None and f"{f.number}" in context]
        footnotes = "".join(f"<div class='where'>{t['footnote']} {f.number}: {esc(f.text)}</div>" for f in notes)
        where = " · ".join(esc(x) for x in (c.identifier or c.doc_id, c.section) if x)
        page = f" · {t['page']} {c.page}" if c.page else ""
        links = []
        if c.url:
            links.append(_outbound(c.url, t["official"], self.settings.ui.link_hosts))
        pdf = self._local_pdf(c.doc_id)
        if pdf and c.page:
            links.append(f'<a href="/gradio_api/file={esc(str(pdf))}#page={c.page}" target="_blank">'
                         f'{t["local"]} {c.page}</a>')
        ident = f' id="{anchor}"' if anchor else ""
        return (f'<div class="source"{ident}><b>[{c.n}] {esc(c.title)}</b><div class="where">{where}{page}</div>'
                f"<p>{context}</p>{footnotes}<div>{' · '.join(links)}</div></div>")

    def _local_pdf(self, doc_id: str) -> Path | None:
        files = self.answerer.index.documents.get(doc_id, {}).get("meta", {}).get("files", [])
        pdfs = [self.settings.corpus_dir / f for f in files if f.lower().endswith(".pdf")]
        return pdfs[0].resolve() if pdfs else None

    def plain_text(self, answer: Answer, lang: str) -> str:
        """The answer with a formatted reference list, for pasting into a note or an e-mail."""
        lines = [answer.answer, "", TEXT[lang]["sources"] + ":"] if answer.citations else [answer.answer]
        for c in answer.citations:
            where = ", ".join(x for x in (c.identifier, f"p. {c.page}" if c.page else "", c.section) if x)
            lines.append(f"[{c.n}] {c.title} ({where}): “{_plain(c.quote)}”" + (f" {c.url}" if c.url else ""))
        if answer.references:
            lines += ["", TEXT[lang]["referenced"] + ":"]
            lines += [" — ".join(x for x in (r.title, r.identifier, r.url) if x) for r in answer.references]
        return "\n".join(lines)

    def document_choices(self) -> tuple[list[list[Any]], Any, Any]:
        """The documents table and both document pickers (filter, removal) as the index now has them."""
        ids = list(self.answerer.index.documents)
        return self.documents_table(), gr.update(choices=ids), gr.update(choices=ids, value=None)

    def documents_table(self) -> list[list[Any]]:
        rows = []
        for doc_id, d in sorted(self.answerer.index.documents.items()):
            m = d["meta"]
            rows.append([doc_id, m["title"], m["kind"], m["date"] or "", m["identifier"] or "", d.get("pages", 0),
                         len(d["chunk_ids"]), ", ".join(m["files"]), m["status"]])
        return rows

    # -- actions ---------------------------------------------------------------------------------------------

    def ask(self, question: str, history: list[dict], turns: list[Turn], doc_ids: list[str], lang: str
            ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat, then show it verified, with its sources."""
        if not question or not question.strip():
            yield history, turns, gr.update(), gr.update(), None, ""
            return
        self.refresh()
        history = [*history, {"role": "user", "content": shown(question)},
                   {"role": "assistant", "content": "…"}]
        draft = ""
        try:
            for event in self.answerer.stream(question, turns, Filters(list(doc_ids or []))):
                if isinstance(event, Answer):
                    turns = [*turns, Turn(event.question, event.answer)]
                    history[-1] = {"role": "assistant", "content": self.answer_markdown(event, len(turns))}
                    yield (history, turns, self.sources_html(event, lang, len(turns)), self.plain_text(event, lang),
                           event.model_dump(), "")
                    return
                draft += event
                history[-1] = {"role": "assistant", "content": shown(draft)}
                yield history, turns, gr.update(), gr.update(), None, ""
        except AssistantError as exc:
            history[-1] = {"role": "assistant", "content": shown(f"⚠ {exc}")}
            yield history, turns, gr.update(), gr.update(), None, ""

    def feedback(self, answer: dict | None, rating: str, comment: str) -> str:
        """Append a rating of the last answer, with its question and citations, to the local feedback file."""
        if not answer:
            return "—"
        path = self.settings.ui.feedback_path
        path.parent.mkdir(parents=True, exist_ok=True)
        row = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "rating": rating, "comment": (comment or "")[:2000],
               "question": answer["question"], "answer": answer["answer"], "abstained": answer["abstained"],
               "citations": [{k: c[k] for k in ("n", "doc_id", "page", "section", "quote", "chunk_id")}
                             for c in answer["citations"]],
               "backend": answer["backend"], "model": answer["model"]}
        with self._lock, open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        return f"✓ {rating}"

    def upload(self, file: str | None, title: str, kind: str, date: str, progress: gr.Progress = _PROGRESS
               ) -> tuple[Any, ...]:
        """Check an uploaded file by content and size, put it in the corpus with its metadata, and ingest."""
        if not file:
            return status("Geen bestand gekozen / no file chosen"), *self.document_choices()
        source = Path(file)

        def report(what: str, done: int, total: int) -> None:
            progress((done, total) if total else None, desc=what)

        with self._lock:
            try:
                result = add_document(self.settings, source, progress=report, title=title, kind=kind, date=date)
            except AssistantError as exc:
                return status(f"✗ {exc}"), *self.document_choices()
            finally:
                self.reload()
        done = f"✓ {result.name}: {result.status}: {result.pages} pages, {result.chunks} chunks"
        return status(done), *self.document_choices()

    def remove(self, doc_id: str | None, progress: gr.Progress = _PROGRESS) -> tuple[Any, ...]:
        documents = self.answerer.index.documents
        if not doc_id or doc_id not in documents:
            return status("Kies een document / choose a document"), *self.document_choices()
        with self._lock:
            moved = remove_document(self.settings.corpus_dir, doc_id, documents[doc_id]["meta"]["files"])
            self._ingest(progress)
        done = f"✓ {doc_id} removed; files kept in corpus/.removed: {', '.join(moved)}"
        return status(done), *self.document_choices()

    def _ingest(self, progress: gr.Progress | None) -> Any:
        def report(what: str, done: int, total: int) -> None:
            if progress is not None:
                progress((done, total) if total else None, desc=what)

        result = ingest(self.settings, progress=report)
        self.reload()
        return result


def build(app: App) -> gr.Blocks:
    """The interface: a chat page with sources, and a documents page."""
    t = TEXT["nl"]
    backend = app.answerer.backend
    with gr.Blocks(title=t["title"], analytics_enabled=False) as blocks:
        lang = gr.State("nl")
        turns = gr.State([])
        last = gr.State(None)
        with gr.Row():
            heading = gr.Markdown(f"## {t['title']}")
            language = gr.Radio(["Nederlands", "English"], value="Nederlands", show_label=False, scale=0)
        indicator = gr.Markdown(f"{t['backend']}: **{backend.name}** ({backend.model or 'geen model'})")
        visited = gr.BrowserState(False, storage_key="assistant-visited")
        # hidden until the landing tab is chosen (see the load event below): nothing switches under the cursor
        with gr.Tabs(selected="overview", visible="hidden") as tabs:
            with gr.Tab(t["overview"], id="overview") as overview_tab:
                gr.Markdown(f"### {t['try']}")
                with gr.Row():
                    starters = [gr.Button(q, size="sm") for q in EXAMPLES["nl"][:3]]
                with gr.Row():
                    briefing_md = gr.Button(t["briefing_md"], size="sm")
                    briefing_html = gr.Button(t["briefing_html"], size="sm")
                briefing_out = gr.File(label=t["briefing"], interactive=False, height=80)
                overview_page = gr.HTML(app.overview_html("nl"))
            with gr.Tab(t["chat"], id="chat") as chat_tab:
                with gr.Row():
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(label=t["chat"], height=480, sanitize_html=True, render_markdown=False)
                        question = gr.Textbox(label=t["ask"], lines=1, max_lines=6, max_length=20_000)
                        with gr.Row():
                            send = gr.Button(t["send"], variant="primary")
                            new = gr.Button(t["new"])
                        examples = gr.Examples(EXAMPLES["nl"] + EXAMPLES["en"], inputs=question, label=t["examples"])
                        docs = gr.Dropdown(choices=list(app.answerer.index.documents), multiselect=True,
                                           label=t["filter"])
                        copy = gr.Textbox(label=t["copy"], lines=4, interactive=False, buttons=["copy"])
                        with gr.Row():
                            up = gr.Button(t["good"])
                            down = gr.Button(t["bad"])
                        comment = gr.Textbox(label=t["comment"], lines=1)
                        thanks = gr.Markdown()
                    with gr.Column(scale=2):
                        sources = gr.HTML(app.sources_html(None, "nl"))
            with gr.Tab(t["docs"]) as docs_tab:
                table = gr.Dataframe(app.documents_table(), interactive=False, wrap=True,
                                     headers=["id", "title", "kind", "date", "identifier", "pages", "chunks", "files",
                                              "status"])
                upload = gr.File(label=t["upload"], file_types=sorted(SUPPORTED), type="filepath")
                with gr.Row():
                    title = gr.Textbox(label=t["doc_title"])
                    kind = gr.Textbox(label=t["kind"], value="document")
                    date = gr.Textbox(label=t["date"])
                add = gr.Button(t["add"], variant="primary")
                result = gr.Markdown()
                which = gr.Dropdown(choices=list(app.answerer.index.documents), value=None, label=t["remove_which"])
                remove = gr.Button(t["remove"], variant="stop")

            with gr.Tab(t["refs"]) as refs_tab:
                with gr.Row():
                    refs_query = gr.Textbox(label=t["refs_search"], scale=3)
                    refs_kind = gr.Dropdown(choices=[("—", ""), *((k, k) for k in KINDS)], value="",
                                            label=t["refs_kind"], scale=1)
                    refs_missing = gr.Checkbox(label=t["refs_missing"], value=False, scale=1)
                refs_list = gr.HTML(app.references_html("", None, False, "nl"))

        outputs = [chat, turns, sources, copy, last, question]

        def ask(q: str, h: list[dict], tr: list[Turn], d: list[str], lg: str) -> Iterator[tuple[Any, ...]]:
            for out in app.ask(q, h, tr, d, lg):
                h, tr, src, cp, ans, cleared = out
                yield h, tr, src, cp, ans if ans is not None else gr.update(), cleared

        # one answer at a time: the embedded model is a single in-process llama.cpp context
        question.submit(ask, [question, chat, turns, docs, lang], outputs, concurrency_id="answer")
        send.click(ask, [question, chat, turns, docs, lang], outputs, concurrency_id="answer")

        def answer(question: str, doc_ids: list[str] | None = None) -> dict:
            """One question answered with citations, as `ask --json` prints it (for scripts and load tests)."""
            app.refresh()
            return app.answerer.ask(question, (), Filters(list(doc_ids or []))).model_dump()

        gr.api(answer, api_name="answer", concurrency_id="answer")
        new.click(lambda lg: ([], [], app.sources_html(None, lg), "", None, ""), [lang], outputs)
        up.click(lambda a, c: app.feedback(a, "up", c), [last, comment], thanks)
        down.click(lambda a, c: app.feedback(a, "down", c), [last, comment], thanks)
        add.click(app.upload, [upload, title, kind, date], [result, table, docs, which])
        remove.click(app.remove, [which], [result, table, docs, which])

        def landing(seen: bool) -> tuple[Any, ...]:
            """A first visit (a login included) lands on the Overview; later visits, remembered in this browser, on
            the questions. The tabs appear with that choice made and with today's documents (a page loaded after an
            upload lists it), so a page never changes under the cursor once shown."""
            return gr.Tabs(selected="chat" if seen else "overview", visible=True), True, *app.document_choices()

        blocks.load(landing, [visited], [tabs, visited, table, docs, which])
        for starter in starters:
            starter.click(lambda q: (q, gr.Tabs(selected="chat")), [starter], [question, tabs])
        briefing_md.click(lambda: app.briefing_file("md"), None, briefing_out)
        briefing_html.click(lambda: app.briefing_file("html"), None, briefing_out)
        refs_inputs = [refs_query, refs_kind, refs_missing, lang]
        for trigger in (refs_query.change, refs_kind.change, refs_missing.change, refs_tab.select):
            # one queue for every refresh of the list, so they finish in the order asked: an earlier search (the
            # tab's own, or a shorter query) never lands over the result of a later one
            trigger(lambda q, k, m, lg: app.references_html(q, k or None, m, lg), refs_inputs, refs_list,
                    show_progress="hidden", concurrency_id="refs")

        def switch(choice: str, shown_answer: dict | None, tr: list[Turn]) -> tuple[Any, ...]:
            lg = "en" if choice == "English" else "nl"
            tx = TEXT[lg]
            panel = app.sources_html(Answer.model_validate(shown_answer) if shown_answer else None, lg, len(tr))
            return (lg, panel, gr.update(label=tx["examples"]), f"## {tx['title']}", gr.update(label=tx["ask"]),
                    gr.update(value=tx["send"]), gr.update(value=tx["new"]), gr.update(label=tx["filter"]),
                    gr.update(label=tx["copy"]), gr.update(label=tx["comment"]), gr.update(label=tx["chat"]),
                    gr.update(label=tx["chat"]), gr.update(label=tx["docs"]), gr.update(label=tx["upload"]),
                    gr.update(label=tx["doc_title"]), gr.update(label=tx["kind"]), gr.update(label=tx["date"]),
                    gr.update(value=tx["add"]), gr.update(label=tx["remove_which"]), gr.update(value=tx["remove"]),
                    gr.update(value=tx["good"]), gr.update(value=tx["bad"]),
                    f"{tx['backend']}: **{backend.name}** ({backend.model or '—'})", gr.update(label=tx["refs"]),
                    gr.update(label=tx["refs_search"]), gr.update(label=tx["refs_kind"]),
                    gr.update(label=tx["refs_missing"]), gr.update(label=tx["overview"]),
                    gr.update(value=tx["briefing_md"]), gr.update(value=tx["briefing_html"]),
                    gr.update(label=tx["briefing"]), app.overview_html(lg))

        language.change(switch, [language, last, turns],
                        [lang, sources, examples.dataset, heading, question, send, new, docs, copy, comment, chat,
                         chat_tab, docs_tab, upload, title, kind, date, add, which, remove, up, down, indicator,
                         refs_tab, refs_query, refs_kind, refs_missing, overview_tab, briefing_md, briefing_html,
                         briefing_out, overview_page]).then(
            lambda q, k, m, lg: app.references_html(q, k or None, m, lg), refs_inputs, refs_list,
            concurrency_id="refs")
    return blocks


def serve(app: App, host: str, port: int, users: dict[str, str], open_browser: bool = False) -> None:
    """Run the interface (and `/health` for load balancers); anywhere but on this machine only for the
    configured users."""
    import threading
    import webbrowser

    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    local = host in {"127.0.0.1", "localhost", "::1"}
    if not local and not users:
        raise AssistantError(
            f"serving on {host} needs users: add `ui.users` (name = hash from `assistant hash-password`) to "
            "assistant.toml, or bind to 127.0.0.1")
    auth = None if local and not users else (lambda name, password: name in users
                                             and check_password(password, users[name]))
    corpus = app.settings.corpus_dir.resolve()
    server = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @server.get("/health", include_in_schema=False)
    def health() -> JSONResponse:
        state = app.health()
        return JSONResponse(state, status_code=200 if state["status"] == "ok" else 503)

    gr.mount_gradio_app(server, build(app), path="", auth=auth, allowed_paths=[str(corpus)],
                        blocked_paths=[str(corpus / ".removed")], footer_links=[], theme=THEME, css=CSS,
                        max_file_size=f"{app.settings.ingest.max_file_mb}mb", show_error=False, pwa=False,
                        mcp_server=False, ssr_mode=False, enable_monitoring=False)
    if open_browser:
        threading.Timer(2.0, webbrowser.open, [f"http://{host}:{port}/"]).start()
    uvicorn.run(server, host=host, port=port, log_level="warning")
