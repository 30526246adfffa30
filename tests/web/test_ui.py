"""The web interface in a real browser (Playwright driving Debian's chromium) against `assistant serve`.

Every server is the real command in a subprocess (`python -m assistant.cli serve --backend extractive`) over a
copy of the bundled corpus and index (or a workspace corpus of its own), on a free loopback port.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import cli_env, free_port, make_pdf, make_settings, wait_until_answering
from fake_ollama import from_source_1, pieces
from loopback import stop

from assistant.cli import cli
from assistant.config import Settings
from assistant.index import Index
from assistant.ingest import file_problem
from assistant.web.auth import check_password, hash_password

CHROMIUM = "/usr/bin/chromium"
DOC_ID = "kst-26643-1055"
TITLE = "Agenda ‘Coalities voor de digitale samenleving’"
IDENTIFIER = "Kamerstukken II 2022/23, 26 643, nr. 1055"
OFFICIAL = "https://zoek.officielebekendmakingen.nl/kst-26643-1055.html"
ABSTAINED = "De documenten geven geen antwoord op deze vraag."
BOT, USER = "[data-testid=bot]", "[data-testid=user]"
COPY_LABEL = re.compile(r"Antwoord met bronnen|Answer with references")
TIMEOUT_MS = 120_000  # only stops a hang: every wait is on a page element or value

# -- servers -------------------------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    cwd: Path
    settings: Settings
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serving(settings: Settings, cwd: Path, backend: str = "extractive", timeout: float = 600,
            **env: str) -> Iterator[Server]:
    """`assistant serve` in a subprocess until it answers HTTP 200; stopped (and waited for) afterwards."""
    port = free_port()
    log = cwd / f"serve-{port}.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--backend", backend, "--port", str(port)],
            cwd=cwd, env=cli_env(settings, **env), stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", cwd, settings, log)
    try:
        wait_until_answering(server.url + "/", proc, server.output, limit_s=timeout)
        yield server
    finally:
        stop(proc, 20)


def copy_bundled(bundled: Settings, base: Path) -> Settings:
    """The bundled corpus and its index, copied so that the server (and its ingest) cannot touch the original."""
    base.mkdir(parents=True, exist_ok=True)
    shutil.copytree(bundled.corpus_dir, base / "corpus")
    shutil.copytree(bundled.index_dir, base / "index")
    return make_settings(base / "corpus", base / "index")


FEEDBACK = "feedback/ratings.jsonl"  # relative: it lands in the server's working directory


@pytest.fixture(scope="module")
def site(bundled: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server over a copy of the bundled corpus, for the tests that do not change documents."""
    base = tmp_path_factory.mktemp("site")
    with serving(copy_bundled(bundled, base), base, ASSISTANT_UI__FEEDBACK_PATH=FEEDBACK) as server:
        yield server


@pytest.fixture(scope="module")
def docs_site(bundled: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server over a copy of the bundled corpus that the documents page may change."""
    base = tmp_path_factory.mktemp("docs")
    with serving(copy_bundled(bundled, base), base) as server:
        yield server


XSS_DOC = """Notitie over de kwartelkoning

De kwartelkoning broedt in natte hooilanden langs de rivieren <script>window.__pwned=1</script> en wordt jaarlijks \
geteld door vrijwilligers.

Bij de telling van de kwartelkoning gebruiken de vrijwilligers een formulier <img src=x onerror="window.__pwned=2"> \
met een kaart ![kaart](http://192.0.2.1/kaart.png) en [uitleg](javascript:window.__pwned=4) dat de provincie verstrekt.

De grutto is de nationale vogel van Nederland en broedt in weilanden.
"""
XSS_QUESTION = "Waar broedt de kwartelkoning en wie telt hem met welk formulier?"


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A workspace corpus of one document whose text carries markup; `serve` ingests it at start."""
    base = tmp_path_factory.mktemp("xss")
    (base / "corpus").mkdir()
    (base / "corpus" / "notitie-kwartelkoning.txt").write_text(XSS_DOC, encoding="utf-8")
    with serving(make_settings(base / "corpus", base / "index"), base) as server:
        yield server


PASSWORD = "geheim123"
MALFORMED = "pbkdf2_sha256$many$somesalt$00"  # rounds is not a number: a typo in assistant.toml


@pytest.fixture(scope="module")
def auth_site(bundled: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("auth")
    users = json.dumps({"anna": hash_password(PASSWORD), "bob": MALFORMED})
    with serving(copy_bundled(bundled, base), base, ASSISTANT_UI__USERS=users) as server:
        yield server


# -- browser -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], timeout=600_000)
        yield b
        b.close()


@dataclass
class Tab:
    page: Any
    requests: list[str]
    errors: list[str]
    refused: list[str]  # what the page's Content-Security-Policy blocked (chromium says so on the console)


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@contextlib.contextmanager
def open_page(browser: Any, server: Server, width: int = 1280, height: int = 900, go: bool = True) -> Iterator[Tab]:
    """A fresh browser context on the server; every request is recorded and anything off this machine aborted. A
    test that ends without an error also checks that the page needed nothing its security headers refuse."""
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = Tab(context.new_page(), [], [], [])
    tab.page.set_default_timeout(TIMEOUT_MS)
    tab.page.on("request", lambda r: tab.requests.append(r.url))
    tab.page.on("websocket", lambda ws: tab.requests.append(ws.url))
    tab.page.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.page.on("console", lambda m: tab.refused.append(m.text) if "Content Security Policy" in m.text else None)
    local = _origin(server.url)
    context.route(lambda url: not url.startswith((local, "data:", "blob:")), lambda route: route.abort())
    try:
        if go:
            tab.page.goto(server.url + "/", wait_until="load")
            to_the_questions(tab.page)
        yield tab
        assert not tab.refused, tab.refused
    finally:
        context.close()


def landed_on(page: Any, name: str) -> None:
    """Wait until the tabs are shown, with the landing page chosen (they stay hidden until then)."""
    page.get_by_role("tab", name=name, selected=True).wait_for(state="visible")


def to_the_questions(page: Any) -> None:
    """From a first visit's landing page (every new browser context is one) to the questions, ready to type."""
    landed_on(page, "Overzicht")
    page.get_by_role("tab", name="Vragen").click()
    page.get_by_role("tab", name="Vragen", selected=True).wait_for()
    textbox(page, re.compile("Stel een vraag|Ask a question")).wait_for()


def settled(page: Any) -> None:
    """Wait until every image on the page has loaded or failed, then for the tasks queued by then (an injected
    `onerror` among them) to run: what the page would fetch or execute has happened."""
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done)))")


def textbox(page: Any, label: str | re.Pattern) -> Any:
    return page.locator("label").filter(has_text=label).locator("textarea")


def button(page: Any, name: str) -> Any:
    return page.get_by_role("button", name=name, exact=True).filter(visible=True)


def bot_text(page: Any, n: int = -1) -> str:
    """A bot message's text, without the sources folded under it."""
    return page.locator(BOT).nth(n).evaluate("""m => {
        const text = m.innerText, folded = m.querySelector('details.cited')?.innerText;
        return (folded && text.endsWith(folded) ? text.slice(0, -folded.length) : text).trim();
    }""")


def norm(text: str) -> str:
    return " ".join(text.split())


def ask(page: Any, question: str, send: str = "Vraag", submit: Callable[[], None] | None = None) -> str:
    """Ask through the page and wait for the verified answer (the copy box is filled only then)."""
    copy = textbox(page, COPY_LABEL)
    before, previous = page.locator(BOT).count(), copy.input_value()
    box = textbox(page, re.compile("Stel een vraag|Ask a question"))
    box.fill(question)
    (submit or button(page, send).click)()
    page.wait_for_function(
        """([n, previous, copy]) => {
            const bots = document.querySelectorAll('[data-testid=bot]');
            if (bots.length !== n) return false;
            const text = bots[n - 1].innerText.trim();
            return text !== '' && text !== '…' && copy.value !== previous;
        }""", arg=[before + 1, previous, copy.element_handle()], timeout=TIMEOUT_MS)
    return bot_text(page)


def sources(page: Any) -> Any:
    """The sources panel beside the chat (the latest answer's)."""
    return page.locator("div.sources")


def own_sources(message: Any) -> Any:
    """The sources folded under an answer in the chat, where its markers' anchors are."""
    return message.locator("details.cited")


def marker_links(message: Any) -> list[tuple[int, str]]:
    """An answer's markers as (n, href), in the order they stand."""
    links = message.locator("a.cite").evaluate_all("es => es.map(e => [e.textContent, e.getAttribute('href')])")
    return [(int(text.strip("[]")), href) for text, href in links]


def reference_list(copy_text: str) -> dict[int, dict[str, str]]:
    """The copy box's reference list: n -> title, where, quote, url."""
    refs = {}
    for line in copy_text.split("\n"):
        m = re.fullmatch(r"\[(\d+)\] (.+?) \((.+)\): “(.+)”(?: (https?://\S+))?", line)
        if m:
            refs[int(m[1])] = {"title": m[2], "where": m[3], "quote": m[4], "url": m[5] or ""}
    return refs


def table_rows(page: Any) -> list[list[str]]:
    """The rows of the documents table as shown (its grid rows; the hidden sizing table is not what is seen)."""
    return page.evaluate("""() => [...document.querySelectorAll('[role=grid]')]
        .filter(g => /identifier/.test(g.textContent))
        .flatMap(g => [...g.querySelectorAll('[role=row]')].map(r => [...r.querySelectorAll('[role=gridcell]')]
            .map(c => c.textContent.trim())))
        .filter(r => r.length && r[0])""")


def poll(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT_MS / 1000) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def documents_tab(page: Any, name: str = "Documenten") -> None:
    page.get_by_role("tab", name=name).click()
    poll(lambda: table_rows(page), "the documents table")


# -- 1. offline ----------------------------------------------------------------------------------------------


def test_page_loads_nothing_from_elsewhere(site, browser):
    with open_page(browser, site) as tab:
        page = tab.page
        ask(page, "Wat is de Basis Data Infrastructuur?")
        documents_tab(page)
        page.get_by_role("tab", name="Vragen").click()
        page.get_by_label("English").check()
        button(page, "Ask").wait_for()
        page.get_by_role("tab", name="Documents").click()
        page.get_by_role("tab", name="Ask").click()
        page.get_by_role("tab", name="Ask", selected=True).wait_for()
        settled(page)
        requests = list(tab.requests)
    assert len(requests) > 10, requests
    assert any("/gradio_api/" in u for u in requests), "the question never reached this server"
    elsewhere = [u for u in requests if _origin(u) != site.url and not u.startswith(("data:", "blob:"))]
    assert not elsewhere, f"requests off this server: {elsewhere}"
    for host in ("fonts.googleapis", "fonts.gstatic", "cdn", "googletagmanager", "huggingface", "gradio.app"):
        assert not [u for u in requests if host in urllib.parse.urlsplit(u).netloc], host


# -- 2. a cited answer ---------------------------------------------------------------------------------------


BDI = "Wat is de Basis Data Infrastructuur?"


def test_cited_answer_links_to_its_sources(site, browser):
    with open_page(browser, site) as tab:
        page = tab.page
        answer = ask(page, BDI)
        message = page.locator(BOT).last
        cites = message.locator("a.cite")
        links = cites.evaluate_all("es => es.map(e => [e.textContent, e.getAttribute('href')])")
        assert len(links) >= 2, answer
        numbers = [int(text.strip("[]")) for text, _ in links]
        assert numbers == list(range(1, len(numbers) + 1)), links
        hrefs = [href for _, href in links]
        for n, href in zip(numbers, hrefs, strict=True):
            assert re.fullmatch(rf"#src-(\d+-)?{n}", href), href
        assert "Basis Data Infrastructuur" in answer
        panel = sources(page)
        assert panel.locator("h3").inner_text() == "Bronnen"
        assert norm(panel.locator("p.where").first.inner_text()) == f"Bij de vraag: “{BDI}”"
        assert panel.locator(".source").count() == len(numbers)
        assert panel.locator(".source[id]").count() == 0  # the anchors travel with the answer, in the chat
        own = own_sources(message)
        assert own.get_attribute("open") is None  # folded: the conversation stays readable
        assert own.locator("summary").inner_text() == f"Bronnen ({len(numbers)})"
        assert own.locator(".source[id]").evaluate_all("es => es.map(e => e.id)") == [h[1:] for h in hrefs]

        copy = textbox(page, COPY_LABEL).input_value()
        body, _, references = copy.partition("\n\nBronnen:\n")
        assert references, copy
        assert norm(body) == norm(answer)
        refs = reference_list(references)
        assert sorted(refs) == numbers, references

        cites.nth(1).click()
        page.wait_for_function("h => location.hash === h", arg=hrefs[1])
        assert page.url.endswith(hrefs[1])
        assert page.evaluate("document.querySelector(':target')?.id") == hrefs[1][1:]
        assert own.get_attribute("open") is not None  # the marker unfolded the answer's sources

        marks = []
        for n, href in zip(numbers, hrefs, strict=True):
            source = own.locator(f"[id='{href[1:]}']")
            assert source.is_visible()
            assert source.locator("b").first.inner_text() == f"[{n}] {TITLE}"
            where = source.locator(".where").first.inner_text()
            assert where.startswith(IDENTIFIER), where
            page_number = re.search(r"· p\. (\d+)$", where)
            assert page_number and 1 <= int(page_number[1]) <= 14, where
            assert f"p. {page_number[1]}" in refs[n]["where"]
            mark = source.locator("p > mark")
            assert mark.count() == 1
            assert norm(mark.inner_text()) == norm(refs[n]["quote"])
            marks.append(norm(mark.inner_text()))
            assert refs[n]["title"] == TITLE and refs[n]["url"] == OFFICIAL
            link = source.get_by_role("link", name="Officiële publicatie")
            assert link.get_attribute("href") == OFFICIAL and link.get_attribute("target") == "_blank"
            assert "noopener" in link.get_attribute("rel")
        # the panel shows the same passages, each quote in its paragraph: the BDI sentence with the sentence that
        # follows it in the letter
        assert [norm(m) for m in panel.locator(".source p > mark").all_inner_texts()] == marks
        bdi = panel.locator(".source p").filter(has_text="Basis Data Infrastructuur (BDI)").first
        paragraph = norm(bdi.inner_text())
        assert "Binnen het door het Nationaal Groeifonds ondersteunde programma" in paragraph
        assert len(paragraph) > len(norm(bdi.locator("mark").inner_text())) + 100
        assert not tab.errors, tab.errors


# -- 3. abstention -------------------------------------------------------------------------------------------


def test_abstention_shows_related_passages_without_citations(site, browser):
    with open_page(browser, site) as tab:
        page = tab.page
        answer = ask(page, "Wat is de hoofdstad van Australië?")
        assert answer == ABSTAINED
        assert page.locator("a.cite").count() == 0
        assert own_sources(page.locator(BOT).last).count() == 0  # it cites nothing, so it keeps no sources
        assert page.locator(BOT).last.locator(".source, mark").count() == 0
        panel = sources(page)
        assert panel.locator("h3").inner_text() == "Misschien verwant"
        related = panel.locator(".source")
        assert related.count() >= 1
        assert panel.locator(".source[id]").count() == 0  # nothing to jump to: the answer cites nothing
        assert related.first.locator("b").inner_text().startswith(f"[1] {TITLE}")
        assert related.first.locator("mark").count() == 1
        assert textbox(page, COPY_LABEL).input_value() == ABSTAINED


# -- 4. a follow-up question ---------------------------------------------------------------------------------

FIRST = "Welk netwerk formuleerde oplossingsrichtingen voor knelpunten in de publieke dienstverlening?"
FOLLOW_UP = "Met wie gaat de staatssecretaris de aanpak daarvan coördineren?"


def test_follow_up_question_uses_the_conversation_and_new_conversation_clears_it(site, browser):
    with open_page(browser, site) as tab:
        page = tab.page
        first = ask(page, FIRST)
        assert "Netwerk Publieke Dienstverleners" in first
        second = ask(page, FOLLOW_UP)
        assert "regeringscommissaris" in second
        hrefs = [page.locator(BOT).nth(i).locator("a.cite").evaluate_all("es => es.map(e => e.getAttribute('href'))")
                 for i in (0, 1)]
        assert hrefs[1] and not set(hrefs[0]) & set(hrefs[1]), hrefs  # each answer's markers are its own
        assert all(page.evaluate("h => document.getElementById(h.slice(1)) !== null", h) for h in hrefs[1])
        assert page.locator(USER).count() == 2 and page.locator(BOT).count() == 2
        assert norm(page.locator(USER).last.inner_text()) == FOLLOW_UP
        assert sources(page).locator("mark").filter(has_text="regeringscommissaris").count() >= 1

        button(page, "Nieuw gesprek").click()
        page.wait_for_function(f"document.querySelectorAll('{BOT}, {USER}').length === 0")
        assert norm(sources(page).inner_text()) == "Nog geen bronnen: stel een vraag."
        assert textbox(page, COPY_LABEL).input_value() == ""
        # asked on its own, "daarvan" has nothing to refer to: the answer differs from the one in context
        alone = ask(page, FOLLOW_UP)
        assert page.locator(BOT).count() == 1
        assert alone != second


def test_every_answer_keeps_its_own_sources(site, browser):
    """After a follow-up, the first answer's markers still land on the first answer's own quotes (the panel has
    moved on to the second answer), in either language, until the conversation starts over."""
    with open_page(browser, site) as tab:
        page = tab.page
        ask(page, FIRST)
        cited = [reference_list(textbox(page, COPY_LABEL).input_value())]
        ask(page, FOLLOW_UP)
        cited.append(reference_list(textbox(page, COPY_LABEL).input_value()))
        assert cited[0] and cited[1] and cited[0] != cited[1], cited
        messages = [page.locator(BOT).nth(i) for i in (0, 1)]

        def each_marker_lands_on_its_own_quote(summary: str) -> list[list[str]]:
            every = []
            for message, refs in zip(messages, cited, strict=True):
                links = marker_links(message)
                assert links and {n for n, _ in links} == set(refs), (links, refs)
                assert own_sources(message).locator("summary").inner_text() == f"{summary} ({len(refs)})"
                for n, href in links:
                    # exactly one element on the whole page has this id, and it is under this answer
                    assert page.locator(f"[id='{href[1:]}']").count() == 1, href
                    source = message.locator(f"[id='{href[1:]}']")
                    assert source.locator("b").first.text_content().startswith(f"[{n}] "), href
                    assert norm(source.locator("p > mark").text_content()) == norm(refs[n]["quote"]), href
                every.append([href for _, href in links])
            assert not set(every[0]) & set(every[1]), every
            return every

        hrefs = each_marker_lands_on_its_own_quote("Bronnen")
        panel = sources(page)
        assert norm(panel.locator("p.where").first.inner_text()) == f"Bij de vraag: “{FOLLOW_UP}”"
        assert panel.locator("[id]").count() == 0

        first = messages[0].locator("a.cite").first
        first.click()
        page.wait_for_function("h => location.hash === h", arg=hrefs[0][0])
        target = page.locator(":target")
        assert target.get_attribute("id") == hrefs[0][0][1:] and target.is_visible()
        assert own_sources(messages[0]).get_attribute("open") is not None
        assert own_sources(messages[1]).get_attribute("open") is None
        # the page itself unfolds what a marker points into, also where a browser would not for a link's target
        unfolded = messages[1].locator("a.cite").first.evaluate("""a => {
            const folded = document.getElementById(a.getAttribute('href').slice(1)).closest('details');
            a.addEventListener('click', e => e.preventDefault(), {once: true});  // no navigation: only the page
            a.click();
            return folded.open;
        }""")
        assert unfolded

        # in English the same sources speak English, under the same anchors
        page.get_by_label("English").check()
        page.wait_for_function("() => [...document.querySelectorAll('details.cited > summary')]"
                               ".every(s => s.innerText.startsWith('Sources'))")
        assert each_marker_lands_on_its_own_quote("Sources") == hrefs
        link = page.locator(f"[id='{hrefs[0][0][1:]}']").get_by_role("link", name="Official publication")
        assert link.get_attribute("href") == OFFICIAL
        assert "Officiële publicatie" not in page.locator(BOT).nth(0).inner_text()

        button(page, "New conversation").click()
        page.wait_for_function(f"document.querySelectorAll('{BOT}, {USER}').length === 0")
        assert page.locator("details.cited, a.cite, .source[id]").count() == 0
        assert not tab.errors, tab.errors


# -- 5. language ---------------------------------------------------------------------------------------------


def test_switch_to_english(site, browser):
    with open_page(browser, site) as tab:
        page = tab.page
        page.get_by_label("English").check()
        textbox(page, "Ask a question about the documents").wait_for()
        assert button(page, "Ask").is_visible() and button(page, "New conversation").is_visible()
        assert button(page, "Vraag").count() == 0
        assert page.get_by_role("tab").filter(visible=True).all_inner_texts() == [
            "Overview", "Ask", "Documents", "References"]
        assert page.get_by_role("heading", name="Digitalisation policy assistant").is_visible()
        assert button(page, "Good answer").is_visible() and button(page, "Bad answer").is_visible()
        assert page.get_by_text("Answers quote the documents word for word; no language model").is_visible()
        assert page.get_by_text("Answers by:").count() == 0
        answer = ask(page, "Which institution runs a Centre of Expertise Applied AI?", send="Ask")
        assert "Hogeschool van Amsterdam" in answer
        assert sources(page).locator("h3").inner_text() == "Sources"
        assert "\n\nSources:\n" in textbox(page, COPY_LABEL).input_value()
        assert sources(page).get_by_role("link", name="Official publication").count() >= 1
        page.get_by_label("Nederlands").check()
        textbox(page, "Stel een vraag over de documenten").wait_for()
        assert button(page, "Vraag").is_visible()


def test_english_page_has_no_dutch_left(site, browser):
    with open_page(browser, site) as tab:
        page = tab.page
        page.get_by_label("English").check()
        textbox(page, "Ask a question about the documents").wait_for()
        text = page.locator("body").inner_text()
        left = [w for w in ("Voorbeeldvragen", "Nog geen bronnen") if w in text]
        assert not left, f"Dutch interface text on the English page: {left}"


# -- overview -------------------------------------------------------------------------------------------------


SHOWN_TABS = """() => {
    window.__shown = [];  // each selected tab the page showed, in order, from its very first render
    new MutationObserver(() => {
        const shown = [...document.querySelectorAll('[role=tab][aria-selected=true]')]
            .filter(t => t.checkVisibility()).map(t => t.textContent.trim()).join();
        if (shown && window.__shown[window.__shown.length - 1] !== shown) window.__shown.push(shown);
    }).observe(document, {subtree: true, childList: true, attributes: true});
}"""


def test_first_visit_lands_on_the_overview_and_later_visits_on_the_questions(site, browser):
    with open_page(browser, site, go=False) as tab:
        page = tab.page
        page.add_init_script(f"({SHOWN_TABS})()")
        page.goto(site.url + "/", wait_until="load")
        landed_on(page, "Overzicht")
        assert page.evaluate("window.__shown") == ["Overzicht"]  # shown once chosen: no tab switch on its own
        overview = page.locator(".overview")
        text = overview.inner_text()
        for part in ("Inleiding en leeswijzer", "Begrippen en afkortingen", "Tijdlijn", "Wie is wie",
                     "Basis Data Infrastructuur", "2023-06-14", "Hogeschool van Amsterdam"):
            assert part in text, part
        # every line is a quote found in the corpus, with its page
        quotes = overview.locator("blockquote").all_inner_texts()
        assert len(quotes) >= 10
        for q in quotes:
            body = re.match(r"“(.*)” kst-26643-1055, p\. \d+", q, re.S)
            assert body, q
            pieces = [s.strip() for s in re.split(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", norm(body.group(1))) if len(s.strip()) > 8]
            assert pieces and all(any(s in norm(k) for k in _corpus_texts()) for s in pieces), q
        assert "niet uit de documenten" in text  # curated expansions are marked
        button(page, "Wat is de Basis Data Infrastructuur?").click()
        page.get_by_role("tab", name="Vragen", selected=True).wait_for()
        asked = textbox(page, "Stel een vraag over de documenten").input_value()
        assert asked == "Wat is de Basis Data Infrastructuur?"
        page.reload(wait_until="load")
        landed_on(page, "Vragen")
        assert page.evaluate("window.__shown") == ["Vragen"]
        assert textbox(page, "Stel een vraag over de documenten").is_visible()
        assert all(u.startswith(site.url) or u.startswith(("data:", "blob:", "ws://127.0.0.1")) for u in tab.requests)


def test_overview_briefing_downloads_with_its_sources(site, browser):
    with open_page(browser, site, go=False) as tab:
        page = tab.page
        page.goto(site.url + "/", wait_until="load")
        landed_on(page, "Overzicht")
        button(page, "Briefing (Markdown)").click()
        link = page.locator("a[download]").first
        link.wait_for()
        with urllib.request.urlopen(urllib.parse.urljoin(site.url, link.get_attribute("href")), timeout=10) as r:
            body = r.read().decode("utf-8")
        assert body.startswith("# Overzicht / Overview")
        assert "## Bronnen / Sources" in body and "**BDI**: Basis Data Infrastructuur [" in body
        numbers = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
        listed = {int(n) for n in re.findall(r"(?m)^(\d+)\. ", body)}
        assert numbers and numbers <= listed


def _corpus_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).resolve().parents[2] / "corpus")
                                                         .glob("*.txt"))]


# -- references -----------------------------------------------------------------------------------------------


def _references(page: Any, tab: str = "Verwijzingen") -> Any:
    page.get_by_role("tab", name=tab).click()
    listing = page.locator(".refs")
    listing.wait_for()
    return listing


def shown(listing: Any, ids: list[str]) -> None:
    """Wait until the listing shows exactly these references: a count alone could match the previous result."""
    poll(lambda: sorted(listing.locator(".ref").evaluate_all("rs => rs.map(r => r.id)")) == ids, f"exactly {ids}")


def test_references_page_searches_filters_and_shows_where_each_is_cited(site, browser):
    with open_page(browser, site) as tab:
        page = tab.page
        listing = _references(page)
        poll(lambda: listing.locator(".ref").count() >= 25, "the registry of nr. 1055")
        assert listing.locator("#ref-kst-26643-940").get_by_text("Kamerstuk 26 643, nr. 940").count() == 1

        textbox(page, "Zoek in verwijzingen (nummer, titel, woord)").fill("Klaver")
        # the motion, and what footnote 12 cites with it (the search covers the citing sentences too)
        shown(listing, ["ref-kst-26643-971", "ref-kst-35510-16", "ref-kst-35510-21"])
        ref = listing.locator("#ref-kst-35510-16")
        assert "[motie]" in ref.inner_text() and "Geciteerd, niet in het corpus" in ref.inner_text()
        link = ref.get_by_role("link", name="Officiële publicatie")
        assert link.get_attribute("href") == "https://zoek.officielebekendmakingen.nl/kst-35510-16.html"
        assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
        ref.locator("summary").click()
        place = ref.locator("li")
        assert "Voetnoot 12" in place.inner_text() and "p. 6" in place.inner_text()
        assert norm(place.locator("mark").inner_text()) == "Kamerstuk 35510-16"

        textbox(page, "Zoek in verwijzingen (nummer, titel, woord)").fill("")
        page.get_by_label("Soort verwijzing").click()
        page.get_by_role("option", name="motie", exact=True).click()
        shown(listing, ["ref-kst-26643-1003", "ref-kst-35510-16", "ref-kst-35510-21"])  # the three motions

        textbox(page, "Zoek in verwijzingen (nummer, titel, woord)").fill("geen-zulke-verwijzing")
        poll(lambda: "Geen verwijzingen gevonden." in listing.inner_text(), "the empty result")
        assert all(u.startswith(site.url) or u.startswith(("data:", "blob:", "ws://127.0.0.1")) for u in tab.requests)

        page.get_by_label("English").check()
        textbox(page, "Search references (number, title, word)").wait_for()
        assert page.get_by_label("Only what is not in the corpus").count() == 1


def test_answer_to_a_reference_question_links_the_cited_document(site, browser):
    with open_page(browser, site) as tab:
        page = tab.page
        answer = ask(page, "Welk Kamerstuk is de Werkagenda Waardengedreven Digitaliseren?")
        assert "26 643, nr. 940" in answer and "[1]" in answer
        panel = sources(page)
        assert "Voetnoot 1" in panel.inner_text()
        assert panel.locator("h4").inner_text() == "Genoemde documenten"
        link = panel.locator("li").get_by_role("link", name="Officiële publicatie")
        assert link.get_attribute("href") == "https://zoek.officielebekendmakingen.nl/kst-26643-940.html"
        copied = textbox(page, COPY_LABEL).input_value()
        assert "\nGenoemde documenten:\n" in copied and "kst-26643-940.html" in copied


# -- 6. escaping ---------------------------------------------------------------------------------------------


def test_markup_in_documents_and_questions_is_shown_as_text(xss_site, browser):
    with open_page(browser, xss_site) as tab:
        page = tab.page
        page.on("dialog", lambda d: (tab.errors.append(f"dialog: {d.message}"), d.dismiss()))
        answer = ask(page, XSS_QUESTION)
        assert "kwartelkoning" in answer and page.locator("a.cite").count() >= 2, answer
        settled(page)  # an injected <img onerror> would have fired by now
        assert page.evaluate("typeof window.__pwned") == "undefined"
        panel_text = sources(page).inner_text()
        assert "<script>window.__pwned=1</script>" in panel_text
        assert '<img src=x onerror="window.__pwned=2">' in panel_text
        assert "<script>window.__pwned=1</script>" in answer  # the chat shows it as text too
        assert page.locator(f"div.sources script, div.sources img, {BOT} script, {BOT} img[src=x]").count() == 0

        payload = '<img src=x onerror="window.__pwned=3"> Waar broedt de kwartelkoning?'
        ask(page, payload)
        question = page.locator(USER).last
        assert norm(question.inner_text()) == payload
        assert question.locator("img").count() == 0
        settled(page)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert not tab.errors, tab.errors


def test_markdown_in_documents_is_shown_as_text(xss_site, browser):
    with open_page(browser, xss_site) as tab:
        page = tab.page
        answer = ask(page, XSS_QUESTION)
        settled(page)
        rendered = page.locator(BOT).last.evaluate(
            "m => [...m.querySelectorAll('img, a')].map(e => e.outerHTML)")
        assert not [u for u in tab.requests if "192.0.2.1" in u], f"the page fetched a document's image: {rendered}"
        assert page.locator(f"{BOT} img, {BOT} a:not(.cite)").count() == 0, rendered
        assert "![kaart](http://192.0.2.1/kaart.png)" in answer


# -- 7. the documents page -----------------------------------------------------------------------------------


def _manifest(settings: Settings) -> dict[str, dict]:
    data = tomllib.loads((settings.corpus_dir / "manifest.toml").read_text(encoding="utf-8"))
    return {d["id"]: d for d in data.get("document", [])}


def _result(page: Any, pattern: str) -> str:
    line = page.locator(".prose").filter(has_text=re.compile(pattern)).filter(visible=True).first
    line.wait_for(timeout=600_000)  # adding or removing re-indexes
    return norm(line.inner_text())


def _upload(page: Any, path: Path, title: str = "", kind: str = "", date: str = "") -> None:
    """Choose a file and fill in its metadata; returns once the file is uploaded (its name is listed)."""
    page.locator("input[type=file][accept*='.pdf']").set_input_files(str(path))
    page.get_by_text(path.stem, exact=True).first.wait_for()
    textbox(page, "Titel").fill(title)
    if kind:
        textbox(page, "Soort").fill(kind)
    textbox(page, "Datum").fill(date)


def test_documents_page_adds_and_removes_a_pdf(docs_site, browser, bundled, tmp_path):
    settings = docs_site.settings
    expected = Index.open(bundled).documents[DOC_ID]
    source = make_pdf(tmp_path / "Werkagenda Proef.pdf",
                      ["De zeldzame kwartelkoning broedt volgens de proefnotitie in het Lauwersmeergebied.",
                       "Op de tweede pagina staat de telling van de grutto in de uiterwaarden."])
    with open_page(browser, docs_site) as tab:
        page = tab.page
        documents_tab(page)
        listed = [r[0] for r in table_rows(page)]  # the other tests on this server may have added their own
        row = next(r for r in table_rows(page) if r[0] == DOC_ID)
        assert row[1:5] == [TITLE, "Kamerbrief", "2023-07-07", IDENTIFIER]
        assert row[5:7] == [str(expected["pages"]), str(len(expected["chunk_ids"]))] and row[5] == "14"

        _upload(page, source, title="Proefnotitie kwartelkoning", kind="notitie", date="2024-05-01")
        button(page, "Toevoegen en indexeren").click()
        result = _result(page, r"werkagenda-proef\.pdf:")
        assert re.fullmatch(r"✓ werkagenda-proef\.pdf: added: 2 pages, \d+ chunks", result), result
        rows = poll(lambda: [r for r in table_rows(page) if r[0] == "werkagenda-proef"], "the new row")
        assert rows[0][1:4] == ["Proefnotitie kwartelkoning", "notitie", "2024-05-01"] and rows[0][5] == "2"
        assert rows[0][7] == "werkagenda-proef.pdf"
        assert any(r[0] == DOC_ID for r in table_rows(page))
        stored = settings.corpus_dir / "werkagenda-proef.pdf"
        assert stored.read_bytes() == source.read_bytes()
        entry = _manifest(settings)["werkagenda-proef"]
        assert entry["title"] == "Proefnotitie kwartelkoning" and entry["kind"] == "notitie"
        assert entry["date"] == "2024-05-01" and entry["files"] == [{"path": "werkagenda-proef.pdf"}]
        assert DOC_ID in _manifest(settings)

        # the new document answers questions, with a link to the page of the local PDF
        page.get_by_role("tab", name="Vragen").click()
        answer = ask(page, "Waar broedt de zeldzame kwartelkoning volgens de proefnotitie?")
        assert "Lauwersmeergebied" in answer
        cite = page.locator(BOT).last.locator("a.cite").first
        href = cite.get_attribute("href")
        cite.click()  # unfolds the answer's sources
        source_1 = page.locator(BOT).last.locator(f"[id='{href[1:]}']")
        assert source_1.locator("b").inner_text() == "[1] Proefnotitie kwartelkoning"
        assert source_1.locator(".where").inner_text().endswith("· p. 1")
        local = source_1.get_by_role("link", name="Lokale PDF, pagina 1")
        href = local.get_attribute("href")
        assert href.endswith("#page=1"), href
        response = page.request.get(docs_site.url + href.split("#")[0])
        assert response.status == 200 and response.body() == source.read_bytes()

        page.get_by_role("tab", name="Documenten").click()
        which = page.get_by_label("Document om te verwijderen")
        which.click()
        page.get_by_role("option", name="werkagenda-proef").click()
        assert which.input_value() == "werkagenda-proef"
        button(page, "Verwijderen").click()
        result = _result(page, "removed")
        assert result == "✓ werkagenda-proef removed; files kept in corpus/.removed: werkagenda-proef.pdf"
        poll(lambda: not [r for r in table_rows(page) if r[0] == "werkagenda-proef"], "the row to go")
        assert [r[0] for r in table_rows(page)] == listed
    assert "werkagenda-proef" not in _manifest(settings) and DOC_ID in _manifest(settings)
    assert not stored.exists()
    kept = list((settings.corpus_dir / ".removed").glob("*-werkagenda-proef.pdf"))
    assert len(kept) == 1 and kept[0].read_bytes() == source.read_bytes()


def test_documents_page_refuses_what_is_not_a_document(docs_site, browser, tmp_path):
    settings = docs_site.settings
    evil = tmp_path / "evil.pdf"
    evil.write_text("<html>not a PDF at all</html>", encoding="utf-8")
    exe = tmp_path / "setup.exe"
    exe.write_bytes(b"MZ\x90\x00" + bytes(200))
    files_before = sorted(p.name for p in settings.corpus_dir.iterdir())
    manifest_before = (settings.corpus_dir / "manifest.toml").read_bytes()
    with open_page(browser, docs_site) as tab:
        page = tab.page
        documents_tab(page)
        _upload(page, evil, title="Kwaadaardig")
        button(page, "Toevoegen en indexeren").click()
        result = _result(page, "evil")
        assert result == "✗ evil.pdf: not a PDF (its content does not start with %PDF-)"
        assert "evil" not in [r[0] for r in table_rows(page)]

    note = tmp_path / "Datumloos.txt"
    note.write_text("De wulp roept over de kwelders van de Waddenzee.", encoding="utf-8")
    with open_page(browser, docs_site) as tab:
        page = tab.page
        documents_tab(page)
        _upload(page, note, title="Datum fout", date="gisteren")
        button(page, "Toevoegen en indexeren").click()
        result = _result(page, "datumloos")
        assert result.startswith("✗ datumloos.txt: date: "), result
        assert "datumloos" not in [r[0] for r in table_rows(page)]

    with open_page(browser, docs_site) as tab:
        page = tab.page
        documents_tab(page)
        page.locator("input[type=file][accept*='.pdf']").set_input_files(str(exe))
        page.get_by_text(re.compile(r"Invalid file type: setup\.exe")).first.wait_for()
        button(page, "Toevoegen en indexeren").click()
        assert _result(page, "Geen bestand") == "Geen bestand gekozen / no file chosen"
        assert "setup" not in [r[0] for r in table_rows(page)]
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == files_before
    assert (settings.corpus_dir / "manifest.toml").read_bytes() == manifest_before


def test_upload_check_on_the_server(tmp_path):
    """What the browser does not stop (a direct API call) the server refuses by content and size."""
    exe = tmp_path / "setup.exe"
    exe.write_bytes(b"MZ" + bytes(10))
    assert "unsupported file type .exe" in file_problem(exe, 100)
    fake = tmp_path / "evil.pdf"
    fake.write_bytes(b"MZ" + bytes(10))
    assert "not a PDF" in file_problem(fake, 100)
    empty = tmp_path / "leeg.txt"
    empty.write_bytes(b"")
    assert file_problem(empty, 100) == "the file is empty"
    binary = tmp_path / "binair.md"
    binary.write_bytes(b"abc\x00def")
    assert file_problem(binary, 100) == "binary content in a text file"
    big = tmp_path / "groot.txt"
    big.write_bytes(b"a" * (1024 * 1024 + 1))
    assert file_problem(big, 1) == "larger than 1 MB"
    assert file_problem(make_pdf(tmp_path / "ok.pdf", ["Een echte PDF."]), 100) is None


def test_an_upload_that_cannot_be_indexed_leaves_nothing_behind(docs_site, browser, tmp_path):
    settings = docs_site.settings
    scan = make_pdf(tmp_path / "Gescand.pdf", ["", ""])  # a PDF without a text layer, as a scanner makes it
    with open_page(browser, docs_site) as tab:
        page = tab.page
        documents_tab(page)
        _upload(page, scan, title="Gescande brief")
        button(page, "Toevoegen en indexeren").click()
        result = _result(page, "gescand")
        assert result.startswith("✗ gescand.pdf: failed: ") and "no text layer" in result, result
        assert "gescand" not in [r[0] for r in table_rows(page)]
    assert "gescand" not in _manifest(settings)
    assert not (settings.corpus_dir / "gescand.pdf").exists()


def test_nothing_is_preselected_for_removal(docs_site, browser):
    with open_page(browser, docs_site) as tab:
        page = tab.page
        documents_tab(page)
        assert page.get_by_label("Document om te verwijderen").input_value() == ""


def test_a_page_loaded_after_an_upload_lists_the_new_document(docs_site, browser, tmp_path):
    note = tmp_path / "Herladen notitie.txt"
    note.write_text("De roerdomp leeft verborgen in het riet van de Weerribben.", encoding="utf-8")
    with open_page(browser, docs_site) as tab:
        documents_tab(tab.page)
        _upload(tab.page, note, title="Herladen")
        button(tab.page, "Toevoegen en indexeren").click()
        assert _result(tab.page, "herladen-notitie").startswith("✓ herladen-notitie.txt: added")
    with open_page(browser, docs_site) as tab:
        documents_tab(tab.page)
        assert "herladen-notitie" in [r[0] for r in table_rows(tab.page)]


def test_the_filter_offers_an_uploaded_document(docs_site, browser, tmp_path):
    note = tmp_path / "Filter notitie.txt"
    note.write_text("De ijsvogel vist in de beken van het Geuldal.", encoding="utf-8")
    with open_page(browser, docs_site) as tab:
        page = tab.page
        documents_tab(page)
        _upload(page, note, title="Filter")
        button(page, "Toevoegen en indexeren").click()
        assert _result(page, "filter-notitie").startswith("✓ filter-notitie.txt: added")
        page.get_by_role("tab", name="Vragen").click()
        page.get_by_label("Alleen in deze documenten").click()
        options = page.get_by_role("option").filter(visible=True)
        options.first.wait_for()
        assert "filter-notitie" in [norm(t) for t in options.all_inner_texts()]


# -- 8. feedback ---------------------------------------------------------------------------------------------


def test_rating_is_appended_to_the_feedback_file(site, browser):
    path = site.cwd / FEEDBACK
    with open_page(browser, site) as tab:
        page = tab.page
        button(page, "Slecht antwoord").click()  # nothing to rate yet
        page.get_by_text("—", exact=True).wait_for()
        assert not path.exists()

        question = "Wat is de Basis Data Infrastructuur?"
        ask(page, question)
        copy = textbox(page, COPY_LABEL).input_value()
        textbox(page, "Toelichting bij uw beoordeling").fill("Duidelijk, met bron ✓")
        button(page, "Goed antwoord").click()
        page.get_by_text("✓ up", exact=True).wait_for()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert row["rating"] == "up" and row["comment"] == "Duidelijk, met bron ✓"
    assert row["question"] == question and row["abstained"] is False and row["backend"] == "extractive"
    assert copy.startswith(row["answer"] + "\n\nBronnen:\n")
    refs = reference_list(copy)
    assert [c["n"] for c in row["citations"]] == sorted(refs)
    for c in row["citations"]:
        assert c["doc_id"] == DOC_ID and isinstance(c["page"], int) and c["chunk_id"].startswith(DOC_ID)
        assert norm(c["quote"]) == norm(refs[c["n"]]["quote"])
    assert any("Basis Data Infrastructuur" in c["quote"] for c in row["citations"])


# -- 9. who may log in ---------------------------------------------------------------------------------------


def test_serving_beyond_this_machine_needs_users(bundled, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "serve", "--host", "0.0.0.0", "--backend", "extractive",
         "--port", str(free_port())],
        cwd=tmp_path, env=cli_env(bundled), capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result
    assert "needs users" in result.stderr and "0.0.0.0" in result.stderr and "hash-password" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def _login(server: Server, name: str, password: str) -> tuple[int, urllib.request.OpenerDirector]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    data = urllib.parse.urlencode({"username": name, "password": password}).encode()
    try:
        with opener.open(server.url + "/login", data=data, timeout=30) as response:
            return response.status, opener
    except urllib.error.HTTPError as exc:
        return exc.code, opener


def _status(opener: urllib.request.OpenerDirector, url: str) -> int:
    try:
        with opener.open(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_login_over_http(auth_site):
    anonymous = urllib.request.build_opener()
    assert _status(anonymous, auth_site.url + "/config") == 401
    manifest = auth_site.settings.corpus_dir.resolve() / "manifest.toml"
    assert _status(anonymous, f"{auth_site.url}/gradio_api/file={manifest}") == 401
    status, opener = _login(auth_site, "anna", "wrong-password")
    assert status == 400 and _status(opener, auth_site.url + "/config") == 401
    assert _login(auth_site, "nobody", PASSWORD)[0] == 400
    status, opener = _login(auth_site, "anna", PASSWORD)
    assert status == 200 and _status(opener, auth_site.url + "/config") == 200


def test_login_form(auth_site, browser):
    with open_page(browser, auth_site, go=False) as tab:
        page = tab.page
        page.goto(auth_site.url + "/", wait_until="load")
        page.get_by_label("username").fill("anna")
        page.get_by_label("password").fill("wrong-password")
        button(page, "Login").click()
        page.get_by_text("Incorrect Credentials").wait_for()
        assert textbox(page, "Stel een vraag").count() == 0
        page.get_by_label("username").fill("anna")
        page.get_by_label("password").fill(PASSWORD)
        button(page, "Login").click()
        # a first visit after logging in lands on the Overview, as any first visit does
        landed_on(page, "Overzicht")
        assert page.locator(".overview").is_visible()
        to_the_questions(page)
        assert ask(page, "Wat is de Basis Data Infrastructuur?")
        assert page.locator("a.cite").count() >= 1
        page.reload(wait_until="load")  # signed in, and seen before: straight to the questions
        landed_on(page, "Vragen")
        assert textbox(page, "Stel een vraag over de documenten").is_visible()


@pytest.mark.slow
def test_sign_out_from_the_page(auth_site, browser):
    with open_page(browser, auth_site, go=False) as tab:
        page = tab.page
        page.goto(auth_site.url + "/", wait_until="load")
        page.get_by_text("Na 5 verkeerde wachtwoorden").wait_for()  # the form says what a guesser meets
        page.get_by_label("username").fill("anna")
        page.get_by_label("password").fill(PASSWORD)
        button(page, "Login").click()
        landed_on(page, "Overzicht")
        sign_out = page.get_by_role("link", name="Afmelden")
        assert sign_out.is_visible()
        page.get_by_label("English").check()
        page.get_by_role("link", name="Sign out").click()
        page.get_by_label("username").wait_for()  # the sign-in form again
        page.reload(wait_until="load")
        page.get_by_label("username").wait_for()  # and it stays: the sign-in has ended
        assert page.get_by_role("tab", name="Overzicht").count() == 0
    rows = [json.loads(line) for line in (auth_site.cwd / "audit" / "sign-ins.jsonl").read_text().splitlines()]
    assert [r["outcome"] for r in rows if r["user"] == "anna"][-2:] == ["signed in", "signed out"]


@pytest.mark.slow
def test_no_sign_out_without_users(site, browser):
    with open_page(browser, site) as tab:
        assert tab.page.get_by_role("link", name="Afmelden").count() == 0


def test_malformed_stored_hash_refuses_the_login(auth_site):
    assert _login(auth_site, "bob", "anything")[0] == 400


def test_password_hashes_are_salted_and_checked():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second
    for stored in (first, second):
        scheme, rounds, salt, digest = stored.split("$")
        assert scheme == "pbkdf2_sha256" and int(rounds) >= 100_000 and len(salt) >= 16 and len(digest) == 64
        assert check_password(PASSWORD, stored)
        assert not check_password("geheim124", stored)
        assert not check_password("", stored)
    assert not check_password(PASSWORD, first.replace("pbkdf2_sha256", "pbkdf2_sha1"))
    assert not check_password(PASSWORD, first[:-1] + ("0" if first[-1] != "0" else "1"))
    for malformed in ("", PASSWORD, "pbkdf2_sha256$200000$salt", "a$b$c$d$e"):
        assert check_password(PASSWORD, malformed) is False


def test_malformed_rounds_is_not_a_match():
    assert check_password(PASSWORD, MALFORMED) is False


def test_hash_password_command():
    result = CliRunner().invoke(cli, ["hash-password"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    stored = result.stdout.strip().splitlines()[-1]
    assert stored.startswith("pbkdf2_sha256$") and PASSWORD not in result.stdout
    assert check_password(PASSWORD, stored)
    short = CliRunner().invoke(cli, ["hash-password"], input="kort\nkort\n")
    assert short.exit_code == 1 and "at least 8 characters" in short.output


# -- 10. a narrow screen and the keyboard --------------------------------------------------------------------


def test_phone_width_and_keyboard(site, browser):
    with open_page(browser, site, width=390, height=844) as tab:
        page = tab.page
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1"), page.evaluate(
            "[document.scrollingElement.scrollWidth, window.innerWidth]")
        box = textbox(page, "Stel een vraag")
        for element in (box, button(page, "Vraag")):
            element.scroll_into_view_if_needed()
            assert element.is_visible()
            bounds = element.bounding_box()
            assert bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= 390 + 1, bounds
        # reach the question box with Tab alone
        page.locator("body").click(position={"x": 1, "y": 1})
        handle = box.element_handle()
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("e => document.activeElement === e", handle):
                break
        else:
            raise AssertionError("Tab never reached the question box")
        answer = ask(page, "Wat is de Basis Data Infrastructuur?", submit=lambda: page.keyboard.press("Enter"))
        assert "Basis Data Infrastructuur" in answer and page.locator("a.cite").count() >= 1
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def test_enter_asks_the_question(site, browser):
    with open_page(browser, site) as tab:
        page = tab.page
        box = textbox(page, "Stel een vraag")
        box.focus()
        page.keyboard.type("Wat is de Basis Data Infrastructuur?")
        page.keyboard.press("Enter")
        page.locator(BOT).first.wait_for()
        assert page.locator(USER).first.inner_text().strip() == "Wat is de Basis Data Infrastructuur?"


# -- streaming a model's words --------------------------------------------------------------------------------


def test_a_models_words_show_while_it_writes(bundled, browser, server, tmp_path_factory):
    """The page shows the model's first words while the model is still writing (the fake Ollama server holds
    its stream open after them), then the verified answer once the stream ends."""
    server.reply = from_source_1
    server.hold_after = 3
    base = tmp_path_factory.mktemp("ollama")
    with serving(copy_bundled(bundled, base), base, backend="ollama", ASSISTANT_OLLAMA_HOST=server.url) as site, \
            open_page(browser, site) as tab:
        page = tab.page
        assert page.get_by_text("Antwoorden door: ollama (gemma3:4b)").is_visible()
        textbox(page, "Stel een vraag").fill(FIRST)
        button(page, "Vraag").click()
        assert server.holding.wait(600), "the model was never asked"  # the bound only stops a hang
        [request] = server.chats
        first_words = norm("".join(pieces(from_source_1(request))[:3]))
        page.wait_for_function("w => [...document.querySelectorAll('[data-testid=bot]')].some("
                               "b => b.innerText.replace(/\\s+/g, ' ').includes(w))", arg=first_words)
        assert server.holding.is_set() and len(server.chats) == 1  # shown while the model is still writing
        assert textbox(page, COPY_LABEL).input_value() == ""  # no verified answer yet
        server.release.set()
        page.wait_for_function("copy => copy.value !== ''", arg=textbox(page, COPY_LABEL).element_handle())
        final = bot_text(page)
    assert norm(final).startswith(first_words) and "[1]" in final


@pytest.mark.slow
def test_the_embedded_model_answers_in_the_page(bundled, browser, tmp_path_factory):
    base = tmp_path_factory.mktemp("embedded")
    with serving(copy_bundled(bundled, base), base, backend="embedded") as site, open_page(browser, site) as tab:
        page = tab.page
        assert page.get_by_text(re.compile(r"Antwoorden door: embedded \(gemma")).is_visible()
        final = ask(page, "Wat is de Basis Data Infrastructuur?")
        assert "[1]" in final and "Basis Data Infrastructuur" in sources(page).inner_text()
