"""The web page (Gradio): cited answers that stream in, each keeping the sources it rests on, the overview, the
references and the documents, in Dutch or English.

`App` holds what all browser sessions share and answers the page's events; `build` lays out the page and wires
those events; `mount` puts it on the HTTP server. The page loads nothing from outside this server: system fonts,
no analytics.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import gradio as gr
from fastapi import FastAPI

from assistant.answer.answerer import Answerer, Turn
from assistant.config import Settings
from assistant.enrich.refs import KINDS
from assistant.index import current_generation
from assistant.ingest import add_document, ingest
from assistant.models.llm import Backend
from assistant.present.briefing import briefing, condense
from assistant.retrieve import Filters
from assistant.sources.corpus import remove_document
from assistant.sources.loaders import SUPPORTED
from assistant.types import Answer, AssistantError
from assistant.web import render
from assistant.web.render import CSS, OPEN_CITED, shown, status
from assistant.web.strings import EXAMPLES, SIGN_IN_NOTICE, TEXT

THEME = gr.themes.Base(font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
                       font_mono=["ui-monospace", "Consolas", "monospace"])
_PROGRESS = gr.Progress()  # as a default value it makes Gradio show a progress bar for the ingest


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
        """The answer as escaped text whose [n] markers link to this turn's own sources."""
        return render.answer_markdown(answer, turn)

    def answer_html(self, answer: Answer, turn: int) -> str:
        """The answer as the chat keeps it: its text, then its own sources (anchors numbered by `turn`)."""
        return render.answer_html(answer, turn, self.answerer, self.settings)

    def sources_html(self, answer: Answer | None, lang: str) -> str:
        """The sources panel for the latest answer (or its empty state)."""
        return render.sources_html(answer, lang, self.answerer, self.settings)

    def overview_html(self, lang: str) -> str:
        """The Overview page, with the summaries `overview --condense` kept for this backend's model."""
        view, _ = condense(self.answerer.index.overview(), self.settings, self.answerer.backend, ask=False)
        return render.overview_html(view, lang)

    def briefing_file(self, fmt: str) -> str:
        """The overview as a briefing file to download (Markdown or HTML), with its list of sources."""
        folder = Path(tempfile.mkdtemp(prefix="briefing-"))
        path = folder / f"overzicht.{fmt}"
        path.write_text(briefing(self.answerer.index.overview(), fmt), encoding="utf-8")
        return str(path)

    def references_html(self, query: str, kind: str | None, missing: bool, lang: str) -> str:
        """The References page, filtered by a search, a kind and whether the document is missing."""
        return render.references_html(self.answerer.index.references(), query, kind, missing, lang,
                                      self.settings.ui.link_hosts)

    def plain_text(self, answer: Answer, lang: str) -> str:
        """The answer with a formatted reference list, for pasting into a note or an e-mail."""
        return render.plain_text(answer, lang)

    def document_choices(self) -> tuple[list[list[Any]], Any, Any]:
        """The documents table and both document pickers (filter, removal) as the index now has them."""
        ids = list(self.answerer.index.documents)
        return self.documents_table(), gr.update(choices=ids), gr.update(choices=ids, value=None)

    def documents_table(self) -> list[list[Any]]:
        """The documents table as the index now has it."""
        return render.documents_table(self.answerer.index.documents)

    # -- actions ---------------------------------------------------------------------------------------------

    def ask(self, question: str, history: list[dict], turns: list[Turn], doc_ids: list[str], lang: str
            ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat, then show it verified, its sources under it and in the panel."""
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
                    history[-1] = {"role": "assistant", "content": self.answer_html(event, len(turns))}
                    yield (history, turns, self.sources_html(event, lang), self.plain_text(event, lang),
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
        """Move a document's files out of the corpus (into `corpus/.removed`) and ingest without it."""
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


def _who_answers(backend: Backend, language: str) -> str:
    """The page header's line on who writes the answers: a model, or nobody (the quotes are the answer)."""
    t = TEXT[language]
    return t["quoting"] if backend.chat is None else f"{t['backend']}: **{backend.name}** ({backend.model})"


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
            # Gradio's own /logout ends the sign-in; there is one only when users are configured
            sign_out = gr.Button(t["sign_out"], link="logout", size="sm", scale=0, visible=bool(app.settings.ui.users))
        indicator = gr.Markdown(_who_answers(backend, "nl"))
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
                    # the sources under the answers carry both languages' labels; this class shows one
                    with gr.Column(scale=3, elem_classes=["lang-nl"]) as chat_column:
                        # no copy buttons of its own: they would copy a message's markup; the box below copies
                        chat = gr.Chatbot(label=t["chat"], height=480, sanitize_html=True, render_markdown=False,
                                          buttons=[])
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

        def start_over(lg: str) -> tuple[Any, ...]:
            return [], [], app.sources_html(None, lg), "", None, ""

        new.click(start_over, [lang], outputs)
        chat.clear(start_over, [lang], outputs)  # the chat's own bin starts over too: no hidden context stays
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

        def switch(choice: str, shown_answer: dict | None) -> tuple[Any, ...]:
            lg = "en" if choice == "English" else "nl"
            tx = TEXT[lg]
            panel = app.sources_html(Answer.model_validate(shown_answer) if shown_answer else None, lg)
            return (lg, panel, gr.update(label=tx["examples"]), f"## {tx['title']}", gr.update(label=tx["ask"]),
                    gr.update(value=tx["send"]), gr.update(value=tx["new"]), gr.update(label=tx["filter"]),
                    gr.update(label=tx["copy"]), gr.update(label=tx["comment"]), gr.update(label=tx["chat"]),
                    gr.update(label=tx["chat"]), gr.update(label=tx["docs"]), gr.update(label=tx["upload"]),
                    gr.update(label=tx["doc_title"]), gr.update(label=tx["kind"]), gr.update(label=tx["date"]),
                    gr.update(value=tx["add"]), gr.update(label=tx["remove_which"]), gr.update(value=tx["remove"]),
                    gr.update(value=tx["good"]), gr.update(value=tx["bad"]),
                    _who_answers(backend, lg), gr.update(label=tx["refs"]),
                    gr.update(label=tx["refs_search"]), gr.update(label=tx["refs_kind"]),
                    gr.update(label=tx["refs_missing"]), gr.update(label=tx["overview"]),
                    gr.update(value=tx["briefing_md"]), gr.update(value=tx["briefing_html"]),
                    gr.update(label=tx["briefing"]), app.overview_html(lg), gr.Column(elem_classes=[f"lang-{lg}"]),
                    gr.update(value=tx["sign_out"]))

        language.change(switch, [language, last],
                        [lang, sources, examples.dataset, heading, question, send, new, docs, copy, comment, chat,
                         chat_tab, docs_tab, upload, title, kind, date, add, which, remove, up, down, indicator,
                         refs_tab, refs_query, refs_kind, refs_missing, overview_tab, briefing_md, briefing_html,
                         briefing_out, overview_page, chat_column, sign_out]).then(
            lambda q, k, m, lg: app.references_html(q, k or None, m, lg), refs_inputs, refs_list,
            concurrency_id="refs")
    return blocks


def mount(server: FastAPI, app: App, auth: Callable[[str, str], bool | Awaitable[bool]] | None,
          sessions: MutableMapping[str, str] | None = None) -> None:
    """Serve the page from `server` at its root; the corpus's files (for the PDF links) but not its removed ones.
    With `auth`, Gradio keeps its sign-in tokens in `sessions` (whose tokens expire)."""
    corpus = app.settings.corpus_dir.resolve()
    notice = SIGN_IN_NOTICE.format(limit=app.settings.ui.signin_limit) if auth else None
    gr.mount_gradio_app(server, build(app), path="", auth=auth, auth_message=notice, allowed_paths=[str(corpus)],
                        blocked_paths=[str(corpus / ".removed")], footer_links=[], theme=THEME, css=CSS,
                        head=OPEN_CITED, max_file_size=f"{app.settings.ingest.max_file_mb}mb", show_error=False,
                        pwa=False, mcp_server=False, ssr_mode=False, enable_monitoring=False)
    if sessions is not None:
        server.routes[-1].app.tokens = sessions  # the Mount just added holds Gradio's app
