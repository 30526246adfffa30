"""Follow-up questions: made to stand on their own, or read together with the question before them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.messages import HumanMessage

from assistant.answer.questions import QUESTION_WORDS
from assistant.config import Settings
from assistant.models import prompts
from assistant.models.llm import Backend
from assistant.text import rules
from assistant.text.normalize import language_of
from assistant.text.tokens import lexical_tokens

# A follow-up that points back ("Wie is daarvoor verantwoordelijk?", "Waar werkt die coalitie aan?") is read together
# with the question before it (`assistant/rules/questions.toml`).
_DEMONSTRATIVE = rules.rule("questions", "demonstrative")
_BACK_REFERENCE = rules.rule("questions", "back-reference")


@dataclass
class Turn:
    """An earlier exchange of the conversation."""

    question: str
    answer: str = ""


def standalone(question: str, history: Sequence[Turn], backend: Backend, settings: Settings) -> tuple[str, str]:
    """A follow-up made to stand on its own, and the earlier question it still leans on ("" if none).

    An instructed model rewrites it (used only if it keeps two thirds of the follow-up's own terms);
    otherwise a follow-up that refers back ("daarvan", "deze", "it") is read together with the previous
    question, whose words then count less in choosing evidence.
    """
    if not history:
        return question, ""
    previous = history[-1].question
    own = set(lexical_tokens(_BACK_REFERENCE.sub(" ", question))) - QUESTION_WORDS
    if backend.chat is not None and backend.instructed:
        template = prompts.load(settings.prompts_dir, "condense", language_of(question))
        try:
            reply = backend.chat.invoke(
                [HumanMessage(prompts.render(template, previous=previous, question=question))])
            rewrite = " ".join(str(reply.content).split()).strip("\"'“”")
        except Exception:  # a failing rewrite is no reason to fail the answer
            rewrite = ""
        kept = len(own & set(lexical_tokens(rewrite))) / max(len(own), 1)
        if 0 < len(rewrite) <= 3 * len(question) + 200 and kept >= 2 / 3:
            return rewrite, ""
    if _BACK_REFERENCE.search(question) or _DEMONSTRATIVE.search(question) or len(own) < 2:
        return question, previous
    return question, ""
