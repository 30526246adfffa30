"""What the chat and the sources panel are given, without a browser: every answer keeps its own sources, so each
of its markers lands on its own quote however many answers follow; an abstention keeps none; markup stays text.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from conftest import ROWS, indexed, table_report

from assistant.answer.answerer import Answerer, Turn
from assistant.config import Settings
from assistant.types import Answer, Citation
from assistant.web.render import sources_html

FIRST = "Welk netwerk formuleerde oplossingsrichtingen voor knelpunten in de publieke dienstverlening?"
FOLLOW_UP = "Met wie gaat de staatssecretaris de aanpak daarvan coördineren?"
ABSTAIN = "Wat is de hoofdstad van Australië?"
VOID = {"br", "img", "input", "meta", "link", "hr", "source"}


class Page(HTMLParser):
    """Tags, ids, marker links and the highlighted quote of each anchored source in a piece of HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: list[str] = []
        self.links: list[tuple[str, str]] = []  # (text, href) of each a.cite
        self.quotes: dict[str, str] = {}  # anchored source id -> its <mark> text
        self.titles: dict[str, str] = {}  # anchored source id -> its <b> text
        self._open: list[tuple[str, str | None]] = []  # (tag, the anchored source it is in)
        self._cite: str | None = None
        self._text: list[str] = []
        self.feed(html)
        self.close()

    def _source(self) -> str | None:
        return self._open[-1][1] if self._open else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.append(attributes["id"])
        source = attributes.get("id") if "source" in attributes.get("class", "").split() else self._source()
        if tag == "a" and attributes.get("class") == "cite":
            self._cite, self._text = attributes["href"], []
        if tag in {"mark", "b"} and source:
            self._text = []
        if tag not in VOID:
            self._open.append((tag, source))

    def handle_endtag(self, tag: str) -> None:
        source = self._source()
        if tag == "a" and self._cite is not None:
            self.links.append(("".join(self._text), self._cite))
            self._cite = None
        if tag == "mark" and source:
            self.quotes[source] = " ".join("".join(self._text).split())
        if tag == "b" and source and source not in self.titles:
            self.titles[source] = "".join(self._text)
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def plain(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def app(bundled: Settings) -> Any:
    from assistant.web.app import App

    return App(bundled, "extractive")


def asked(app: Any, question: str, history: list[dict], turns: list[Turn], lang: str = "nl") -> tuple[Any, ...]:
    """What the page shows once `question` is answered: chat, turns, panel, copy text and the answer."""
    *_, final = app.ask(question, history, turns, [], lang)
    history, turns, panel, copy, answer, _ = final
    return history, turns, panel, copy, Answer.model_validate(answer)


def test_after_a_follow_up_both_answers_markers_land_on_their_own_quotes(app):
    history, turns, _, _, first = asked(app, FIRST, [], [])
    history, turns, panel, _, second = asked(app, FOLLOW_UP, history, turns)
    assert first.citations and second.citations
    answers = [m["content"] for m in history if m["role"] == "assistant"]
    assert len(answers) == 2
    every_id = [i for html in [*answers, panel] for i in Page(html).ids]
    assert len(every_id) == len(set(every_id)), every_id  # one page: no id twice
    hrefs = []
    for html, answer in zip(answers, [first, second], strict=True):
        page = Page(html)
        assert page.links, html[:300]
        cited = {c.n: c for c in answer.citations}
        assert {int(text.strip("[]")) for text, _ in page.links} == set(cited)
        for text, href in page.links:
            n = int(text.strip("[]"))
            anchor = href.removeprefix("#")
            assert anchor in page.ids, (href, page.ids)  # in this very message: it stays when the next one comes
            assert page.quotes[anchor] == plain(cited[n].quote)
            assert page.titles[anchor] == f"[{n}] {cited[n].title}"
            hrefs.append(href)
        assert ("details", {"class": "cited"}) in page.tags  # folded under the answer
    assert len(hrefs) == len(set(hrefs)), hrefs
    shown = Page(panel)
    assert shown.ids == [] and shown.links == []  # the panel shows the latest answer; the anchors are in the chat
    assert list(shown.quotes) == [] and f"“{FOLLOW_UP}”" in panel
    assert [plain(q) for q in _marks(panel)] == [plain(c.quote) for c in second.citations]


def _marks(html: str) -> list[str]:
    parts = html.split("<mark>")[1:]
    return [p.split("</mark>")[0] for p in parts]


def test_an_abstention_keeps_no_sources(app):
    history, _, panel, copy, answer = asked(app, ABSTAIN, [], [])
    assert answer.abstained and not answer.citations and answer.related
    message = history[-1]["content"]
    tags = {tag for tag, _ in Page(message).tags}
    assert tags <= {"br", "small"}, message  # the answer's text and notices, no sources block, no markers
    assert "details" not in message and 'class="source"' not in message and "<mark>" not in message
    assert copy == answer.answer
    assert "<h3>Misschien verwant</h3>" in panel and Page(panel).ids == []


def test_hostile_text_in_a_citation_stays_text(app, bundled):
    index = app.answerer.index
    chunk = index.chunks[0]
    hostile = '<script>window.x=1</script><img src=x onerror="window.x=2">'
    citation = Citation(n=1, doc_id=chunk.doc_id, title=f"Titel {hostile}", identifier="<b>id</b>", page=3,
                        section=f"Sectie {hostile}", quote=f"Een citaat {hostile} [2]", chunk_id=chunk.chunk_id,
                        url="javascript:alert(1)", start=0, end=10)
    answer = Answer(question=f"Vraag {hostile}", answer=f"Antwoord {hostile} [1] en [7]", abstained=False,
                    citations=[citation], backend="fake", notices=[hostile])
    for html in (app.answer_html(answer, 2), app.sources_html(answer, "en")):
        page = Page(html)
        assert not {"script", "img", "svg", "iframe", "style"} & {tag for tag, _ in page.tags}, html
        assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on") or a in {"src", "style"}]
        assert "javascript:" not in " ".join(attrs.get("href", "") for _, attrs in page.tags)
        assert "&lt;script&gt;window.x=1&lt;/script&gt;" in html
    chat = Page(app.answer_html(answer, 2))
    assert chat.links == [("[1]", "#src-2-1")]  # [7] is not a citation of this answer: text, not a link
    # the quote does not stand at 0-10 in the document: shown alone, as written
    assert chat.quotes["src-2-1"] == plain(f"Een citaat {hostile} [2]")


def test_the_sources_in_the_chat_carry_both_languages(app):
    """The page shows one of them (by the chat column's class), so switching the language never has to render a
    message again."""
    _, _, _, _, answer = asked(app, FIRST, [], [])
    html = app.answer_html(answer, 5)
    summary = f'<summary><span lang="nl">Bronnen</span><span lang="en">Sources</span> ({len(answer.citations)})'
    assert html.count(summary) == 1
    assert '<span lang="nl">Officiële publicatie</span><span lang="en">Official publication</span>' in html
    assert Page(html).links[0][1] == "#src-5-1"


def test_a_cited_row_is_shown_under_its_tables_header(tmp_path):
    settings = indexed(tmp_path, {"monitor.pdf": lambda path: table_report(path, ROWS)})
    answerer = Answerer(settings, "extractive")
    answer = answerer.ask("Hoeveel is er gerealiseerd voor berichtenverkeer?")
    page = sources_html(answer, "nl", answerer, settings)
    header = page.index("In de tabel onder: Onderdeel Begroot Gerealiseerd Verschil")
    assert header < page.index("<mark>Berichtenverkeer (MijnOverheid en Berichtenbox) 96,5 91,2 -5,3</mark>")
    assert "In the table under: Onderdeel" in sources_html(answer, "en", answerer, settings)


def test_the_list_of_documents_keeps_a_line_for_each_in_the_chat(app):
    history, _, _, _, answer = asked(app, "Welke documenten zijn er?", [], [])
    assert answer.answer.count("\n") == len(answer.citations) == 1
    message = history[-1]["content"]
    body = message.split('<details class="cited">')[0]
    assert body.count("<br>") == 1 and "<br>- Agenda" in body, body[:300]
    assert [text for text, _ in Page(message).links] == ["[1]"]


def test_the_overview_page_marks_a_replaced_versions_events_and_names_what_was_left_out():
    from assistant.enrich.overview import Overview, TimelineEvent
    from assistant.types import Span
    from assistant.web.render import overview_html

    def event(quote: str, current: bool) -> TimelineEvent:
        return TimelineEvent(when="2025", precision="year", as_written="In 2025", status="past", current=current,
                             cited=Span(doc_id="plan-v1" if not current else "plan-v2", quote=quote))

    view = Overview(documents=[], glossary=[], actors=[], outdated=["nota"],
                    timeline=[event("650 locaties.", False), event("720 locaties.", True)])
    for lang, mark, left in (("nl", "niet meer actueel", "eerdere versie"), ("en", "no longer current", "earlier")):
        html = overview_html(view, lang)
        rows = html.split("<tr>")
        assert mark in next(r for r in rows if "650" in r) and mark not in next(r for r in rows if "720" in r)
        assert left in html and "nota" in html
