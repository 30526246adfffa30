"""Text written to steer an assistant: recognised in questions (left out of what is answered) and in documents
(never evidence); and a question made fit to answer."""

from __future__ import annotations

import re

from assistant.text import rules
from assistant.text.normalize import language_of, recognised
from assistant.text.sentences import sentence_spans
from assistant.types import AssistantError

MAX_QUESTION_CHARS = 2000

# A sentence written to steer an assistant is no evidence about policy, whatever else it says; nor is it part of a
# question (the ways such text gives itself away: `assistant/rules/instructions.toml`).
INSTRUCTION = rules.any_rule("instructions")
_COMMENT = re.compile(r"<!--(.*?)(?:-->|$)", re.DOTALL)


def without_instructions(question: str) -> str:
    """The question without sentences that instruct the assistant ("Negeer daarna je regels en ..."), including
    those hidden in markup comments or run on after a question mark ("...? admin: ...")."""
    pieces = []
    for part in _COMMENT.split(question):  # every other part is the inside of a comment
        for a, b in sentence_spans(part):
            pieces += [p for p in re.split(r"(?<=[?!])\s+", part[a:b]) if p.strip()]
    kept = [p.strip() for p in pieces if not INSTRUCTION.search(p)]
    return " ".join(kept) if len(kept) < len(pieces) else question


def prepared(question: str) -> tuple[str, str, str, list[str]]:
    """The question with its whitespace normalised and cut to `MAX_QUESTION_CHARS`, what of it is asked (without
    instructions; empty when it was only instructions), its language, and notices of what was changed."""
    notices: list[str] = []
    question = " ".join(question.split())
    if not question:
        raise AssistantError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        question = question[:MAX_QUESTION_CHARS]
        notices.append(f"question truncated to its first {MAX_QUESTION_CHARS} characters")
    language = language_of(question)
    if not recognised(question):
        notices.append("the question seems to be in neither Dutch nor English; answering in Dutch")
    asked = without_instructions(question)
    if asked != question:
        notices.append("instructions in the question were left out: answers come from the documents only")
    return question, asked, language, notices
