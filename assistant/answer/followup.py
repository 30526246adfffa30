"""Follow-up questions: made to stand on their own, or read together with the question before them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.messages import HumanMessage

from assistant.answer.questions import OPENS_WITH_QUESTION_WORD, QUESTION_WORDS
from assistant.config import Settings
from assistant.models import prompts
from assistant.models.llm import Backend
from assistant.text import rules
from assistant.text.normalize import language_of
from assistant.text.tokens import lexical_tokens

# The signs that a question leans on the one before (`assistant/rules/questions.toml`), and how much each weighs:
# a logistic regression fitted by `evals/fit_followup.py` (`assistant/rules/followup.toml`).
_BACK_REFERENCE = rules.rule("questions", "back-reference")
_CONTINUES = rules.rule("questions", "continues")
_DEMONSTRATIVE = rules.rule("questions", "demonstrative")
_ELLIPTICAL = rules.rule("questions", "elliptical")
_MODEL = rules.table("followup", "model")
_CHAIN = 3  # the most earlier questions a follow-up is read with


@dataclass
class Turn:
    """An earlier exchange of the conversation."""

    question: str
    answer: str = ""


def standalone(question: str, history: Sequence[Turn], backend: Backend, settings: Settings) -> tuple[str, str]:
    """A follow-up made to stand on its own, and the earlier question it still leans on ("" if none).

    One made of nothing but what it asks for ("En wanneer?") is the previous question asked again (`asked_again`).
    Otherwise an instructed model rewrites it (used only if it keeps two thirds of the follow-up's own terms);
    else a question that more likely than not leans on the previous one (`leans_on`) is read together
    with it and with those it leaned on in turn (`understood`), whose words then count less in choosing evidence.
    """
    if not history:
        return question, ""
    chain = understood(history)
    previous = " ".join(chain)
    if (again := asked_again(question, chain[-1])) is not None:  # "Door wie?" after "Wanneer is die verstuurd?"
        return again, " ".join(chain[:-1])  # is about what that one leaned on: "die" is still the Werkagenda
    if backend.chat is not None and backend.instructed:
        own = _own_terms(question)
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
    if leans_on(question, previous) > _MODEL["threshold"]:
        return question, previous
    return question, ""


def understood(history: Sequence[Turn]) -> list[str]:
    """The earlier questions a follow-up may lean on, each as it was understood (an elliptical one asked again in
    full: "En wanneer?" after "Wie heeft …?"): the last one, and those it leaned on in turn, back to the one that
    stood on its own, at most `_CHAIN`. "Wanneer is die coalitie gestart?" after "Wat is de coalitie voor digitale
    ethiek?", "Wie zitten erin?" and "En aan welke actielijnen werken ze?" is about the coalition the first one
    names: read with the last question alone, "die coalitie" was any."""
    chain = [history[0].question]
    for turn in history[1:]:
        if (again := asked_again(turn.question, chain[-1])) is not None:
            chain = [*chain[:-1], again]  # asked again in full, still about what the one it repeats leaned on
        elif leans_on(turn.question, " ".join(chain)) > _MODEL["threshold"]:
            chain = [*chain, turn.question][-_CHAIN:]
        else:
            chain = [turn.question]
    return chain


def asked_again(question: str, previous: str) -> str | None:
    """An elliptical follow-up ("En wanneer?", "And to whom?", `questions.elliptical`) as the question before it
    asked with the follow-up's question words in place of its own: "Wie heeft de brief ondertekend?", "En
    wanneer?" is "Wanneer heeft de brief ondertekend?". Read together with the previous question instead, it has
    no word of its own to be answered by, and the previous one's answer comes again. None for any other question."""
    found = _ELLIPTICAL.match(question)
    if found is None:
        return None
    ask = found["ask"].strip()
    rest = OPENS_WITH_QUESTION_WORD.sub("", previous, count=1).strip()
    return f"{ask[:1].upper()}{ask[1:]} {rest[:1].lower()}{rest[1:]}"


def signs(question: str, previous: str) -> dict[str, float]:
    """What tells a question that leans on the one before it from one that stands alone: words that point back
    ("daarvan", "it"), an opening "En"/"And", a demonstrative among its first words ("Waar werkt die coalitie
    aan?"), how few terms of its own it has, and the share of those the previous question holds ("die
    samenwerking" after a question about working together)."""
    own = _own_terms(question)
    return {"refers_back": float(bool(_BACK_REFERENCE.search(question))),
            "continues": float(bool(_CONTINUES.match(question))),
            "demonstrative": float(bool(_DEMONSTRATIVE.search(question))),
            "own_terms": float(len(own)),
            "shared": len(own & (set(lexical_tokens(previous)) - QUESTION_WORDS)) / max(len(own), 1)}


def leans_on(question: str, previous: str) -> float:
    """How likely `question` is a follow-up of `previous`, by its `signs` weighed as fitted on the train sets'
    follow-ups and on their other questions each put after an unrelated one. No single sign decides: on the dev
    sets a rule ("points back, opens with a demonstrative, or has fewer than two terms of its own") found 6 of
    13 follow-ups and took 25 of 185 other questions for one; the fitted weighing finds 11 and takes 10
    (`evals/fit_followup.py`)."""
    found = signs(question, previous)
    z = _MODEL["intercept"] + sum(weight * found[name] for name, weight in _MODEL["weights"].items())
    return 1 / (1 + math.exp(-z))


def _own_terms(question: str) -> set[str]:
    """A question's terms other than its question words and the words by which it points back."""
    return set(lexical_tokens(_BACK_REFERENCE.sub(" ", question))) - QUESTION_WORDS
