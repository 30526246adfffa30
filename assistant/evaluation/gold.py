"""The gold set an evaluation is scored against, and which of its evidence can be scored at all.

A gold line that cannot be read, or evidence that does not stand verbatim in the corpus, is reported by its
line and left out, so one bad record never sinks a run and never counts against a system.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.text.marks import SUPERSCRIPT_DIGITS
from assistant.text.normalize import match_key
from assistant.types import AssistantError

# Footnote markers as some renderings print them ("Digitaliseren¹"): quotes are judged with and without them.


class GoldEvidence(BaseModel):
    """A passage a correct answer cites: a verbatim quote of a document."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    quote: str = Field(min_length=1)
    page: int | None = None
    section: str = ""


class GoldQuestion(BaseModel):
    """One line of a gold set (format in `evals/README.md`)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    language: str = "nl"
    type: str = Field(min_length=1)
    keywords: list[list[str]] = Field(default_factory=list)
    evidence: list[GoldEvidence] = Field(default_factory=list)
    abstain: bool
    follow_up_of: str | None = None


@dataclass
class GoldSet:
    """The questions that could be read, where each stands, and why the other lines could not be used."""

    path: Path
    questions: list[GoldQuestion]
    lines: dict[str, int]
    problems: list[str] = field(default_factory=list)

    def previous(self, question: GoldQuestion) -> GoldQuestion | None:
        """The question a follow-up is asked after."""
        return next((q for q in self.questions if q.id == question.follow_up_of), None)


def load_gold(path: Path) -> GoldSet:
    """Read a gold set; a line that cannot be used is reported by its number and the others still count."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AssistantError(f"cannot read the gold set {path}: {exc.strerror or exc}") from exc
    gold = GoldSet(path, [], {})
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            question = GoldQuestion.model_validate_json(line)
        except ValidationError as exc:
            if any(e["type"] == "extra_forbidden" and e["loc"] == ("draft",) for e in exc.errors()):
                gold.problems.append(f"{path} line {number}: skipped, an unreviewed draft (from `assistant eval "
                                     "--from-feedback`): review it, then delete its \"draft\" key")
                continue
            why = "; ".join(f"invalid JSON ({e['msg'].removeprefix('Invalid JSON: ')})" if e["type"] == "json_invalid"
                            else f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            gold.problems.append(f"{path} line {number}: skipped, {why}")
            continue
        if question.id in gold.lines:
            gold.problems.append(f"{path} line {number}: skipped, id {question.id!r} already on line "
                                 f"{gold.lines[question.id]}")
        elif question.follow_up_of and question.follow_up_of not in gold.lines:
            gold.problems.append(f"{path} line {number}: skipped, {question.id} follows {question.follow_up_of!r}, "
                                 "which is not an earlier question of the set")
        else:
            gold.lines[question.id] = number
            gold.questions.append(question)
    if not gold.questions:
        raise AssistantError(f"no usable question in {path}" + "".join(f"\n{p}" for p in gold.problems[:5]))
    return gold


def retrieval_query(question: GoldQuestion, previous: GoldQuestion | None) -> str:
    """What a follow-up is searched with: the question it follows, then its own words."""
    return f"{previous.question} {question.question}" if previous else question.question


def _loose(text: str) -> str:
    """`match_key`, with double and single quote marks one: renderings of one document differ in both."""
    return match_key(text).replace('"', "'")


class Sources:
    """Each document's files as the corpus holds them: quotes are checked against these, not the index.

    A quote counts as verbatim with or without its footnote markers, since one rendering prints them
    ("Digitaliseren1,") and another does not. A PDF's footnotes are lifted out of its body text by the loader,
    so each footnote the file holds is a text of its own here: a quote of a footnote stands verbatim, and one
    that runs on from the body into a footnote, which no page prints as one passage, does not.
    """

    def __init__(self, corpus_dir: Path) -> None:
        from assistant.sources.corpus import discover
        from assistant.sources.loaders import decode, load

        self.texts: dict[str, list[str]] = {}
        for spec in discover(corpus_dir)[0]:
            keys = self.texts.setdefault(spec.meta.doc_id, [])
            for path, fmt in spec.files:
                try:
                    rendering = load(path, fmt)
                    keys.append(_loose(rendering.plain))
                    keys.extend(_loose(note.text) for note in rendering.footnotes.values())
                    if path.suffix.lower() != ".pdf":
                        keys.append(_loose(decode(path.read_bytes(), path)))
                except (AssistantError, OSError):  # unreadable files are reported by ingest, not here
                    continue

    def contains(self, doc_id: str, quote: str) -> bool:
        """Whether `quote` stands verbatim in one of the document's files."""
        variants = {_loose(quote), _loose(quote.translate(SUPERSCRIPT_DIGITS))}  # `_loose` leaves the marks out
        return any(v in text for text in self.texts.get(doc_id, ()) for v in variants)


class EvidenceProblem(BaseModel):
    """A gold evidence quote that cannot be scored, and why."""

    model_config = ConfigDict(extra="forbid")

    id: str
    line: int
    doc_id: str
    quote: str
    reason: str


def scorable_evidence(gold: GoldSet, sources: Sources) -> tuple[dict[str, list[GoldEvidence]], list[EvidenceProblem]]:
    """Per question, the evidence that stands in the corpus; the rest is reported instead of scored."""
    usable: dict[str, list[GoldEvidence]] = {}
    problems = []
    for q in gold.questions:
        usable[q.id] = []
        for ev in q.evidence:
            if ev.doc_id not in sources.texts:
                reason = f"document {ev.doc_id!r} is not in the corpus"
            elif not sources.contains(ev.doc_id, ev.quote):
                reason = f"quote not found verbatim in {ev.doc_id}"
            else:
                usable[q.id].append(ev)
                continue
            problems.append(EvidenceProblem(id=q.id, line=gold.lines[q.id], doc_id=ev.doc_id, quote=ev.quote,
                                            reason=reason))
    return usable, problems
