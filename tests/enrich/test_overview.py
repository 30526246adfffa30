"""The onboarding view: the hand-made lists of nr. 1055 as oracle, every line a verbatim quote, storage at ingest,
documents without headings, abbreviations or dates, conflicting definitions, the commands, and search."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REGELING, ROOT, cli_env, indexed, make_pdf, manifest

from assistant.cli import cli
from assistant.evaluation.overview import score
from assistant.index import Index, current_generation
from assistant.index.versions import stamp
from assistant.ingest import ingest
from assistant.retrieve import Searcher
from assistant.types import Span

ORACLE = json.loads((ROOT / "evals" / "overview" / "kst-26643-1055.json").read_text(encoding="utf-8"))
DOC_ID = "kst-26643-1055"


@pytest.fixture(scope="module")
def index(bundled):
    return Index.open(bundled)


def _invoke(settings, *args: str):
    return CliRunner().invoke(cli, list(args), env=cli_env(settings), catch_exceptions=False)


def _quoted_verbatim(index: Index, c: Span) -> bool:
    doc = index.document(c.doc_id)
    if c.footnote is not None:
        return doc.footnotes[c.footnote].text == c.quote and doc.footnotes[c.footnote].page == c.page
    return doc.text[c.start : c.end] == c.quote and c.page in doc.pages_between(c.start, c.end)


# -- against the hand-made lists -----------------------------------------------------------------------------


def test_glossary_and_timeline_meet_the_oracle(index):
    result = score(index.overview(), ORACLE)
    assert len(ORACLE["glossary"]) == 8 and len([t for t in ORACLE["timeline"] if t["when"]]) == 29
    assert result["glossary_precision"] >= 0.95 and result["glossary_recall"] >= 0.95, result
    assert result["undefined_recall"] >= 0.9 and result["undefined_precision"] >= 0.9, result
    assert result["timeline_recall"] >= 0.9, result["timeline_missed"]
    assert result["actors_recall"] >= 0.9, result["actors_missed"]


def test_the_scorer_can_fail(index):
    wrong = json.loads(json.dumps(ORACLE))
    wrong["glossary"][0]["expansion"] = "Iets heel anders"
    wrong["timeline"] = [{**t, "when": "1999-01-01"} if t["when"] else t for t in wrong["timeline"]]
    result = score(index.overview(), wrong)
    assert result["glossary_recall"] < 1 and result["timeline_recall"] == 0
    assert score(index.overview(), ORACLE)["actors_precision"] is None  # the first oracle judges no false names
    # a name the oracle says is none is a false one: precision counts it among the names it judges
    wrong["organisations"] = [o for o in ORACLE["organisations"] if o["name"] != "Argumentenfabriek"]
    wrong["not_organisations"] = [{"name": "Argumentenfabriek", "why": "for this test"}]
    result = score(index.overview(), wrong)
    assert result["actors_wrong"] == ["Argumentenfabriek"] and 0 < result["actors_precision"] < 1, result


def test_bracketed_words_that_are_not_an_expansion_are_not_definitions(index):
    defined = {(e.term, e.expansion) for e in index.overview().glossary if e.defined_at}
    assert ("NOLAI", "Nationaal Onderwijslab") in defined and ("BDI", "Basis Data Infrastructuur") in defined
    for abbr in ("IPO", "VNG", "UvW"):  # "provincies (IPO)", "gemeenten (VNG)", "waterschappen (UvW)"
        assert not any(term == abbr for term, _ in defined), abbr
    curated = {e.term: e for e in index.overview().glossary if not e.defined_at}
    assert curated["VNG"].source == "curated" and curated["VNG"].expansion == "Vereniging van Nederlandse Gemeenten"
    assert curated["ELSA"].expansion is None  # used, never written out, not in the curated list


def test_relative_times_are_resolved_against_the_letter_date(index):
    events = {(e.as_written, e.when): e for e in index.overview().timeline}
    vote = events[("14 juni jongstleden", "2023-06-14")]
    assert vote.resolved and vote.precision == "day" and vote.cited.page == 8
    assert events[("eind dit jaar", "2023-12")].resolved
    assert events[("begin volgend jaar", "2024-Q1")].status == "planned"
    assert events[("vóór 2030", "2030")].status == "target"
    assert events[("4 november 2022", "2022-11-04")].cited.footnote == 1
    whens = [e.when for e in index.overview().timeline]
    assert whens == sorted(whens)


def test_every_line_of_the_overview_is_a_verbatim_quote_with_its_page(index):
    view = index.overview()
    cited = [c for d in view.documents for s in d.sections for c in s.summary]
    cited += [c for e in view.glossary for c in e.defined_at + e.used_at]
    cited += [e.cited for e in view.timeline] + [c for a in view.actors for c in a.roles]
    assert len(cited) > 100
    bad = [c for c in cited if not _quoted_verbatim(index, c)]
    assert not bad, bad[:3]
    assert all(a.roles for a in view.actors)  # nobody is listed without a sentence that names them


def test_the_map_follows_the_headings_with_a_summary_for_each_section(index):
    [doc] = index.overview().documents
    paths = [" › ".join(s.path) for s in doc.sections]
    assert any(p.endswith("Thema 2: AI in actie") for p in paths) and paths[-1] == "Vervolgproces"
    assert all(s.summary and 1 <= len(s.summary) <= 2 for s in doc.sections)
    assert not doc.by_pages


# -- stored at ingest, made again only when the document changes ----------------------------------------------


def test_the_overview_is_stored_per_document_and_served_from_it(bundled, index, tmp_path):
    stored = json.loads((index.gen_dir / "docs" / f"{DOC_ID}.overview.json").read_text(encoding="utf-8"))
    assert stored["version"] == stamp("overview")
    # a copy of the index whose stored overview says something the document does not: served as stored, it shows
    copy = bundled.model_copy(update={"index_dir": tmp_path / "index"})
    shutil.copytree(bundled.index_dir, copy.index_dir)
    path = copy.index_dir / index.gen_dir.name / "docs" / f"{DOC_ID}.overview.json"
    original = path.read_text(encoding="utf-8")
    marked = re.sub(r'"quote": ?"(?:[^"\\]|\\.)*"', '"quote": "kept as stored"', original, count=1)
    assert marked != original
    path.write_text(marked, encoding="utf-8")
    assert "kept as stored" in Index.open(copy).overview().model_dump_json()
    assert "kept as stored" not in index.overview().model_dump_json()


def test_a_document_without_headings_abbreviations_or_dates(workspace):
    (workspace.corpus_dir / "notitie.txt").write_text(
        "de wulp broedt in natte weilanden en zoekt voedsel in de klei langs de rivier.\n\n"
        "vrijwilligers tellen de wulpen elk voorjaar op vaste routes door het gebied.\n", encoding="utf-8")
    assert not ingest(workspace).failed
    view = Index.open(workspace).overview()
    [doc] = view.documents
    # a text file has no pages to map it by: it is one part, under its title, its summary without a page
    assert not doc.by_pages and [s.path for s in doc.sections] == [["notitie"]]
    assert doc.sections[0].summary and all(span.page is None for span in doc.sections[0].summary)
    assert view.glossary == [] and view.timeline == []


def test_a_pdf_without_headings_is_mapped_by_its_pages(workspace):
    make_pdf(workspace.corpus_dir / "notitie.pdf", [
        f"De wulp broedt in natte weilanden en zoekt voedsel in de klei langs de rivier, deel {n}." for n in (1, 2, 3)])
    assert not ingest(workspace).failed
    [doc] = Index.open(workspace).overview().documents
    assert doc.by_pages and [s.path for s in doc.sections] == [["p. 1–2"], ["p. 3"]]


def test_an_abbreviation_defined_two_ways_is_shown_both_ways(workspace):
    (workspace.corpus_dir / "een.txt").write_text(
        "Het Regionaal Data Platform (RDP) verzamelt meetgegevens van de provincies voor het beleid.\n",
        encoding="utf-8")
    (workspace.corpus_dir / "twee.txt").write_text(
        "Het Rijksbrede Digitaliseringsprogramma (RDP) loopt tot eind 2026 en wordt jaarlijks herzien.\n",
        encoding="utf-8")
    assert not ingest(workspace).failed
    entries = [e for e in Index.open(workspace).overview().glossary if e.term == "RDP"]
    assert {e.expansion for e in entries} == {"Regionaal Data Platform", "Rijksbrede Digitaliseringsprogramma"}
    assert all(e.conflict for e in entries)
    assert {e.defined_at[0].doc_id for e in entries} == {"een", "twee"}


def test_a_regulations_lettered_definitions_are_in_the_glossary_and_answer(workspace):
    """"In deze regeling wordt verstaan onder:" opens the definitions; a lettered item after another article is
    none, whatever its colon."""
    (workspace.corpus_dir / "regeling.txt").write_text(REGELING, encoding="utf-8")
    assert not ingest(workspace).failed
    terms = {e.term: e for e in Index.open(workspace).overview().glossary if e.kind == "term"}
    assert set(terms) == {"bibliotheek", "digitaal hulppunt"}
    assert terms["digitaal hulppunt"].defined_at[0].quote.startswith("b. digitaal hulppunt: fysieke plek")
    # the glossary gives what the item says the term is, not its letter and the term again
    assert terms["digitaal hulppunt"].expansion.startswith("fysieke plek")
    assert terms["digitaal hulppunt"].expansion in terms["digitaal hulppunt"].defined_at[0].quote
    assert not terms["bibliotheek"].expansion.endswith(";")


def test_a_new_document_adds_to_the_overview_and_keeps_the_others_part(workspace):
    (workspace.corpus_dir / "een.txt").write_text(
        "Op 3 maart 2021 opende het Nationaal Dataloket (NDL) voor gemeenten en provincies.\n", encoding="utf-8")
    assert not ingest(workspace).failed
    first = Index.open(workspace)
    before = (first.gen_dir / "docs" / "een.overview.json").read_bytes()
    (workspace.corpus_dir / "twee.txt").write_text(
        "De Kennisraad Digitale Zaken (KDZ) adviseert vanaf 1 januari 2024 over datadeling.\n", encoding="utf-8")
    assert not ingest(workspace).failed
    second = Index.open(workspace)
    assert second.gen_dir != first.gen_dir
    assert (second.gen_dir / "docs" / "een.overview.json").read_bytes() == before
    view = second.overview()
    assert {e.term for e in view.glossary if e.defined_at} == {"NDL", "KDZ"}
    assert [e.when for e in view.timeline] == ["2021-03-03", "2024-01-01"]


def test_a_range_of_days_is_one_period_dated_in_the_year_it_ends_in(tmp_path):
    """"1 januari tot en met 31 december 2024" in a report of 2025 runs in 2024: the first day takes the year the
    range ends in, not the report's, and the range is one event, not one at each end."""
    settings = indexed(tmp_path, {"monitor.md": "# Monitor 2024\n\nVerschenen op 14 maart 2025.\n\n"
                                  "Gebruik inlogmiddelen 1 januari tot en met 31 december 2024 799 miljoen sessies.\n\n"
                                  "Aanvragen kan van 1 september t/m 31 oktober 2025.\n"})
    events = {(e.when, e.precision, e.as_written) for e in Index.open(settings).overview().timeline}
    assert {("2024-01-01/2024-12-31", "period", "1 januari tot en met 31 december 2024"),
            ("2025-09-01/2025-10-31", "period", "1 september t/m 31 oktober 2025")} <= events
    assert not any(when in ("2025-01-01", "2024-01-01", "2024-12-31", "2025-10-31") for when, _, _ in events)


def test_a_season_of_a_year_a_range_of_years_and_a_year_reported_on_are_dated(tmp_path):
    """"in het najaar van 2025", "voor het zomerreces van 2026", "in de periode 2025 tot en met 2028" and "de
    monitor over 2025" were no events: a season was read only as "dit najaar", years only joined by a dash, and a
    year only after a preposition of time."""
    settings = indexed(tmp_path, {"brief.md": "# Brief\n\nDen Haag, 3 april 2025.\n\n"
                                  "Ik stuur het wetsvoorstel in het najaar van 2025 naar uw Kamer.\n\n"
                                  "Voor het zomerreces van 2026 informeer ik u opnieuw.\n\n"
                                  "In de periode 2025 tot en met 2028 is jaarlijks 23 miljoen euro beschikbaar.\n\n"
                                  "In de monitor over 2025 volgt de opvolging.\n\n"
                                  "The pilot starts in spring 2026.\n"})
    events = {(e.when, e.precision) for e in Index.open(settings).overview().timeline}
    assert {("2025-H2", "half"), ("2026-Q2", "quarter"), ("2025/2028", "period"), ("2025", "year"),
            ("2026-H1", "half")} <= events, events
    assert ("2028", "year") not in events  # a range's end is read with it, not again alone


def test_a_year_that_holds_the_documents_date_is_ongoing_and_a_session_year_no_event(tmp_path):
    """A plan of June 2025 says what the Rijk does "in 2025": that was marked past, as was "In 2025 volgt een
    grotere pilot"; it is ongoing, neither over nor to come, while the plan's own month stays past and what it
    says will come is planned. A motion's session year ("Vergaderjaar 2024–2025") was an event."""
    settings = indexed(tmp_path, {
        "plan.md": "# Uitvoeringsplan\n\nMinisterie van BZK, juni 2025\n\nDit plan beschrijft wat het Rijk in 2025 "
                   "doet.\n\nIn 2025 volgt een grotere pilot.\n\nIn 2024 namen 3.200 testers deel.\n\n"
                   "In 2026 zal het netwerk verder groeien.\n",
        "motie.txt": "Tweede Kamer der Staten-Generaal\nVergaderjaar 2024–2025\n26 643 Informatie- en "
                     "communicatietechnologie (ICT)\nNr. 1209\n\nMOTIE VAN HET LID BROUWER-KAYA C.S.\n\n"
                     "Voorgesteld 17 april 2025 door het lid Brouwer-Kaya.\n",
        "manifest.toml": manifest({"id": "plan", "title": "Uitvoeringsplan", "date": "2025-06-23", "path": "plan.md"},
                                  {"id": "motie", "title": "Motie", "date": "2025-04-17", "path": "motie.txt"})})
    status = {(e.cited.doc_id, e.as_written, e.cited.quote.split()[0]): e.status
              for e in Index.open(settings).overview().timeline}
    assert status[("plan", "in 2025", "Dit")] == status[("plan", "In 2025", "In")] == "ongoing", status
    assert status[("plan", "juni 2025", "Ministerie")] == status[("plan", "In 2024", "In")] == "past", status
    assert status[("plan", "In 2026", "In")] == "planned", status
    assert [k for k in status if k[0] == "motie"] == [("motie", "17 april 2025", "Voorgesteld")], status


def test_a_range_of_months_is_one_period_in_the_year_it_ends_in(tmp_path):
    """"between January and June 2024" was dated June 2024 alone; "van maart tot juni 2025" likewise. Two months
    joined by "en" without "tussen" are no range: "in januari en juni 2024" dates June only."""
    settings = indexed(tmp_path, {"paper.md": "# Paper\n\nPublished on 1 October 2024.\n\n"
                                  "This paper draws on a survey carried out between January and June 2024.\n\n"
                                  "De pilot loopt van maart tot juni 2025.\n\n"
                                  "Rapportages verschenen in januari en juni 2024.\n"})
    events = {(e.when, e.precision, e.as_written) for e in Index.open(settings).overview().timeline}
    assert {("2024-01/2024-06", "period", "between January and June 2024"),
            ("2025-03/2025-06", "period", "maart tot juni 2025"),
            ("2024-06", "month", "juni 2024")} <= events
    assert ("2024-06", "month", "June 2024") not in events


def test_the_timeline_command_keeps_its_dates_in_one_column(tmp_path):
    settings = indexed(tmp_path, {"monitor.md": "# Monitor 2024\n\nVerschenen op 14 maart 2025.\n\n"
                                  "Gebruik inlogmiddelen 1 januari tot en met 31 december 2024 799 miljoen sessies.\n"})
    result = CliRunner().invoke(cli, ["timeline"], env=cli_env(settings))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line[:4].isdigit()]
    assert any(line.startswith("2024-01-01/2024-12-31 past") for line in lines), result.output
    assert len({line.index(" past ") if " past " in line else line.index(" planned ") for line in lines}) == 1


def test_the_events_of_a_replaced_version_are_marked_no_longer_current(tmp_path):
    """Two versions of a plan date different figures for 2025: the replaced one's are marked, not dropped."""
    settings = indexed(tmp_path, {
        "plan-v1.md": "# Plan\n\nIn 2025 groeit het netwerk naar 650 locaties.\n",
        "plan-v2.md": "# Plan\n\nIn 2025 groeit het netwerk naar 720 locaties.\n",
        "manifest.toml": manifest(
            {"id": "plan-v1", "title": "Plan (versie 1)", "date": "2025-02-10", "status": "replaced",
             "replaced_by": "plan-v2", "path": "plan-v1.md"},
            {"id": "plan-v2", "title": "Plan (versie 2)", "date": "2025-06-23", "path": "plan-v2.md"})})
    current = {e.cited.quote: e.current for e in Index.open(settings).overview().timeline}
    assert current == {"In 2025 groeit het netwerk naar 650 locaties.": False,
                       "In 2025 groeit het netwerk naar 720 locaties.": True}
    lines = _invoke(settings, "timeline").stdout.splitlines()
    assert [line.endswith("— no longer current") for line in lines] == ["650" in line for line in lines]
    briefing = tmp_path / "briefing.md"
    _invoke(settings, "overview", "--export", str(briefing))
    assert "(niet meer actueel / no longer current)" in briefing.read_text(encoding="utf-8")


def test_a_part_made_by_an_earlier_version_is_left_out_and_said_so(workspace):
    (workspace.corpus_dir / "nota.md").write_text("# Nota\n\nOp 3 maart 2021 opende het loket.\n", encoding="utf-8")
    assert not ingest(workspace).failed
    part = Index.open(workspace).gen_dir / "docs" / "nota.overview.json"
    data = json.loads(part.read_text(encoding="utf-8"))
    part.write_text(json.dumps({**data, "version": "0"}), encoding="utf-8")
    result = _invoke(workspace, "timeline")
    assert result.exit_code == 0 and result.stdout == ""
    assert "made by an earlier version: nota" in result.stderr and "assistant ingest" in result.stderr
    assert Index.open(workspace).overview().outdated == ["nota"]


# -- commands -------------------------------------------------------------------------------------------------


def test_overview_command(bundled):
    result = _invoke(bundled, "overview")
    assert result.exit_code == 0
    assert "Inleiding en leeswijzer" in result.stdout and "«" in result.stdout
    assert "(kst-26643-1055, p. " in result.stdout
    data = json.loads(_invoke(bundled, "overview", "--doc", DOC_ID, "--json").stdout)
    assert {"documents", "glossary", "timeline", "actors"} <= set(data)
    unknown = _invoke(bundled, "overview", "--doc", "nope")
    assert unknown.exit_code == 1 and "unknown document id nope" in unknown.stderr


def test_overview_of_a_document_without_pages_shows_no_empty_page(workspace):
    """A Markdown, web or Word document has no printed pages: its sections are listed without "()"."""
    (workspace.corpus_dir / "nota.md").write_text(
        "# Nota datadeling\n\n## Aanleiding\n\nOverheden delen dagelijks gegevens om hun taken uit te voeren.\n",
        encoding="utf-8")
    assert not ingest(workspace).failed
    result = _invoke(workspace, "overview")
    assert result.exit_code == 0
    assert "  Aanleiding\n" in result.stdout and "()" not in result.stdout


@pytest.mark.parametrize("suffix", ["md", "html"])
def test_overview_exports_a_briefing_with_its_sources(bundled, tmp_path, suffix):
    target = tmp_path / f"briefing.{suffix}"
    assert _invoke(bundled, "overview", "--export", str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "Basis Data Infrastructuur" in text and ("Bronnen / Sources" in text)
    if suffix == "html":
        assert text.startswith("<!doctype html>") and "<script" not in text
    else:
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
        listed = {int(n) for n in re.findall(r"(?m)^(\d+)\. ", text)}
        assert cited and cited <= listed


def test_overview_export_refuses_other_formats(bundled, tmp_path):
    result = _invoke(bundled, "overview", "--export", str(tmp_path / "briefing.docx"))
    assert result.exit_code == 2 and "must end in .md or .html" in result.stderr
    assert not (tmp_path / "briefing.docx").exists()


def test_glossary_and_timeline_commands(bundled):
    lines = _invoke(bundled, "glossary").stdout.splitlines()
    assert any(line.startswith("BDI: Basis Data Infrastructuur  (kst-26643-1055, p. 12)") for line in lines)
    assert any(line.startswith("VNG: Vereniging van Nederlandse Gemeenten  (not from the documents") for line in lines)
    entries = [json.loads(line) for line in _invoke(bundled, "glossary", "--json").stdout.splitlines()]
    assert all(e["defined_at"] or e["used_at"] for e in entries)
    events = [json.loads(line) for line in _invoke(bundled, "timeline", "--json").stdout.splitlines()]
    assert events[0]["when"] <= events[-1]["when"] and any(e["resolved"] for e in events)
    text = _invoke(bundled, "timeline").stdout
    assert "2023-06-14" in text and "(from “14 juni jongstleden”)" in text


def test_commands_without_an_index_say_what_to_do(workspace):
    result = _invoke(workspace, "glossary")
    assert result.exit_code == 1 and "run `assistant ingest` first" in result.stderr


# -- search uses the glossary ---------------------------------------------------------------------------------


def test_search_expands_an_abbreviation_the_documents_define(bundled):
    searcher = Searcher(bundled)
    assert "Nationaal Onderwijslab" in searcher.expanded("Wat doet NOLAI?")
    assert "NOLAI" in searcher.expanded("Wat doet het Nationaal Onderwijslab?")
    assert searcher.expanded("Wat doet de VNG?") == "Wat doet de VNG?"  # curated expansions are not searched
    positions = searcher.lexical(searcher.expanded("NOLAI"), 5)
    assert any("Nationaal Onderwijslab" in searcher.index.chunks[p].text for p in positions)


def test_generation_is_not_rewritten_by_reading(bundled):
    before = current_generation(bundled.index_dir)
    Index.open(bundled).overview()
    assert current_generation(bundled.index_dir) == before
    assert Path(bundled.index_dir / before / "docs" / f"{DOC_ID}.overview.json").exists()


# --- summaries condensed by a model, where they verify ------------------------------------------------------------


def _sections(view):
    return [s for d in view.documents for s in d.sections if s.summary]


def test_condensed_summaries_keep_only_what_verifies(bundled, index, tmp_path):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from assistant.models.llm import Backend
    from assistant.present.briefing import briefing, condense
    from assistant.text import rules

    settings = bundled.model_copy(update={"index_dir": tmp_path})  # the model's outcomes are kept there
    sections = _sections(index.overview())
    assert len(sections) >= 4
    shortened = [" ".join(s.summary[0].quote.split()[:8]).rstrip(",;:") for s in sections]
    drafts = ["Het kabinet investeert 500 miljoen euro in quantumcomputers [1].",  # a claim of its own
              "The cabinet wants " + " ".join(sections[1].summary[0].quote.split()[:6]) + " [1].",  # wrong language
              " ".join(q.quote for q in sections[2].summary) + " [1]",  # no shorter than the quotes
              *(f"{words} [1]." for words in shortened[3:])]
    model = Backend("fake", "fake-model", FakeListChatModel(responses=drafts))
    view, asked = condense(index.overview(), settings, model)
    assert asked == len(sections)
    sections = _sections(view)
    assert [s.condensed for s in sections[:3]] == [None, None, None]
    # a shortening that leaves out a negation of its quote ("..., maar niet ...") says less than the quote and
    # may say the opposite: it does not verify (the `negation` rule of assistant/rules/verification.toml)
    negation = rules.rule("verification", "negation")
    kept = [(s, words) for s, words in zip(sections[3:], shortened[3:], strict=True)
            if len(negation.findall(s.summary[0].quote)) % 2 == len(negation.findall(words)) % 2]
    assert len(kept) >= 2
    for s, words in zip(sections[3:], shortened[3:], strict=True):
        expected = words + "." if (s, words) in kept else None
        assert s.condensed == expected and s.condensed_by == ("fake-model" if expected else None)
    assert f"{kept[0][1]}. (fake-model, " in briefing(view)

    assert all(s.condensed is None for s in _sections(index.overview()))  # the index's own view is untouched
    silent = Backend("fake", "fake-model", FakeListChatModel(responses=["Iets anders [1]."]))
    for ask in (False, True):  # kept per model: applied without asking, and never asked twice
        again, asked = condense(index.overview(), settings, silent, ask=ask)
        assert asked == 0 and [s.condensed for s in _sections(again)] == [s.condensed for s in sections]
    other, asked = condense(index.overview(), settings,
                            Backend("fake", "other-model", FakeListChatModel(responses=["x"])), ask=False)
    assert asked == 0 and all(s.condensed is None for s in _sections(other))
    assert condense(index.overview(), settings, Backend("extractive"))[1] == 0


def test_condense_needs_a_model(bundled):
    result = _invoke(bundled, "overview", "--condense", "--backend", "extractive")
    assert result.exit_code == 2 and "--condense needs a model" in result.output


@pytest.mark.slow
def test_the_embedded_model_condenses_summaries_that_verify(bundled, tmp_path):
    import shutil

    from conftest import make_settings

    from assistant.answer import cite

    shutil.copytree(bundled.corpus_dir, tmp_path / "corpus")
    shutil.copytree(bundled.index_dir, tmp_path / "index")
    settings = make_settings(tmp_path / "corpus", tmp_path / "index")
    result = _invoke(settings, "overview", "--condense", "--backend", "embedded")
    assert result.exit_code == 0, result.output
    made, total = map(int, re.search(r"(\d+) of (\d+) summaries condensed", result.output).groups())
    assert total == len(_sections(Index.open(settings).overview())) and made >= 1
    view = json.loads(_invoke(settings, "overview", "--json", "--backend", "embedded").stdout)
    condensed = [s for d in view["documents"] for s in d["sections"] if s["condensed"]]
    assert len(condensed) == made
    for s in condensed:  # checked again here, independently of how they were kept
        quotes = [" ".join(c["quote"].split()) for c in s["summary"]]
        check = cite.verify(s["condensed"], quotes, "", min_support=settings.answer.min_support,
                            min_pair_support=settings.answer.min_pair_support)
        assert len(check.claims) == 1 and not check.removed, s
        assert len(s["condensed"]) < len(" ".join(quotes))


def test_an_english_documents_dates_are_on_the_timeline(tmp_path):
    """An English paper dates in English: days, ranges of months, months, years with a preposition and "the end of
    next year", each resolved as a Dutch letter's are; the verb "may" is no month."""
    paper = ("---\ntitle: Trustworthy AI\ndate: 2024-10-08\n---\n\n# Trustworthy AI\n\n"
             "The survey ran between January and June 2024.\n\n"
             "Obligations for high-risk systems apply from August 2026.\n\n"
             "The register held 1,100 entries in early 2024.\n\n"
             "The forum will publish its next paper at the end of next year.\n\n"
             "Administrations may 2025 budgets differently. The report of 8 October 2024 is final.\n")
    settings = indexed(tmp_path, {"paper.md": paper})
    events = {(e.when, e.as_written, e.status) for e in Index.open(settings).overview().timeline}
    assert {("2024-01/2024-06", "between January and June 2024", "past"), ("2026-08", "August 2026", "planned"),
            ("2024", "early 2024", "past"),
            ("2025-12", "the end of next year", "planned"), ("2024-10-08", "8 October 2024", "past")} <= events
    assert not any(written.lower().startswith("may") for _, written, _ in events)


def test_an_abbreviation_written_out_without_brackets_is_read_from_the_document(tmp_path):
    """"EPSIF Policy Paper No. 12, European Public Sector Innovation Forum" writes EPSIF out without brackets; a
    heading in capitals whose initials happen to spell an abbreviation is no expansion of it."""
    paper = ("# Trustworthy AI\n\nEPSIF Policy Paper No. 12, European Public Sector Innovation Forum, October 2024\n\n"
             "The EPSIF surveyed twelve administrations.\n\nSOCIAAL VERZEKERDE BURGERS\n\n"
             "De SVB en het UWV voeren de regeling uit.\n")
    settings = indexed(tmp_path, {"paper.md": paper})
    glossary = {e.term: e for e in Index.open(settings).overview().glossary}
    assert glossary["EPSIF"].expansion == "European Public Sector Innovation Forum"
    assert glossary["EPSIF"].source == "document" and "European Public Sector" in glossary["EPSIF"].defined_at[0].quote
    assert glossary["SVB"].expansion != "SOCIAAL VERZEKERDE BURGERS"


def test_an_abbreviation_the_document_names_in_words_elsewhere_is_read_from_it(tmp_path):
    """The factsheet asks "Wat is de EDI-wallet?" and answers "De Europese digitale identiteit is een app …": no
    sentence writes EDI out beside it, and the glossary had it as never written out. Words that only happen to
    start with its letters ("en de informatie") are none, nor is a name with a short word between ("Rijksdienst
    voor Ondernemend Nederland" for RVO)."""
    factsheet = ("# Factsheet\n\n## Wat is de EDI-wallet?\n\nDe Europese digitale identiteit is een app waarmee "
                 "burgers zich online identificeren.\n\nHet EDI-team werkt samen met RVO en de informatie is "
                 "openbaar.\n\nAanvragen gaan naar de Rijksdienst voor Ondernemend Nederland.\n")
    glossary = {e.term: e for e in Index.open(indexed(tmp_path, {"factsheet.md": factsheet})).overview().glossary}
    assert glossary["EDI"].expansion == "Europese digitale identiteit"
    assert glossary["EDI"].source == "document"
    assert "Europese digitale identiteit is een app" in glossary["EDI"].defined_at[0].quote
    assert not glossary["RVO"].defined_at


def test_a_standards_letters_before_its_number_are_no_abbreviation(tmp_path):
    """"EN 301 549" names a standard: its letters are not listed as an abbreviation the documents never write
    out; letters that stand alone elsewhere still are."""
    monitor = ("# Monitor\n\nDe websites zijn getoetst aan de Europese norm EN 301 549 en aan NEN 7510.\n\n"
               "Het ICTU voerde de toetsing uit.\n")
    glossary = {e.term for e in Index.open(indexed(tmp_path, {"monitor.md": monitor})).overview().glossary}
    assert "EN" not in glossary and "NEN" not in glossary
    assert "ICTU" in glossary


def test_a_curated_expansion_is_written_out_in_the_language_of_the_documents_that_use_it(tmp_path):
    """"AI" used only by an English paper is "artificial intelligence"; used by a Dutch letter as well, the list's
    Dutch stands; a Dutch body's name has no English form in the list and stays as it is."""
    paper = "# Trustworthy AI\n\nAdministrations use AI to detect errors, and the EU regulates it with the VNG.\n"
    letter = "# Brief\n\nHet kabinet zet AI in voor betere dienstverlening aan burgers.\n"
    manifest = ('[[document]]\nid = "paper"\nlanguage = "en"\nfiles = [{ path = "paper.md" }]\n\n'
                '[[document]]\nid = "zbrief"\nlanguage = "nl"\nfiles = [{ path = "brief.md" }]\n')
    for name in ("en", "both"):
        (tmp_path / name).mkdir()
    english = {e.term: e for e in Index.open(indexed(tmp_path / "en", {"paper.md": paper})).overview().glossary}
    assert english["AI"].expansion == "artificial intelligence" and english["AI"].source == "curated"
    assert english["EU"].expansion == "European Union"
    assert english["VNG"].expansion == "Vereniging van Nederlandse Gemeenten"
    both = Index.open(indexed(tmp_path / "both", {"paper.md": paper, "brief.md": letter,
                                                  "manifest.toml": manifest})).overview().glossary
    ai = [e for e in both if e.term == "AI"]
    assert [e.expansion for e in ai] == ["artificiële intelligentie"]
    assert {c.doc_id for c in ai[0].used_at} == {"paper", "zbrief"}


def test_who_is_who_reads_one_office_across_documents_and_no_article_as_a_name(tmp_path):
    """A regulation opens with "Staatssecretaris van …", a letter writes "de staatssecretaris van …": one office,
    listed once (it was listed twice). "The Forum" opening an English sentence is no organisation's name; "The
    Joint Research Centre" names the Centre."""
    settings = indexed(tmp_path, {
        "regeling.md": "# Regeling\n\nStaatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties, gelet op de "
                       "wet, besluit het volgende.\n",
        "brief.md": "# Brief\n\nMet deze brief informeert de staatssecretaris van Binnenlandse Zaken en "
                    "Koninkrijksrelaties de Kamer over de voortgang.\n",
        "paper.md": "# Paper\n\nThe Forum makes five recommendations to member administrations.\n\n"
                    "The Joint Research Centre proposes a common approach for all member states.\n"})
    names = [a.name.lower() for a in Index.open(settings).overview().actors]
    assert names.count("staatssecretaris van binnenlandse zaken en koninkrijksrelaties") == 1, names
    assert "the forum" not in names and "joint research centre" in names, names


def test_who_is_who_reads_a_kamerstuks_head_an_office_of_an_organisation_and_a_list_of_names(tmp_path):
    """A motion's head names its chamber and runs on into "Vergaderjaar 2024–2025" (listed as "Tweede Kamer der
    Staten-Generaal Vergaderjaar"); "de Voorzitter van de Tweede Kamer der Staten-Generaal" is an office (it was
    listed as an organisation) of the Kamer, which is listed in its own right, with "Tweede Kamer" as its short
    name; "Kadaster" and "Geonovum", listed among organisations, are organisations without an organisation noun
    of their own, and the portfolio of an office ("… Zaken en Koninkrijksrelaties") lists none. "De Directie
    Algoritmetoezicht van de Autoriteit Persoonsgegevens" names two organisations (it was listed as one)."""
    settings = indexed(tmp_path, {
        "motie.txt": "Tweede Kamer der Staten-Generaal\nVergaderjaar 2024–2025\n26 643 Informatie- en "
                     "communicatietechnologie (ICT)\nNr. 1209\n\nMOTIE VAN HET LID BROUWER-KAYA C.S.\n\n"
                     "De Kamer,\n\ngehoord de beraadslaging,\n\nverzoekt de regering om een terugvaloptie te "
                     "garanderen.\n",
        "brief.md": "# Brief\n\nAan de Voorzitter van de Tweede Kamer der Staten-Generaal\n\nDe coalitie bestaat uit "
                    "het Ministerie van BZK, provincies (IPO), de Unie van Waterschappen, Kadaster, Geonovum en het "
                    "Beraad voor de Geo-informatie.\n\nHet kabinet informeert de Tweede Kamer jaarlijks over de "
                    "voortgang.\n\nDe Raad voor het Regeringsbeleid adviseert.\n\n"
                    "De Directie Algoritmetoezicht van de Autoriteit Persoonsgegevens coördineert het "
                    "toezicht, met de Vereniging van Nederlandse Gemeenten.\n\n"
                    "De staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties, M. de Graaf\n"})
    actors = {a.name: a for a in Index.open(settings).overview().actors}
    assert not [n for n in actors if "Vergaderjaar" in n], list(actors)
    assert actors["Voorzitter van de Tweede Kamer der Staten-Generaal"].kind == "office", list(actors)
    kamer = actors["Tweede Kamer der Staten-Generaal"]
    assert kamer.kind == "organisation" and "Tweede Kamer" in kamer.aliases and "Tweede Kamer" not in actors
    assert actors["Kadaster"].kind == actors["Geonovum"].kind == "organisation", list(actors)
    assert not {"Koninkrijksrelaties", "Zaken", "Binnenlandse"} & set(actors), list(actors)
    # the government named by a common noun is an actor; a word it opens is not ("Regeringsbeleid")
    assert actors["kabinet"].kind == "organisation" and "Het kabinet informeert" in actors["kabinet"].roles[0].quote
    assert [n for n in actors if n.lower().startswith("regering")] == ["regering"], list(actors)  # the motion's
    # a directorate of an organisation, named with it, is listed apart from it; "van" in one name splits none
    assert {"Directie Algoritmetoezicht", "Autoriteit Persoonsgegevens", "Vereniging van Nederlandse Gemeenten",
            "Ministerie van BZK"} <= set(actors), list(actors)


def test_who_is_who_lists_the_members_of_parliament_a_motion_names_after_the_organisations(tmp_path):
    """Parliament's staff ask who tabled a motion: "het lid Brouwer-Kaya, mede namens de leden Van Dijkhuizen en El
    Amrani" names three members (none was listed); "de overige leden van het Beraad" names none."""
    settings = indexed(tmp_path, {"motie.md": "# Motie\n\nVoorgesteld 17 april 2025 door het lid Brouwer-Kaya, mede "
                                  "namens de leden Van Dijkhuizen en El Amrani.\n\nZie de motie van het lid Klaver "
                                  "c.s. over de registratie.\n\nDe coalitie bestaat uit de overige leden van het "
                                  "Beraad voor de Geo-informatie en de Autoriteit Persoonsgegevens.\n"})
    actors = Index.open(settings).overview().actors
    members = [a.name for a in actors if a.kind == "member"]
    assert sorted(members) == ["Brouwer-Kaya", "El Amrani", "Klaver", "Van Dijkhuizen"], members
    assert "door het lid Brouwer-Kaya" in next(a for a in actors if a.name == "Brouwer-Kaya").roles[0].quote
    assert [a.kind for a in actors][-len(members):] == ["member"] * len(members)  # after the organisations
    assert "Autoriteit Persoonsgegevens" in [a.name for a in actors if a.kind == "organisation"]
