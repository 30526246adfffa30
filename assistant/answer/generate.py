"""Answers written by a model: it condenses the chosen evidence sentences, given to it as numbered sources, and
`cite.verify` keeps only the sentences those sources support, renumbered, with the evidence it passed over quoted
after them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answer import cite
from assistant.answer.chosen import Evidence
from assistant.answer.compose import citation, frame, marked
from assistant.config import Settings
from assistant.index import Index
from assistant.models import prompts
from assistant.models.embeddings import texts_alike
from assistant.models.llm import Backend
from assistant.text.normalize import language_of
from assistant.types import Citation

DECLINED = "the model found no answer in the sources"


class ModelWriter:
    """Writes an answer from chosen evidence with the backend's chat model, and verifies what it wrote."""

    def __init__(self, settings: Settings, backend: Backend, index: Index) -> None:
        self.settings = settings
        self.backend = backend
        self.index = index

    def generate(self, question: str, chosen: list[Evidence], language: str) -> Iterator[str]:
        """The model's answer to `question` from the chosen evidence, piece by piece as it writes."""
        assert self.backend.chat is not None
        system = prompts.load(self.settings.prompts_dir, "system", language)
        template = prompts.load(self.settings.prompts_dir, "answer", language)
        sources = "\n".join(f"[{n}] {' '.join(ev.span.quote.split())}" for n, ev in enumerate(chosen, 1))
        messages = [SystemMessage(system), HumanMessage(prompts.render(template, question=question, sources=sources))]
        for chunk in self.backend.chat.stream(messages):
            if chunk.content:
                yield str(chunk.content)

    def verified(self, draft: str, question: str, chosen: list[Evidence], language: str
                  ) -> tuple[str, list[Citation], str | None, int]:
        """The model's draft reduced to what the evidence supports, renumbered, or why it cannot stand; and how
        many of its sentences were left out."""
        a = self.settings.answer
        quotes = [ev.span.quote for ev in chosen]
        languages = [self.index.meta(ev.chunk.doc_id).language for ev in chosen]
        cross = any(q != language for q in languages)
        result = cite.verify(draft, quotes, question, min_support=a.min_support, min_pair_support=a.min_pair_support,
                             language=language, quote_languages=languages,
                             similarity=self._similarity if cross else None, min_similarity=a.min_cross_similarity,
                             words_alike=texts_alike(self.settings), min_word_similarity=a.min_word_similarity)
        best = chosen.index(max(chosen, key=lambda ev: ev.score))
        why = None
        if result.declined:
            why = DECLINED
        elif not result.claims:
            why = "the model's answer did not match its sources"
        elif language_of(" ".join(c.text for c in result.claims)) != language:
            why = "the model answered in another language"
        elif all(best not in c.sources for c in result.claims):
            why = "the model's answer leaves out the best evidence"
        if why:
            return "", [], why, len(result.removed)
        number: dict[int, int] = {}
        for claim in result.claims:
            for i in claim.sources:
                number.setdefault(i, len(number) + 1)
        sentences = [marked(claim.text, "".join(f"[{number[i]}]" for i in claim.sources)) for claim in result.claims]
        # evidence the model passed over still belongs to the answer: quoted after the model's sentences
        omitted = [citation(self.index, len(number) + n, ev) for n, ev in
                   enumerate((ev for i, ev in enumerate(chosen) if i not in number), 1)]
        citations = [citation(self.index, n, chosen[i]) for i, n in number.items()] + omitted
        lead = frame(omitted, language, "also say")
        for c in omitted:
            quote = " ".join(c.quote.split())
            if lead:
                sentences.append(f"{lead if c is omitted[0] else ''}“{quote}” [{c.n}].")
            else:
                sentences.append(marked(quote, f"[{c.n}]"))
        text = " ".join(sentences)
        return text, citations, None, len(result.removed)

    def _similarity(self, sentence: str, quotes: Sequence[str]) -> list[float]:
        return texts_alike(self.settings)([sentence], quotes)[0].tolist()
