"""Questions about a document itself (who signed it, its number, date, addressee), answered from its header and
signature, each quoted where it stands; other questions are not taken for them."""

from __future__ import annotations

import pytest
from conftest import MOTION_HEAD, indexed, make_pdf, manifest

from assistant.answer.answerer import Answerer
from assistant.enrich import colophon
from assistant.index import Index
from assistant.ingest import ingest
from assistant.retrieve import Filters

DOC = "kst-26643-1055"


@pytest.fixture(scope="module")
def answerer(bundled):
    return Answerer(bundled, "extractive")


def test_the_bundled_letter_says_who_sends_it_to_whom_when_and_who_signed(bundled):
    doc = Index.open(bundled).document(DOC)
    found = {f.kind: f.cited for f in colophon.facts(doc)}
    assert set(found) == {"sender", "addressee", "date", "identifier", "signer"}
    assert found["signer"].quote == ("De Staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties, "
                                     "A.C. van Huffelen")
    assert found["signer"].page == 14
    assert colophon.author(doc) == "staatssecretaris state secretary A.C. van Huffelen"
    assert found["addressee"].quote == "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal"
    assert found["date"].quote == "Den Haag, 7 juli 2023"
    assert " ".join(found["identifier"].quote.split()) == "26 643 Informatie- en communicatietechnologie (ICT) Nr. 1055"
    for cited in found.values():
        assert doc.text[cited.start : cited.end] == cited.quote, "every fact is a verbatim span"
        if cited is not found["signer"]:
            assert cited.page == 1


@pytest.mark.parametrize(("question", "kind"), [
    ("Wie heeft de brief ondertekend?", "signer"),
    ("Who signed this letter?", "signer"),
    ("Onder welk Kamerstuknummer is deze brief over de coalities gepubliceerd?", "identifier"),
    ("Bij welk Kamerdossier hoort deze brief?", "identifier"),
    ("Who is the letter addressed to?", "addressee"),
    ("Aan wie is deze brief gericht?", "addressee"),
    ("Van wanneer is deze brief?", "date"),
    ("Wie schreef de brief?", "sender"),
    ("Which cabinet member sent this letter to parliament?", "sender"),  # the sender named by a noun
    ("Welke bewindspersoon stuurde deze brief?", "sender"),
    ("Op welke dag is deze brief verstuurd?", "date"),  # "welke dag" asks for the date, not who sent it
    ("Wanneer is de brief ondertekend?", "date"),  # "wanneer" asks for the date, whoever signed
    ("When was the letter sent to parliament?", "date"),  # not to whom it was sent
])
def test_questions_about_the_document_itself_are_recognised(question, kind):
    assert colophon.asked(question) == kind


@pytest.mark.parametrize("question", [
    "Welk Kamerstuk is de Werkagenda?",
    "Welk nummer heeft de motie die in deze brief genoemd wordt?",
    "Op welke datum verschijnt de eerste voortgangsrapportage van deze agenda?",
    "Wie heeft de brief over de hoofdlijnen van het digitaliseringsbeleid ondertekend?",
    "Wanneer komt de minister van EZK met een actieplan?",
    "Wie ondertekende het convenant digitale veiligheid?",
])
def test_other_questions_are_not_taken_for_questions_about_the_document(question):
    assert colophon.asked(question) is None


def test_who_signed_is_answered_with_the_signature(answerer):
    answer = answerer.ask("Wie heeft de brief ondertekend?")
    assert not answer.abstained
    assert "A.C. van Huffelen [1]" in answer.answer
    assert answer.citations[0].page == 14 and answer.citations[0].section == "Vervolgproces"


def test_the_number_of_the_letter_is_answered_from_its_header(answerer):
    answer = answerer.ask("Onder welk Kamerstuknummer is deze brief gepubliceerd?")
    assert not answer.abstained and "26 643" in answer.answer and "1055" in answer.answer
    assert answer.citations[0].page == 1


def test_an_english_question_gets_english_labels_and_the_dutch_quote(answerer):
    answer = answerer.ask("Who is the letter addressed to?")
    assert answer.answer == "Addressed to: “Aan de Voorzitter van de Tweede Kamer der Staten-Generaal” [1]."


@pytest.mark.parametrize("question", ["Wie schreef de brief?", "Which minister sent the letter?",
                                      "Welke bewindspersoon stuurde deze brief?", "Van wie komt deze brief?",
                                      "Who is the letter from?"])
def test_who_wrote_the_letter_names_sender_and_signer(answerer, question):
    answer = answerer.ask(question)
    assert [c.quote.split()[0] for c in answer.citations] == ["BRIEF", "De"]


def test_the_day_a_letter_was_sent_is_its_date(answerer):
    answer = answerer.ask("Op welke dag is deze brief verstuurd?")
    assert [c.quote for c in answer.citations] == ["Den Haag, 7 juli 2023"]


def test_a_joint_letter_lists_every_signature_and_a_report_has_none(workspace):
    letter = ("34 567 Digitale overheid\n\nNr. 12\n\nBRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN EN DE MINISTER "
              "VAN ECONOMISCHE ZAKEN Aan de Voorzitter van de Tweede Kamer der Staten-Generaal "
              "Den Haag, 3 maart 2024\n\n"
              "Hierbij informeren wij u over de voortgang van de digitale overheid. Gemeenten openen informatiepunten "
              "in de wijk. Bibliotheken helpen inwoners bij het gebruik van overheidsdiensten.\n\n"
              "De Minister van Binnenlandse Zaken en Koninkrijksrelaties, H.G.J. Bruins Slot\n\n"
              "De Minister van Economische Zaken en Klimaat, M.A.M. Adriaansens")
    make_pdf(workspace.corpus_dir / "brief.pdf", [letter])
    report = ("Verkenning datagebruik\n\nGemeenten delen gegevens voor de aanpak van schulden. Het rapport beschrijft "
              "welke afspraken daarvoor nodig zijn en welke knelpunten de uitvoering ervaart.")
    (workspace.corpus_dir / "verkenning.txt").write_text(report, encoding="utf-8")
    (workspace.corpus_dir / "manifest.toml").write_text(
        '[[document]]\nid = "kst-34567-12"\ntitle = "Voortgang digitale overheid"\nkind = "Kamerbrief"\n'
        'identifier = "Kamerstukken II 2023/24, 34 567, nr. 12"\nfiles = [{ path = "brief.pdf" }]\n\n'
        '[[document]]\nid = "verkenning"\ntitle = "Verkenning datagebruik"\nkind = "rapport"\n'
        'files = [{ path = "verkenning.txt", format = "text" }]\n', encoding="utf-8")
    assert not ingest(workspace).failed
    index = Index.open(workspace)
    facts = colophon.facts(index.document("kst-34567-12"))
    signers = [f.cited.quote for f in facts if f.kind == "signer"]
    assert [s.split(", ")[-1] for s in signers] == ["H.G.J. Bruins Slot", "M.A.M. Adriaansens"]
    assert {f.kind for f in facts} == {"sender", "addressee", "date", "identifier", "signer"}
    assert colophon.facts(index.document("verkenning")) == []
    assert colophon.author(index.document("kst-34567-12")) == "minister H.G.J. Bruins Slot M.A.M. Adriaansens"
    assert colophon.author(index.document("verkenning")) == ""
    answerer = Answerer(workspace, "extractive")
    signed = answerer.ask("Wie hebben deze brief over de digitale overheid ondertekend?")
    assert "Bruins Slot [1]" in signed.answer and "Adriaansens [2]" in signed.answer
    unsigned = answerer.ask("Wie heeft dit document over schulden en datagebruik ondertekend?")
    assert not unsigned.answer.startswith("Ondertekend door")
    assert all(c.doc_id == "verkenning" or "Minister" not in c.quote for c in unsigned.citations)


TITLE = "Agenda ‘Coalities voor de digitale samenleving’"


@pytest.mark.parametrize(("question", "title", "bridges", "named"), [
    ("Van welke datum is de brief over de agenda coalities?", TITLE, {}, True),
    ("Wanneer is de brief over de agenda coalities verstuurd?", TITLE, {}, True),
    ("On what date was the letter on the progress of the Algorithm Register sent, and from which city?",
     "Voortgang Algoritmeregister en toezicht op algoritmes",
     {"progress": ["voortgang"], "algorithm": ["algoritme", "algoritmeregister"], "register": ["algoritmeregister"]},
     True),
    ("Wie heeft de brief over de hoofdlijnen van het digitaliseringsbeleid ondertekend?", TITLE, {}, False),
    ("Wat zegt de brief over het energieverbruik van datacenters?", TITLE, {}, False),
    ("On what date was the letter on the progress of the Algorithm Register sent?", TITLE, {}, False),
    ("Wie heeft de motie over de terugvaloptie ingediend?",
     "Motie van het lid Brouwer-Kaya c.s. over een niet-digitale terugvaloptie", {}, True),
    # a noun that is not what the document is called by its title's head: no question about it
    ("Wie heeft de coalitie over digitale ethiek opgericht?", TITLE, {}, False),
])
def test_the_letter_about_x_is_the_document_whose_title_says_x(question, title, bridges, named):
    assert colophon.names(question, title, bridges) is named
    assert (colophon.asked(question, title, bridges) is not None) is named


def test_a_phone_number_is_no_identifier():
    question = "What phone number should I call about the regulation on digital help points?"
    title, bridges = "Regeling subsidie digitale hulppunten 2025", {"help": ["hulppunten"], "points": ["hulppunten"]}
    assert colophon.names(question, title, bridges)  # the regulation is named: only the kind of fact is wrong
    assert colophon.asked(question, title, bridges) is None


def test_the_letter_named_by_its_subject_is_answered_from_its_header(answerer):
    answer = answerer.ask("Van welke datum is de brief over de agenda coalities?")
    assert answer.citations[0].quote == "Den Haag, 7 juli 2023"
    other = answerer.ask("Wie heeft de brief over de hoofdlijnen van het digitaliseringsbeleid ondertekend?")
    assert all("Huffelen" not in c.quote for c in other.citations)  # another letter: not this one's signature


MOTION = MOTION_HEAD + """
De Kamer,

gehoord de beraadslaging,

constaterende dat een aanvraag voor een dienst steeds vaker alleen digitaal kan worden ingediend;

verzoekt de regering een niet-digitale terugvaloptie te garanderen,

en gaat over tot de orde van de dag.
"""
MOTION_MANIFEST = """[[document]]
id = "kst-26643-1209"
title = "Motie van het lid Brouwer-Kaya c.s. over een niet-digitale terugvaloptie"
kind = "motie"
identifier = "Kamerstukken II 2024/25, 26 643, nr. 1209"
files = [{ path = "motie.txt", format = "text" }]
"""
PROPOSED = "Voorgesteld 17 april 2025 door het lid Brouwer-Kaya, mede namens de leden Van Dijkhuizen en El Amrani."


@pytest.fixture(scope="module")
def motion(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    files = {"motie.txt": MOTION, "manifest.toml": MOTION_MANIFEST}
    return Answerer(indexed(tmp_path_factory.mktemp("motion"), files), "extractive")


def test_a_motion_says_who_proposed_it_and_when(motion):
    found = [(f.kind, f.cited.quote) for f in colophon.facts(motion.document("kst-26643-1209"))]
    assert ("sender", "MOTIE VAN HET LID BROUWER-KAYA C.S.") in found
    assert ("signer", PROPOSED) in found and ("date", PROPOSED) in found


@pytest.mark.parametrize(("question", "quotes"), [
    ("Wie heeft de motie ingediend?", ["MOTIE VAN HET LID BROUWER-KAYA C.S.", PROPOSED]),
    ("Who tabled the motion?", ["MOTIE VAN HET LID BROUWER-KAYA C.S.", PROPOSED]),
    ("Wanneer is de motie ingediend?", [PROPOSED]),  # not "… alleen digitaal kan worden ingediend"
    # named by what it is about, as its title says: "de motie over X" as "de brief over X"
    ("Wie heeft de motie over de terugvaloptie ingediend?", ["MOTIE VAN HET LID BROUWER-KAYA C.S.", PROPOSED]),
    ("Welke Kamerleden dienden de motie over de terugvaloptie in?", ["MOTIE VAN HET LID BROUWER-KAYA C.S.", PROPOSED]),
])
def test_a_motion_called_by_its_kind_is_answered_from_its_header(motion, question, quotes):
    answer = motion.ask(question)
    assert [c.quote for c in answer.citations] == quotes


def test_a_motion_is_said_to_be_submitted_not_signed_and_its_head_needs_no_sender_label(motion):
    """A motion's head and the line that says who proposed it were labelled "Afzender:" and "Ondertekend door:"."""
    dutch = motion.ask("Wie heeft de motie ingediend?").answer
    assert dutch == f"MOTIE VAN HET LID BROUWER-KAYA C.S. [1]. Ingediend: {PROPOSED} [2].", dutch
    english = motion.ask("Who tabled the motion?").answer
    assert english == f"“MOTIE VAN HET LID BROUWER-KAYA C.S.” [1]. Submitted: “{PROPOSED}” [2].", english


def test_a_motion_a_letter_cites_is_no_question_about_the_letter_itself():
    assert colophon.asked("Wie heeft de motie ingediend?", "Agenda ‘Coalities voor de digitale samenleving’") is None


def test_a_motion_says_what_it_is_about_in_its_dictum(motion):
    dictum = "verzoekt de regering een niet-digitale terugvaloptie te garanderen,"
    assert [s.quote for s in colophon.says_itself(motion.document("kst-26643-1209"))] == [dictum]
    answer = motion.ask("Waar gaat de motie over?")
    assert [c.quote for c in answer.citations] == [dictum]


def test_a_publication_that_is_no_letter_is_answered_by_who_issued_it_on_its_imprint_line(tmp_path):
    nota = ("Beleidsnota Open data\n\nMinisterie van Binnenlandse Zaken en Koninkrijksrelaties, november 2024\n\n"
            "1. Aanleiding\n\nGemeenten publiceren steeds meer open data. Het Ministerie van Financiën publiceerde "
            "de cijfers in maart 2024.\n\nDeze nota beschrijft hoe overheden hun data vindbaar maken.")
    paper = ("Open Data in Europe\n\nPolicy Paper No. 3, European Open Data Forum, October 2024\n\nSummary\n\n"
             "Most administrations publish their datasets in a national portal.")
    plan = "Uitvoeringsplan Open data\n\nDen Haag, 14 maart 2025\n\nHet Rijk opent in 2025 tien nieuwe datasets."
    settings = indexed(tmp_path, {"nota.txt": nota, "paper.txt": paper, "plan.txt": plan, "manifest.toml": manifest(
        {"id": "nota", "title": "Beleidsnota Open data", "kind": "nota", "path": "nota.txt"},
        {"id": "paper", "title": "Open Data in Europe", "kind": "policy paper", "language": "en", "path": "paper.txt"},
        {"id": "plan", "title": "Uitvoeringsplan Open data", "kind": "uitvoeringsplan", "path": "plan.txt"})})
    index = Index.open(settings)
    imprint = "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties, november 2024"
    assert [(f.kind, f.cited.quote) for f in colophon.facts(index.document("nota"))] == [
        ("issuer", imprint), ("date", imprint)]  # not the running sentence that names a ministry and a month
    assert [(f.kind, f.cited.quote) for f in colophon.facts(index.document("paper"))] == [
        ("issuer", "Policy Paper No. 3, European Open Data Forum, October 2024"),
        ("date", "Policy Paper No. 3, European Open Data Forum, October 2024")]
    # a place and a date name no one who issued it
    assert [f.kind for f in colophon.facts(index.document("plan"))] == ["date"]
    answerer = Answerer(settings, "extractive")
    for question in ("Wie heeft de nota geschreven?", "Wie heeft de beleidsnota opgesteld?",
                     "Wie heeft de nota ondertekend?"):  # unsigned: who issued it is all it says
        assert answerer.ask(question).answer == f"Uitgegeven door: {imprint} [1].", question
    assert answerer.ask("Van wanneer is de nota?").answer == f"Gedateerd: {imprint} [1]."
    assert answerer.ask("Who issued this paper?", filters=Filters(doc_ids=["paper"])).answer == (
        "Issued by: “Policy Paper No. 3, European Open Data Forum, October 2024” [1].")
