"""Where the evidence for a sentence ends: a sentence that announces a list takes its items along, and a short
sentence that only adds to it belongs to it (`assistant/rules/evidence.toml`)."""

from __future__ import annotations

import re

from assistant.text import rules
from assistant.text.marks import LIST_ITEM
from assistant.text.sentences import ENUMERATION_ITEM, sentence_spans

_MAX_LIST_CHARS = 1200
# Items given as sentences ("De eerste is ...", then "De tweede ...", `ENUMERATION_ITEM`), and a sentence that
# points back at the one before: a short one only adds to it, and any is read with it (`answer/evidence.py`).
_FIRST_ITEM = rules.rule("evidence", "first-item")
POINTS_BACK = rules.rule("evidence", "points-back")
_MAX_ADDITION_WORDS = 15
# "... streven we naar twee doelen.", "Daarbij spelen twee belangrijke vragen.": as many sentences follow as items.
_COUNTS = {w: n for w, n in rules.numbers().items() if n <= 5}
_ANNOUNCED = re.compile(rf"\b({'|'.join(_COUNTS)})\s+(?:[\w«»‘’'-]+\s+){{0,2}}[\w«»‘’'-]+(?:en|s)\W?[.]\s*$",
                        re.IGNORECASE)


def extent(text: str, start: int, end: int) -> int:
    """Where the evidence for the sentence [start, end) ends: a sentence that announces a list ("drie
    actielijnen:", "Daarbij spelen twee belangrijke vragen.") takes the items along, since they are its answer;
    so does one whose items follow as sentences ("De eerste is ... De tweede is ...") or that opens them ("De ene
    as ..."); and a short sentence that only adds to it ("De wettelijke grondslag speelt hierbij een belangrijke
    rol.")."""
    announced = end
    if text[max(0, end - 8) : end].rstrip().endswith(":"):
        while (item := LIST_ITEM.match(text, end)) and item.end() - announced <= _MAX_LIST_CHARS:
            end = item.end()
        return end
    following = [(a, b) for a, b in sentence_spans(text, end, min(len(text), end + _MAX_LIST_CHARS))
                 if text[end:a].count("\n\n") <= 1]
    if not following:
        return end
    if count := _ANNOUNCED.search(text[start:end]):
        items = following[: _COUNTS[count.group(1).lower()]]
        return items[-1][1] if items and items[-1][1] - announced <= _MAX_LIST_CHARS else end
    if _FIRST_ITEM.match(text, start) or _FIRST_ITEM.match(text, following[0][0]):
        i = 0  # items, with at most one other sentence between two of them ("Hierbij moet ... worden begrepen")
        while i < len(following):
            step = 1 if ENUMERATION_ITEM.match(text, following[i][0]) else 2
            if step == 2 and not (i + 1 < len(following) and ENUMERATION_ITEM.match(text, following[i + 1][0])):
                break
            end, i = following[i + step - 1][1], i + step
        return end
    a, b = following[0]
    if POINTS_BACK.search(text[a:b]) and len(text[a:b].split()) <= _MAX_ADDITION_WORDS:
        return extent(text, a, b)
    return end
