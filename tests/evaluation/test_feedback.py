"""`assistant eval --from-feedback`: users' ratings become draft gold lines for a person to review."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import cli_env

from assistant.config import Settings
from assistant.evaluation.feedback import (
    DraftQuestion,
    draft_feedback,
    drafts_from_feedback,
    read_feedback,
    rejected_path,
)
from assistant.evaluation.gold import GoldEvidence, GoldQuestion, load_gold
from assistant.types import AssistantError

DOC = "kst-26643-1055"
QUOTE = ("Voor knelpunten die burgers ervaren in de publieke dienstverlening zijn door het Netwerk Publieke "
         "Dienstverleners oplossingsrichtingen geformuleerd")
OTHER = "Met VNG bespreek ik de samenwerking in relatie tot hun Toekomstbeeld"


def citation(quote: str = QUOTE, n: int = 1, page: int | None = 11, section: str | None = "Thema 1") -> dict:
    return {"n": n, "doc_id": DOC, "page": page, "section": section, "quote": quote, "chunk_id": f"{DOC}:{n}"}


def rating(question: str, rating: str = "up", abstained: bool = False, citations: list[dict] | None = None,
           comment: str = "", **extra: Any) -> str:
    """One line as the web page's `feedback` method writes it."""
    row = {"time": "2024-05-01T10:00:00+0200", "rating": rating, "comment": comment, "question": question,
           "answer": "Het antwoord [1]." if not abstained else "De documenten beantwoorden deze vraag niet.",
           "abstained": abstained, "citations": citations if citations is not None else [], "backend": "extractive",
           "model": None, **extra}
    return json.dumps(row, ensure_ascii=False)


def one(line: str) -> DraftQuestion:
    drafts = draft_feedback(line + "\n", source="feedback.jsonl")
    assert drafts.rejected == [] and len(drafts.drafts) == 1
    return drafts.drafts[0]


def test_a_thumbs_up_of_a_cited_answer_makes_its_quotes_evidence() -> None:
    question = "Welk netwerk formuleerde oplossingsrichtingen voor knelpunten in de publieke dienstverlening?"
    quoted = QUOTE.replace("publieke ", "publieke\n")  # a quote as cited, with a line break of the page in it
    draft = one(rating(question, citations=[citation(quoted), citation(OTHER, 2, page=4, section=None),
                                            citation(QUOTE, 3)], comment="klopt"))
    assert draft.id == "f001" and draft.question == question and draft.language == "nl"
    assert draft.type == "single_fact" and draft.keywords == [] and draft.follow_up_of is None
    assert draft.abstain is False
    assert draft.evidence == [GoldEvidence(doc_id=DOC, quote=QUOTE, page=11, section="Thema 1"),
                              GoldEvidence(doc_id=DOC, quote=OTHER, page=4, section="")], "each quote once, one line"
    assert draft.draft.rating == "up" and draft.draft.comment == "klopt" and draft.draft.abstained is False
    assert draft.draft.source == "feedback.jsonl" and draft.draft.source_line == 1
    assert draft.draft.answer == "Het antwoord [1]." and draft.draft.backend == "extractive"
    assert draft.draft.candidate_evidence == []
    assert any("keywords" in t for t in draft.draft.todo) and any("type" in t for t in draft.draft.todo)
    assert draft.draft.todo[-1] == "delete the draft key"


def test_a_thumbs_up_of_an_abstention_makes_an_abstain_question() -> None:
    draft = one(rating("What is the capital of Australia?", abstained=True))
    assert draft.abstain is True and draft.evidence == [] and draft.keywords == []
    assert draft.type == "unanswerable" and draft.language == "en"
    assert any("out_of_scope" in t for t in draft.draft.todo), "the reviewer picks the kind of abstention"


def test_a_thumbs_down_answer_keeps_its_quotes_as_candidates_only() -> None:
    long_quote = " ".join(["woord"] * 45)
    draft = one(rating("Met wie bespreekt de staatssecretaris het Toekomstbeeld 2040?", rating="down",
                       citations=[citation(OTHER, page=None), citation(long_quote, 2)], comment="verkeerde passage"))
    assert draft.evidence == [] and draft.abstain is False, "a wrong answer's quotes are not gold"
    assert [c.quote for c in draft.draft.candidate_evidence] == [OTHER, long_quote]
    assert draft.draft.rating == "down" and draft.draft.comment == "verkeerde passage"
    todo = " | ".join(draft.draft.todo)
    assert "candidate_evidence" in todo and "unanswerable" in todo
    assert "candidate quote 1: give the page" in todo and "candidate quote 2 has 45 words" in todo


def test_a_thumbs_down_abstention_asks_for_the_evidence() -> None:
    draft = one(rating("Hoeveel apparaten stelt de Rijksoverheid jaarlijks beschikbaar?", rating="down",
                       abstained=True))
    assert draft.evidence == [] and draft.draft.candidate_evidence == [] and draft.abstain is False
    assert draft.draft.abstained is True
    assert any("find the passage that answers it" in t for t in draft.draft.todo)


def test_rejected_lines_are_reported_with_their_line_and_why() -> None:
    lines = [
        rating("Welk netwerk formuleerde oplossingsrichtingen?"),                   # 1: f001
        "{not json",                                                                # 2
        "",                                                                         # 3: blank, skipped silently
        rating("   ", rating="up"),                                                 # 4
        rating("Wat is digitaal kapitaal?", rating="meh"),                          # 5
        json.dumps(["a", "list"]),                                                  # 6
        rating("welk  NETWERK formuleerde\noplossingsrichtingen?", rating="down",
               comment="nu fout"),                                                  # 7: same as 1 after match_key
        rating("Wat is digitaal kapitaal?", citations=[{"doc_id": DOC}]),          # 8: citation without a quote
        rating("Wat is digitaal kapitaal?", rating="down"),                         # 9: f002
    ]
    drafts = draft_feedback("\n".join(lines) + "\n")
    assert [(d.id, d.draft.source_line) for d in drafts.drafts] == [("f001", 1), ("f002", 9)]
    reasons = {r.line: r.reason for r in drafts.rejected}
    assert list(reasons) == [2, 4, 5, 6, 7, 8]
    assert reasons[2].startswith("not JSON")
    assert reasons[4] == "no question"
    assert reasons[5] == "unknown rating 'meh' (expected 'up' or 'down')"
    assert reasons[6] == "not a JSON object"
    assert reasons[7] == "same question as line 1 (draft f001)"
    assert "citations.0.quote" in reasons[8]
    duplicate = next(r for r in drafts.rejected if r.line == 7)
    assert duplicate.rating == "down" and duplicate.comment == "nu fout", "the reviewer can still read it"


def test_lines_are_split_at_newlines_only_and_bad_bytes_reject_one_line() -> None:
    comment = "eerste\u2028tweede\x85derde"  # written raw by ensure_ascii=False; not line breaks of the file
    data = (rating("Wat is digitaal kapitaal?", comment=comment) + "\n").encode() + b"\xff\xfe oops\n"
    drafts = draft_feedback(b"\xef\xbb\xbf" + data)  # a byte-order mark in front is no reason to lose line 1
    assert [d.draft.comment for d in drafts.drafts] == [comment]
    assert [(r.line, r.reason) for r in drafts.rejected] == [(2, "not UTF-8 text")]


def test_ids_number_the_drafts_in_file_order() -> None:
    questions = [f"Wat staat er in thema {n}?" for n in range(1, 12)]
    drafts = draft_feedback("\n".join(rating(q) for q in questions))
    assert [d.id for d in drafts.drafts] == [f"f{n:03d}" for n in range(1, 12)]
    assert [d.question for d in drafts.drafts] == questions


def test_a_reviewed_draft_loads_as_gold_and_an_unreviewed_one_is_refused(tmp_path: Path) -> None:
    feedback = tmp_path / "feedback.jsonl"
    feedback.write_text("\n".join([
        rating("Welk netwerk formuleerde oplossingsrichtingen?", citations=[citation()]),
        rating("What is the capital of Australia?", abstained=True),
        rating("Met wie bespreekt de staatssecretaris het Toekomstbeeld?", rating="down", citations=[citation(OTHER)]),
        rating("Hoeveel apparaten stelt de Rijksoverheid beschikbaar?", rating="down", abstained=True),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "drafts.jsonl"
    drafts, files = drafts_from_feedback(feedback, out)
    assert files == [out, tmp_path / "drafts.rejected.jsonl"] and files[1].read_text(encoding="utf-8") == ""
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["f001", "f002", "f003", "f004"]
    assert all(set(line) == {*GoldQuestion.model_fields, "draft"} for line in lines), "every gold key, and draft"

    with pytest.raises(AssistantError) as refused:
        load_gold(out)
    assert str(refused.value).count("unreviewed draft") == 4 and 'delete its "draft" key' in str(refused.value)

    reviewed = tmp_path / "reviewed.jsonl"
    reviewed.write_text("".join(json.dumps({k: v for k, v in line.items() if k != "draft"}) + "\n"
                                for line in lines), encoding="utf-8")
    gold = load_gold(reviewed)
    assert gold.problems == [] and [q.id for q in gold.questions] == ["f001", "f002", "f003", "f004"]
    assert [q.abstain for q in gold.questions] == [False, True, False, False]
    assert gold.questions == [d.reviewed() for d in drafts.drafts]


def test_an_existing_drafts_file_is_never_overwritten_without_force(tmp_path: Path) -> None:
    feedback = tmp_path / "feedback.jsonl"
    feedback.write_text(rating("Wat is digitaal kapitaal?") + "\n", encoding="utf-8")
    out = tmp_path / "drafts.jsonl"
    out.write_text("reviewed work\n", encoding="utf-8")
    with pytest.raises(AssistantError, match=r"exists.*--force"):
        drafts_from_feedback(feedback, out)
    assert out.read_text(encoding="utf-8") == "reviewed work\n"
    assert not rejected_path(out).exists()
    drafts_from_feedback(feedback, out, force=True)
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "f001"
    with pytest.raises(AssistantError, match="overwrite the feedback file"):
        drafts_from_feedback(feedback, feedback, force=True)
    assert feedback.read_text(encoding="utf-8") == rating("Wat is digitaal kapitaal?") + "\n"
    with pytest.raises(AssistantError, match="is a folder"):
        drafts_from_feedback(feedback, tmp_path)


def test_a_missing_or_unreadable_feedback_file_is_a_clear_error(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(AssistantError, match=r"no feedback file at .*missing\.jsonl"):
        read_feedback(tmp_path / "missing.jsonl")
    with pytest.raises(AssistantError, match="is a folder"):
        read_feedback(tmp_path)
    locked = tmp_path / "locked.jsonl"
    locked.write_text(rating("Wat is digitaal kapitaal?") + "\n", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(AssistantError, match=r"cannot read the feedback file .*locked\.jsonl: Permission denied"):
        drafts_from_feedback(locked, tmp_path / "drafts.jsonl")
    assert not (tmp_path / "drafts.jsonl").exists()


def test_a_file_without_a_usable_rating_writes_nothing(tmp_path: Path) -> None:
    feedback = tmp_path / "feedback.jsonl"
    feedback.write_text("oops\n\n", encoding="utf-8")
    with pytest.raises(AssistantError, match=r"no usable rating.*\nline 1: not JSON"):
        drafts_from_feedback(feedback, tmp_path / "drafts.jsonl")
    assert list(tmp_path.iterdir()) == [feedback]


def test_cli_writes_drafts_without_opening_an_index(workspace: Settings, tmp_path: Path) -> None:
    (tmp_path / "feedback").mkdir()
    (tmp_path / "feedback" / "feedback.jsonl").write_text("\n".join([
        rating("Welk netwerk formuleerde oplossingsrichtingen?", citations=[citation()]),
        "not json",
        rating("Wat is digitaal kapitaal?", rating="down", abstained=True),
    ]) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "assistant.cli", "eval", "--from-feedback", "feedback/feedback.jsonl",
               "--out", "drafts.jsonl"]
    done = subprocess.run(command, capture_output=True, text=True, env=cli_env(workspace), cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "feedback/feedback.jsonl line 2: rejected, not JSON" in done.stderr
    assert "wrote 2 drafts (1 rated up, 1 down) to drafts.jsonl" in done.stderr and "Traceback" not in done.stderr
    drafts = [json.loads(line) for line in (tmp_path / "drafts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(d["id"], d["draft"]["rating"], d["draft"]["source_line"]) for d in drafts] == [("f001", "up", 1),
                                                                                            ("f002", "down", 3)]
    rejected = (tmp_path / "drafts.rejected.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(r)["line"] for r in rejected] == [2]
    assert not workspace.index_dir.exists(), "drafting needs no index"

    again = subprocess.run(command, capture_output=True, text=True, env=cli_env(workspace), cwd=tmp_path,
                           timeout=600)
    assert again.returncode == 1 and "exists" in again.stderr and "--force" in again.stderr
    assert "Traceback" not in again.stderr
    missing = subprocess.run([*command[:5], "nowhere.jsonl", "--out", "other.jsonl"], capture_output=True,
                             text=True, env=cli_env(workspace), cwd=tmp_path, timeout=600)
    assert missing.returncode == 1 and "no feedback file at nowhere.jsonl" in missing.stderr
    assert "Traceback" not in missing.stderr
    mixed = subprocess.run([*command, "--force", "--resume"], capture_output=True, text=True, env=cli_env(workspace),
                           cwd=tmp_path, timeout=600)
    assert mixed.returncode == 2 and "--resume" in mixed.stderr, "evaluation options are refused, not ignored"
