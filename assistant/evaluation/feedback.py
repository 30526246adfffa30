"""Draft gold lines from the ratings users give answers in the web page (`assistant eval --from-feedback`).

A rating says which questions users ask and how the assistant did, but not what the right answer is: a thumbs-up
can still cite a passage that does not answer, and a thumbs-down does not say which passage would. So nothing
here is evaluated or trusted; each usable rating becomes a *draft* in the gold format (`evals/README.md`) with a
`draft` object that carries the rating, the comment, the answer and a to-do list for the person who reviews it.
`load_gold` refuses a line that still has its `draft` key, so an unreviewed draft can never count as gold.

A line that cannot become a draft (not JSON, no question, an unknown rating, a question already drafted from an
earlier line) is reported with its line number and why, never silently dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.evaluation.gold import GoldEvidence, GoldQuestion
from assistant.text.normalize import language_of, match_key
from assistant.types import AssistantError

RATINGS = ("up", "down")
QUOTE_WORDS = (8, 40)  # the gold format's length for an evidence quote
PLACEHOLDER_TYPE = "single_fact"  # valid for `load_gold`; the reviewer chooses the real type


class FeedbackCitation(BaseModel):
    """A quote the rated answer cited, as the web page records it."""

    model_config = ConfigDict(extra="ignore")

    n: int | None = None
    doc_id: str = Field(min_length=1)
    page: int | None = None
    section: str | None = ""
    quote: str = Field(min_length=1)
    chunk_id: str | None = None


class FeedbackEntry(BaseModel):
    """One rating as the web page appends it to the feedback file; fields it may add later are ignored."""

    model_config = ConfigDict(extra="ignore")

    time: str | None = ""
    rating: Literal["up", "down"]
    comment: str | None = ""
    question: str = Field(min_length=1)
    answer: str | None = ""
    abstained: bool
    citations: list[FeedbackCitation] = Field(default_factory=list)
    backend: str | None = ""
    model: str | None = None


class Draft(BaseModel):
    """What a reviewer needs to turn a draft into a gold line; the whole object is deleted once reviewed."""

    model_config = ConfigDict(extra="forbid")

    rating: Literal["up", "down"]
    comment: str
    answer: str
    abstained: bool
    backend: str
    model: str | None
    time: str
    source: str
    source_line: int
    candidate_evidence: list[GoldEvidence]
    todo: list[str]


class DraftQuestion(GoldQuestion):
    """A gold line with its `draft` object: without that key it is a valid `GoldQuestion`."""

    draft: Draft

    def reviewed(self) -> GoldQuestion:
        """The gold line as it stands once the reviewer has deleted `draft` (for checks; reviewers edit the file)."""
        return GoldQuestion.model_validate(self.model_dump(exclude={"draft"}))


class Rejected(BaseModel):
    """A feedback line that was not drafted, and why."""

    model_config = ConfigDict(extra="forbid")

    line: int
    reason: str
    question: str | None = None
    rating: str | None = None  # a duplicate's rating and comment: the reviewer may still want to read them
    comment: str | None = None


@dataclass
class Drafts:
    """The drafts of a feedback file, in its order, and the lines that were rejected."""

    drafts: list[DraftQuestion] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def read_feedback(path: Path) -> bytes:
    """The feedback file's bytes: decoding is per line, so one damaged line does not lose the others."""
    if path.is_dir():
        raise AssistantError(f"{path} is a folder, not a feedback file (default: feedback/feedback.jsonl)")
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise AssistantError(f"no feedback file at {path}: ratings are written there once users rate answers in "
                             "the web page (setting ui.feedback_path)") from exc
    except OSError as exc:
        raise AssistantError(f"cannot read the feedback file {path}: {exc.strerror or exc}") from exc


def draft_feedback(data: bytes | str, source: str = "") -> Drafts:
    """Drafts for the usable lines of a feedback file (`source` names it in each draft), ids `f001`, `f002`, ...

    Lines are split at "\\n" only: the web page writes JSON with `ensure_ascii=False`, so a comment may hold
    characters (U+2028, U+0085) that `str.splitlines` would take for line breaks.
    """
    raw_lines = data.split(b"\n") if isinstance(data, bytes) else data.split("\n")
    result = Drafts()
    seen: dict[str, tuple[int, str]] = {}  # match_key(question) -> (line, draft id)
    for number, raw in enumerate(raw_lines, 1):
        entry = _entry(number, raw)
        if entry is None:
            continue
        if isinstance(entry, Rejected):
            result.rejected.append(entry)
            continue
        key = match_key(entry.question)
        if key in seen:
            line, ident = seen[key]
            result.rejected.append(Rejected(line=number, question=entry.question, rating=entry.rating,
                                            comment=entry.comment, reason=f"same question as line {line} (draft "
                                            f"{ident})"))
            continue
        ident = f"f{len(result.drafts) + 1:03d}"
        seen[key] = (number, ident)
        result.drafts.append(draft_of(entry, ident, source, number))
    return result


def _entry(number: int, raw: bytes | str) -> FeedbackEntry | Rejected | None:
    """The rating on one line; None for a blank line, which is no rating at all."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            return Rejected(line=number, reason="not UTF-8 text")
    line = raw.removeprefix("\ufeff").strip() if number == 1 else raw.strip()
    if not line:
        return None
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejected(line=number, reason=f"not JSON ({exc.msg})")
    if not isinstance(row, dict):
        return Rejected(line=number, reason="not a JSON object")
    question = row.get("question")
    if not isinstance(question, str) or not question.strip():
        return Rejected(line=number, reason="no question")
    if row.get("rating") not in RATINGS:
        return Rejected(line=number, question=question,
                        reason=f"unknown rating {row.get('rating')!r} (expected 'up' or 'down')")
    try:
        entry = FeedbackEntry.model_validate(row)
    except ValidationError as exc:
        why = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return Rejected(line=number, question=question, reason=why)
    return entry.model_copy(update={"question": " ".join(question.split())})


def evidence_of(citations: list[FeedbackCitation]) -> list[GoldEvidence]:
    """The cited quotes as gold evidence, with line breaks as single spaces (as the gold format writes quotes),
    each quote once."""
    evidence: list[GoldEvidence] = []
    seen: set[tuple[str, str]] = set()
    for c in citations:
        quote = " ".join(c.quote.split())
        key = (c.doc_id, match_key(quote))
        if quote and key not in seen:
            seen.add(key)
            evidence.append(GoldEvidence(doc_id=c.doc_id, quote=quote, page=c.page, section=c.section or ""))
    return evidence


def quote_todos(evidence: list[GoldEvidence], where: str) -> list[str]:
    """What a quote lacks for the gold format: a cited quote is often a whole sentence, longer than a gold quote."""
    low, high = QUOTE_WORDS
    todos = []
    for i, ev in enumerate(evidence, 1):
        words = len(ev.quote.split())
        if not low <= words <= high:
            todos.append(f"{where} {i} has {words} words: cut it to the {low}-{high} words that answer")
        if ev.page is None:
            todos.append(f"{where} {i}: give the page it is printed on")
    return todos


def draft_of(entry: FeedbackEntry, ident: str, source: str, line: int) -> DraftQuestion:
    """A draft gold line for one rating.

    Only a thumbs-up of a cited answer makes its quotes evidence, and a thumbs-up of an abstention makes the
    draft an abstain question; after a thumbs-down the quotes are only candidates, since the user said the answer
    was wrong without saying which passage is right.
    """
    cited = evidence_of(entry.citations)
    evidence: list[GoldEvidence] = []
    candidates: list[GoldEvidence] = []
    abstain = False
    kind = PLACEHOLDER_TYPE
    todo: list[str] = []
    if entry.rating == "up" and entry.abstained:
        abstain, kind, candidates = True, "unanswerable", cited
        todo += ["confirm that the documents do not answer this question",
                 "choose the type: unanswerable, out_of_scope, false_premise or injection"]
    elif entry.rating == "up" and cited:
        evidence = cited
        todo += ["check that each evidence quote answers the question; delete those that do not",
                 *quote_todos(evidence, "evidence quote"),
                 "write keywords: the terms a correct answer cannot do without"]
    elif entry.rating == "up":
        todo += ["the answer cited nothing: find the passage that answers it, or mark it unanswerable "
                 "(abstain: true, type unanswerable)", "write keywords: the terms a correct answer cannot do without"]
    elif entry.abstained:
        candidates = cited
        todo += ["the assistant declined and the user rated that down: find the passage that answers it and add it "
                 "as evidence with keywords, or confirm that the documents do not answer it (abstain: true, type "
                 "unanswerable)"]
    else:
        candidates = cited
        todo += ["the answer was rated down: pick the passage that answers from draft.candidate_evidence or the "
                 "documents and put it in evidence, with keywords, or mark the question unanswerable (abstain: "
                 "true, type unanswerable)", *quote_todos(candidates, "candidate quote")]
    if kind == PLACEHOLDER_TYPE:
        todo.append(f"choose the type ({PLACEHOLDER_TYPE} is a placeholder; see Types in evals/README.md)")
    todo.append("delete the draft key")
    return DraftQuestion(
        id=ident, question=entry.question, language=language_of(entry.question), type=kind, keywords=[],
        evidence=evidence, abstain=abstain, follow_up_of=None,
        draft=Draft(rating=entry.rating, comment=entry.comment or "", answer=entry.answer or "",
                    abstained=entry.abstained, backend=entry.backend or "", model=entry.model, time=entry.time or "",
                    source=source, source_line=line, candidate_evidence=candidates, todo=todo))


def rejected_path(out: Path) -> Path:
    """Where the rejected lines of a drafts file are listed: next to it, `drafts.jsonl` -> `drafts.rejected.jsonl`."""
    return out.with_name(f"{out.stem if out.suffix else out.name}.rejected.jsonl")


def check_out(out: Path, feedback: Path, force: bool = False) -> None:
    """Refuse to write over reviewed work: an existing drafts file needs `force`, the feedback file never."""
    if out.is_dir():
        raise AssistantError(f"--out {out} is a folder: give the drafts file, e.g. {out / 'feedback-drafts.jsonl'}")
    if out.resolve() == feedback.resolve() or rejected_path(out).resolve() == feedback.resolve():
        raise AssistantError(f"--out {out} would overwrite the feedback file {feedback}")
    if out.exists() and not force:
        raise AssistantError(f"{out} exists and may hold reviewed drafts: give another --out, or --force to "
                             "replace it")


def write_drafts(drafts: Drafts, out: Path, feedback: Path, force: bool = False) -> list[Path]:
    """Write the drafts to `out` and the rejected lines next to it (empty when there are none, so the file always
    belongs to the latest run); returns the files written."""
    check_out(out, feedback, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(d.model_dump_json() + "\n" for d in drafts.drafts)
    try:
        with open(out, "w" if force else "x", encoding="utf-8") as fh:  # "x": never replace a file made meanwhile
            fh.write(text)
        rejected = rejected_path(out)
        rejected.write_text("".join(r.model_dump_json() + "\n" for r in drafts.rejected), encoding="utf-8")
    except FileExistsError as exc:
        raise AssistantError(f"{out} exists: give another --out, or --force to replace it") from exc
    except OSError as exc:
        raise AssistantError(f"cannot write {exc.filename or out}: {exc.strerror or exc}") from exc
    return [out, rejected]


def drafts_from_feedback(feedback: Path, out: Path, force: bool = False) -> tuple[Drafts, list[Path]]:
    """Read a feedback file, draft its usable lines and write them; nothing is written when no line is usable."""
    check_out(out, feedback, force)  # before any work: a refusal should not wait for a large file
    drafts = draft_feedback(read_feedback(feedback), source=str(feedback))
    if not drafts.drafts:
        listed = "".join(f"\nline {r.line}: {r.reason}" for r in drafts.rejected[:5])
        raise AssistantError(f"no usable rating in {feedback}; nothing written" + listed)
    return drafts, write_drafts(drafts, out, feedback, force)
