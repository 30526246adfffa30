"""What changed between two versions of a document: the sentences the newer one changes, adds or drops.

A document the index holds in two versions (the older one `replaced` by the newer) is compared sentence by
sentence, as a reader lays the two side by side: the sentences both hold are left out, and each of the others is
quoted from the version it stands in, so the answer cites both versions and says what differs ("650 → 720").
No one sentence that shares the words "vorige versie" with the question answers it, which is why this is a
responder of its own and not evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from assistant.answer import compose
from assistant.answer.questions import asks_changes
from assistant.answer.responders import Asked, Draft, OverTheIndex, sentences_of
from assistant.index import Index
from assistant.text.normalize import match_key
from assistant.types import Document, Span

_MAX_CHANGES = 12  # quoted; the others are counted
_SAME = 0.6  # two sentences this alike (difflib's ratio of their words) are one sentence, changed
_MAX_COMPARED = 40_000  # sentence pairs compared in one run of differing sentences
_MAX_WORDS = 6  # what differs within a changed sentence is spelt out when each part of it is this short


@dataclass(frozen=True)
class Change:
    """One difference: a sentence `changed` (both quoted), `added` by the newer version or `removed` from it."""

    kind: str
    old: Span | None
    new: Span | None


class Changes(OverTheIndex):
    """A question what changed between the versions of a document ("Wat is er veranderd ten opzichte van de vorige
    versie?"): the differences between the versions of the first retrieved document the index holds two of."""

    name = "changes"

    def propose(self, asked: Asked) -> Draft | None:
        if not asks_changes(asked.question):
            return None
        pair = self.versions(asked)
        if pair is None:
            return None
        old, new = (self.scorer.document(d) for d in pair)
        found = differences(old, new, self.scorer.index)
        if not found:
            return None
        shown = found[:_MAX_CHANGES]
        index = self.scorer.index
        citations = []
        lines = []
        for change in shown:
            spans = [s for s in (change.old, change.new) if s is not None]
            cited = [compose.place_citation(index, len(citations) + n, s) for n, s in enumerate(spans, 1)]
            citations += cited
            differs = what_differs(spans[0].quote, spans[1].quote) if change.kind == "changed" else []
            lines.append((change.kind, cited, differs))
        text = compose.changes(old.meta, new.meta, lines, len(found) - len(shown), asked.language)
        return Draft(self.name, text, citations)

    def versions(self, asked: Asked) -> tuple[str, str] | None:
        """The (older, newer) versions of the first retrieved document that has another version in the index,
        within the question's filter when it has one: the version it replaces, or the one that replaces it."""
        index = self.scorer.index
        held = index.documents
        older = {meta.replaced_by: d for d in held if (meta := index.meta(d)).replaced_by in held}
        allowed = asked.filters.doc_ids if asked.filters and asked.filters.doc_ids else None
        for doc_id in dict.fromkeys(h.chunk.doc_id for h in asked.hits):
            pair = ((doc_id, replaced_by) if (replaced_by := index.meta(doc_id).replaced_by) in held
                    else (older[doc_id], doc_id) if doc_id in older else None)
            if pair and (allowed is None or any(d in allowed for d in pair)):
                return pair
        return None


def differences(old: Document, new: Document, index: Index) -> list[Change]:
    """The sentences in which `new` differs from `old`, in the newer version's order: a run of sentences one
    version has in place of another's is paired sentence by sentence where two keep most of their words
    (`_SAME`), the others are added or removed."""
    before, after = ([span for _, span in sentences_of(doc, index.chunks)] for doc in (old, new))
    keys_before, keys_after = [match_key(s.quote) for s in before], [match_key(s.quote) for s in after]
    words_before, words_after = [k.split() for k in keys_before], [k.split() for k in keys_after]
    found: list[Change] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, keys_before, keys_after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        paired = _paired(words_before, words_after, i1, i2, j1, j2)
        removed = [i for i in range(i1, i2) if i not in paired.values()]
        for j in range(j1, j2):
            if j in paired:
                while removed and removed[0] < paired[j]:
                    found.append(Change("removed", before[removed.pop(0)], None))
                found.append(Change("changed", before[paired[j]], after[j]))
            else:
                found.append(Change("added", None, after[j]))
        found += [Change("removed", before[i], None) for i in removed]
    return found


def _paired(before: list[list[str]], after: list[list[str]], i1: int, i2: int, j1: int, j2: int) -> dict[int, int]:
    """In a run of sentences `after[j1:j2]` that stands in place of `before[i1:i2]`, each newer sentence's older
    one (by index), in order, where the two are alike (`_SAME`). A run too long to compare sentence by sentence
    (`_MAX_COMPARED`: a version rewritten as a whole) pairs nothing: it is added and removed. Words, not
    characters, are compared: any two Dutch sentences share most of their letters."""
    paired: dict[int, int] = {}
    if (i2 - i1) * (j2 - j1) > _MAX_COMPARED:
        return paired
    matcher = SequenceMatcher(autojunk=False)
    for j in range(j1, j2):
        matcher.set_seq2(after[j])  # difflib caches what it learns of the second sequence
        best, found = _SAME, None
        for i in range(max(paired.values(), default=i1 - 1) + 1, i2):
            matcher.set_seq1(before[i])
            if matcher.real_quick_ratio() >= best and matcher.quick_ratio() >= best:
                ratio = matcher.ratio()  # the cheap upper bounds first: most pairs are no match
                if ratio >= best:
                    best, found = ratio, i
        if found is not None:
            paired[j] = found
    return paired


def what_differs(old: str, new: str) -> list[tuple[str, str]]:
    """The words a changed sentence has in place of the older one's ("650" -> "720"), when the two keep most of
    their words and each part that differs is short enough to read at a glance; empty when the sentence changed
    more than that."""
    a, b = old.split(), new.split()
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    kept = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag == "equal")
    parts = [(" ".join(a[i1:i2]), " ".join(b[j1:j2])) for tag, i1, i2, j1, j2 in opcodes if tag != "equal"]
    if kept < max(len(a), len(b)) / 2 or any(
            not x or not y or max(len(x.split()), len(y.split())) > _MAX_WORDS for x, y in parts):
        return []
    return [(x.strip(".,;:"), y.strip(".,;:")) for x, y in parts]
